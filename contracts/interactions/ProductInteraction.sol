// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ProductAdministratorRegistry} from "../products/ProductAdministratorRegistry.sol";
import {ProductRoles} from "../products/ProductRoles.sol";
import {PurchaseOracle} from "../oracle/PurchaseOracle.sol";
import {IInteractionCampaign} from "./IInteractionCampaign.sol";
import {InteractionBatchCodec} from "./InteractionBatchCodec.sol";
import {InteractionTypes} from "./InteractionTypes.sol";
import {ISessionRegistry} from "./ISessionRegistry.sol";

/// @dev The state of the contract a product used before this one (LegacyProductInteraction),
/// still authoritative for what it recorded.
interface IPreviousInteractionContract {
    function referrerOf(address referee) external view returns (address);
    function isPurchaseProcessed(uint256 purchaseId) external view returns (bool);
}

/// @title ProductInteraction
/// @notice A product's interaction contract. Interactions come in batches: a packed item list
/// (InteractionBatchCodec) authorised by one EIP-712 signature over the whole list by a wallet
/// holding INTERACTION_MANAGER (or admin / ownership) on the product; anyone may submit it.
/// Exactly-once: ids are the product's sequential interaction ids, one bit each in a bitmap (one
/// storage slot per 256 ids), set only when an item is accepted and never cleared, so an id is
/// accepted at most once whatever batch carries it. A bad item never reverts the batch: it is
/// reported with `InteractionRejected(id, wallet, reason)`, `reason` being the selector of one of
/// this contract's (or the oracle's) custom errors. An unauthorised batch reverts as a whole.
contract ProductInteraction is EIP712 {
    bytes32 public constant BATCH_TYPEHASH =
        keccak256("InteractionBatch(uint256 productId,bytes items)");
    uint256 public constant MAX_CAMPAIGNS = 4;
    /// @dev Gas given to each interaction and to each campaign call. Fixed amounts make an item's
    /// outcome independent of the transaction's gas limit: without them, eth_estimateGas finds a
    /// limit at which an item (or a campaign) silently runs out of gas inside its try/catch
    /// and the batch "succeeds" with items rejected.
    uint256 public constant INTERACTION_GAS = 1_000_000;
    uint256 public constant CAMPAIGN_GAS = 180_000;

    uint256 public immutable productId;
    ISessionRegistry public immutable sessions;
    ProductAdministratorRegistry public immutable adminRegistry;
    PurchaseOracle public immutable oracle;
    /// @dev The contract this one replaced (zero when none): its referrals and processed
    /// purchases still count here.
    IPreviousInteractionContract public immutable previous;

    mapping(uint256 word => uint256 bits) private _handled;
    mapping(address referee => address referrer) private _referrerOf;
    mapping(uint256 purchaseId => bool) private _purchaseProcessed;
    address[] private _campaigns;

    event InteractionHandled(uint256 indexed id, address indexed wallet, bytes4 interactionType);
    event InteractionRejected(uint256 indexed id, address indexed wallet, bytes4 reason);
    event UserReferred(address indexed referee, address indexed referrer);
    event PurchaseCompleted(address indexed wallet, uint256 indexed purchaseId);
    event CampaignAttached(address indexed campaign);
    event CampaignDetached(address indexed campaign);
    event CampaignFailed(address indexed campaign, uint256 indexed interactionId);

    // Rejection reasons (their selectors are emitted, they are never bubbled up from a batch).
    error InteractionAlreadyHandled();
    error MalformedInteraction();
    error NoValidSession();
    error AlreadyReferred();
    error InvalidReferrer();
    error InvalidPurchaseProof();
    error PurchaseAlreadyProcessed();
    error InteractionFailed();
    // Call errors.
    error InvalidBatchSignature();
    error SignerNotAllowed();
    error OnlySelf();
    error InsufficientGasForBatch();
    error Unauthorized();
    error TooManyCampaigns();
    error CampaignNotAttached();
    /// @dev Ends every simulateInteraction that passed, so that nothing it did persists.
    error SimulationPassed();

    constructor(
        uint256 productId_,
        ISessionRegistry sessions_,
        ProductAdministratorRegistry adminRegistry_,
        PurchaseOracle oracle_,
        IPreviousInteractionContract previous_
    ) EIP712("ProductInteraction", "2") {
        productId = productId_;
        sessions = sessions_;
        adminRegistry = adminRegistry_;
        oracle = oracle_;
        previous = previous_;
    }

    /// @param items the packed items (InteractionBatchCodec)
    /// @param signature EIP-712 signature of InteractionBatch(productId, items) by the product's
    /// interaction manager
    /// @return accepted how many items of the batch were accepted
    function handleInteractions(bytes calldata items, bytes calldata signature)
        external
        returns (uint256 accepted)
    {
        (address signer, ECDSA.RecoverError err,) =
            ECDSA.tryRecoverCalldata(batchDigest(items), signature);
        if (err != ECDSA.RecoverError.NoError) revert InvalidBatchSignature();
        if (!adminRegistry.hasAllRolesOrAdmin(productId, signer, ProductRoles.INTERACTION_MANAGER)) {
            revert SignerNotAllowed();
        }
        uint256 offset = 0;
        while (offset < items.length) {
            (uint256 id, address wallet, bytes calldata data, uint256 next) =
                InteractionBatchCodec.itemAt(items, offset);
            offset = next;
            bytes4 reason = _precheck(id, wallet, data);
            if (reason == bytes4(0)) {
                // A self-call so that a failing interaction (bad proof, malformed payload) rolls
                // back alone instead of reverting the batch.
                // Revert the whole batch (never a single item) when gas is short, see INTERACTION_GAS.
                if (gasleft() < INTERACTION_GAS + INTERACTION_GAS / 63 + 20_000) {
                    revert InsufficientGasForBatch();
                }
                try this.executeInteraction{gas: INTERACTION_GAS}(id, wallet, data) {
                    accepted++;
                    continue;
                } catch (bytes memory failure) {
                    reason = failure.length >= 4 ? bytes4(failure) : InteractionFailed.selector;
                }
            }
            emit InteractionRejected(id, wallet, reason);
        }
    }

    /// @dev Only callable by this contract, from handleInteractions.
    function executeInteraction(uint256 id, address wallet, bytes calldata data) external {
        if (msg.sender != address(this)) revert OnlySelf();
        _handled[id >> 8] |= 1 << (id & 0xff);
        bytes4 interactionType = bytes4(data[:4]);
        if (interactionType == InteractionTypes.REFERRAL_REFERRED) {
            address referrer = abi.decode(data[4:], (address));
            if (referrer == address(0) || referrer == wallet) revert InvalidReferrer();
            if (referrerOf(wallet) != address(0)) revert AlreadyReferred();
            _referrerOf[wallet] = referrer;
            emit UserReferred(wallet, referrer);
        } else if (interactionType == InteractionTypes.PURCHASE_COMPLETED) {
            (uint256 purchaseId, bytes32[] memory proof) = abi.decode(data[4:], (uint256, bytes32[]));
            if (isPurchaseProcessed(purchaseId)) revert PurchaseAlreadyProcessed();
            if (
                !oracle.verifyPurchase(
                    productId, purchaseId, InteractionTypes.PURCHASE_STATUS_COMPLETED, proof
                )
            ) revert InvalidPurchaseProof();
            _purchaseProcessed[purchaseId] = true;
            emit PurchaseCompleted(wallet, purchaseId);
        }
        emit InteractionHandled(id, wallet, interactionType);

        uint256 campaigns = _campaigns.length;
        for (uint256 i = 0; i < campaigns; i++) {
            try IInteractionCampaign(_campaigns[i]).onInteraction{gas: CAMPAIGN_GAS}(
                wallet, interactionType, data
            ) {}
            catch {
                emit CampaignFailed(_campaigns[i], id);
            }
        }
    }

    /// @notice Dry run (for eth_call) of a packed item list's own logic, each item as
    /// handleInteractions would run it and each alone (its effects rolled back before the next),
    /// so a whole batch is simulated in one call. Signature, session and id checks are not part
    /// of it (ids are given at execution).
    /// @return reasons per item: empty when it would be accepted, else its revert data
    /// (InteractionFailed when it reverted without data, e.g. out of gas)
    function simulateInteractions(bytes calldata items) external returns (bytes[] memory reasons) {
        reasons = new bytes[](countItems(items));
        uint256 offset = 0;
        for (uint256 i = 0; i < reasons.length; i++) {
            (uint256 id, address wallet, bytes calldata data, uint256 next) =
                InteractionBatchCodec.itemAt(items, offset);
            offset = next;
            if (data.length < 4) {
                reasons[i] = abi.encodeWithSelector(MalformedInteraction.selector);
                continue;
            }
            // As in handleInteractions, an item never runs with less than INTERACTION_GAS (two
            // calls deep here, so twice the 1/64 kept back).
            if (gasleft() < INTERACTION_GAS + 2 * (INTERACTION_GAS / 63) + 40_000) {
                revert InsufficientGasForBatch();
            }
            try this.simulateInteraction(id, wallet, data) {}
            catch (bytes memory failure) {
                if (failure.length < 4) {
                    reasons[i] = abi.encodeWithSelector(InteractionFailed.selector);
                } else if (bytes4(failure) != SimulationPassed.selector) {
                    reasons[i] = failure;
                }
            }
        }
    }

    /// @notice Runs one interaction's logic like handleInteractions, then always reverts (with
    /// SimulationPassed when it passed, its own error otherwise): open to anyone, it changes nothing.
    function simulateInteraction(uint256 id, address wallet, bytes calldata data) external {
        this.executeInteraction{gas: INTERACTION_GAS}(id, wallet, data);
        revert SimulationPassed();
    }

    /// @notice The items of a packed list, as handleInteractions reads them (for indexers and
    /// for the encoding's tests).
    function decodeItems(bytes calldata items)
        external
        pure
        returns (uint256[] memory ids, address[] memory wallets, bytes[] memory data)
    {
        uint256 n = countItems(items);
        ids = new uint256[](n);
        wallets = new address[](n);
        data = new bytes[](n);
        uint256 offset = 0;
        for (uint256 i = 0; i < n; i++) {
            bytes calldata item;
            (ids[i], wallets[i], item, offset) = InteractionBatchCodec.itemAt(items, offset);
            data[i] = item;
        }
    }

    function countItems(bytes calldata items) public pure returns (uint256 n) {
        uint256 offset = 0;
        while (offset < items.length) {
            (,,, offset) = InteractionBatchCodec.itemAt(items, offset);
            n++;
        }
    }

    /// @notice EIP-712 digest the product signer signs for a batch.
    function batchDigest(bytes calldata items) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(BATCH_TYPEHASH, productId, keccak256(items))));
    }

    function isHandled(uint256 id) public view returns (bool) {
        return _handled[id >> 8] & (1 << (id & 0xff)) != 0;
    }

    /// @notice The bitmap word of ids [word * 256, word * 256 + 255], bit i for id word * 256 + i.
    function handledWord(uint256 word) external view returns (uint256) {
        return _handled[word];
    }

    function referrerOf(address referee) public view returns (address referrer) {
        referrer = _referrerOf[referee];
        if (referrer == address(0) && address(previous) != address(0)) {
            referrer = previous.referrerOf(referee);
        }
    }

    function isPurchaseProcessed(uint256 purchaseId) public view returns (bool) {
        return _purchaseProcessed[purchaseId]
            || (address(previous) != address(0) && previous.isPurchaseProcessed(purchaseId));
    }

    function attachCampaign(address campaign) external {
        _onlyCampaignManager();
        if (_campaigns.length >= MAX_CAMPAIGNS) revert TooManyCampaigns();
        _campaigns.push(campaign);
        emit CampaignAttached(campaign);
    }

    function detachCampaign(address campaign) external {
        _onlyCampaignManager();
        uint256 n = _campaigns.length;
        for (uint256 i = 0; i < n; i++) {
            if (_campaigns[i] == campaign) {
                _campaigns[i] = _campaigns[n - 1];
                _campaigns.pop();
                emit CampaignDetached(campaign);
                return;
            }
        }
        revert CampaignNotAttached();
    }

    function getCampaigns() external view returns (address[] memory) {
        return _campaigns;
    }

    function _precheck(uint256 id, address wallet, bytes calldata data)
        private
        view
        returns (bytes4)
    {
        if (isHandled(id)) return InteractionAlreadyHandled.selector;
        if (data.length < 4) return MalformedInteraction.selector;
        if (!sessions.isSessionValid(wallet)) return NoValidSession.selector;
        return bytes4(0);
    }

    function _onlyCampaignManager() private view {
        if (!adminRegistry.hasAllRolesOrAdmin(productId, msg.sender, ProductRoles.CAMPAIGN_MANAGER)) {
            revert Unauthorized();
        }
    }
}
