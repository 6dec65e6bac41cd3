// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ProductAdministratorRegistry} from "../products/ProductAdministratorRegistry.sol";
import {ProductRoles} from "../products/ProductRoles.sol";
import {PurchaseOracle} from "../oracle/PurchaseOracle.sol";
import {IInteractionCampaign} from "./IInteractionCampaign.sol";
import {InteractionTypes} from "./InteractionTypes.sol";
import {ISessionRegistry} from "./ISessionRegistry.sol";

/// @title LegacyProductInteraction
/// @notice The first version of a product's interaction contract, kept deployable as the baseline
/// of the gas bench and for deployments that still have interactions in flight on it (see
/// ProductInteractionManager.upgradeInteractionContract). ProductInteraction replaces it.
/// Anyone may submit a batch (the signatures are the authorization); each interaction must be EIP-712 signed by a wallet holding
/// INTERACTION_MANAGER (or admin / ownership) on the product in the admin registry.
/// Exactly-once: every interaction carries a unique id, consumed only when accepted. A bad item
/// never reverts the batch: it is reported with `InteractionRejected(id, wallet, reason)` where
/// `reason` is the selector of one of this contract's (or the oracle's) custom errors.
contract LegacyProductInteraction is EIP712 {
    struct SignedInteraction {
        bytes32 id;
        address wallet;
        bytes data;
        bytes signature;
    }

    bytes32 public constant INTERACTION_TYPEHASH =
        keccak256("Interaction(bytes32 id,uint256 productId,address wallet,bytes data)");
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

    mapping(bytes32 id => bool) public isHandled;
    mapping(address referee => address referrer) public referrerOf;
    mapping(uint256 purchaseId => bool) public isPurchaseProcessed;
    address[] private _campaigns;

    event InteractionHandled(
        bytes32 indexed id,
        uint256 indexed productId,
        address indexed wallet,
        bytes4 interactionType,
        bytes data
    );
    event InteractionRejected(bytes32 indexed id, address indexed wallet, bytes4 reason);
    event ReferralLinkCreated(address indexed wallet);
    event UserReferred(address indexed referee, address indexed referrer);
    event PurchaseCompleted(address indexed wallet, uint256 indexed purchaseId);
    event CampaignAttached(address indexed campaign);
    event CampaignDetached(address indexed campaign);
    event CampaignFailed(address indexed campaign, bytes32 indexed interactionId);

    // Rejection reasons (their selectors are emitted, they are never bubbled up from a batch).
    error InteractionAlreadyHandled();
    error MalformedInteraction();
    error InvalidInteractionSignature();
    error SignerNotAllowed();
    error NoValidSession();
    error AlreadyReferred();
    error InvalidReferrer();
    error InvalidPurchaseProof();
    error PurchaseAlreadyProcessed();
    error InteractionFailed();
    // Call errors.
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
        PurchaseOracle oracle_
    ) EIP712("ProductInteraction", "1") {
        productId = productId_;
        sessions = sessions_;
        adminRegistry = adminRegistry_;
        oracle = oracle_;
    }

    /// @return accepted how many interactions of the batch were accepted
    function handleInteractions(SignedInteraction[] calldata interactions)
        external
        returns (uint256 accepted)
    {
        for (uint256 i = 0; i < interactions.length; i++) {
            SignedInteraction calldata item = interactions[i];
            bytes4 reason = _precheck(item);
            if (reason == bytes4(0)) {
                // A self-call so that a failing interaction (bad proof, malformed payload) rolls
                // back alone instead of reverting the batch.
                // Revert the whole batch (never a single item) when gas is short, see INTERACTION_GAS.
                if (gasleft() < INTERACTION_GAS + INTERACTION_GAS / 63 + 20_000) {
                    revert InsufficientGasForBatch();
                }
                try this.executeInteraction{gas: INTERACTION_GAS}(item.id, item.wallet, item.data) {
                    accepted++;
                    continue;
                } catch (bytes memory err) {
                    reason = err.length >= 4 ? bytes4(err) : InteractionFailed.selector;
                }
            }
            emit InteractionRejected(item.id, item.wallet, reason);
        }
    }

    /// @dev Only callable by this contract, from handleInteractions.
    function executeInteraction(bytes32 id, address wallet, bytes calldata data) external {
        if (msg.sender != address(this)) revert OnlySelf();
        isHandled[id] = true;
        bytes4 interactionType = bytes4(data[:4]);
        if (interactionType == InteractionTypes.REFERRAL_REFERRED) {
            address referrer = abi.decode(data[4:], (address));
            if (referrer == address(0) || referrer == wallet) revert InvalidReferrer();
            if (referrerOf[wallet] != address(0)) revert AlreadyReferred();
            referrerOf[wallet] = referrer;
            emit UserReferred(wallet, referrer);
        } else if (interactionType == InteractionTypes.REFERRAL_CREATE_LINK) {
            emit ReferralLinkCreated(wallet);
        } else if (interactionType == InteractionTypes.PURCHASE_COMPLETED) {
            (uint256 purchaseId, bytes32[] memory proof) = abi.decode(data[4:], (uint256, bytes32[]));
            if (isPurchaseProcessed[purchaseId]) revert PurchaseAlreadyProcessed();
            if (
                !oracle.verifyPurchase(
                    productId, purchaseId, InteractionTypes.PURCHASE_STATUS_COMPLETED, proof
                )
            ) revert InvalidPurchaseProof();
            isPurchaseProcessed[purchaseId] = true;
            emit PurchaseCompleted(wallet, purchaseId);
        }
        emit InteractionHandled(id, productId, wallet, interactionType, data);

        for (uint256 i = 0; i < _campaigns.length; i++) {
            try IInteractionCampaign(_campaigns[i]).onInteraction{gas: CAMPAIGN_GAS}(
                wallet, interactionType, data
            ) {}
            catch {
                emit CampaignFailed(_campaigns[i], id);
            }
        }
    }

    /// @notice Dry run (for eth_call) of many interactions' own logic, each as handleInteractions
    /// would run it and each alone (its effects rolled back before the next), so a whole claim is
    /// simulated in one call. Signature and session checks are not part of it.
    /// @return reasons per item: empty when it would be accepted, else its revert data
    /// (InteractionFailed when it reverted without data, e.g. out of gas)
    function simulateInteractions(
        bytes32[] calldata ids,
        address[] calldata wallets,
        bytes[] calldata data
    ) external returns (bytes[] memory reasons) {
        if (wallets.length != ids.length || data.length != ids.length) revert MalformedInteraction();
        reasons = new bytes[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) {
            // As in handleInteractions, an item never runs with less than INTERACTION_GAS (two
            // calls deep here, so twice the 1/64 kept back).
            if (gasleft() < INTERACTION_GAS + 2 * (INTERACTION_GAS / 63) + 40_000) {
                revert InsufficientGasForBatch();
            }
            try this.simulateInteraction(ids[i], wallets[i], data[i]) {}
            catch (bytes memory err) {
                if (err.length < 4) {
                    reasons[i] = abi.encodeWithSelector(InteractionFailed.selector);
                } else if (bytes4(err) != SimulationPassed.selector) {
                    reasons[i] = err;
                }
            }
        }
    }

    /// @notice Runs one interaction's logic like handleInteractions, then always reverts (with
    /// SimulationPassed when it passed, its own error otherwise): open to anyone, it changes nothing.
    function simulateInteraction(bytes32 id, address wallet, bytes calldata data) external {
        this.executeInteraction{gas: INTERACTION_GAS}(id, wallet, data);
        revert SimulationPassed();
    }

    /// @notice EIP-712 digest the product signer signs for one interaction.
    function interactionDigest(bytes32 id, address wallet, bytes calldata data)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(INTERACTION_TYPEHASH, id, productId, wallet, keccak256(data)))
        );
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

    function _precheck(SignedInteraction calldata item) private view returns (bytes4) {
        if (isHandled[item.id]) return InteractionAlreadyHandled.selector;
        if (item.data.length < 4) return MalformedInteraction.selector;
        (address signer, ECDSA.RecoverError err,) =
            ECDSA.tryRecoverCalldata(interactionDigest(item.id, item.wallet, item.data), item.signature);
        if (err != ECDSA.RecoverError.NoError) return InvalidInteractionSignature.selector;
        if (!adminRegistry.hasAllRolesOrAdmin(productId, signer, ProductRoles.INTERACTION_MANAGER)) {
            return SignerNotAllowed.selector;
        }
        if (!sessions.isSessionValid(item.wallet)) return NoValidSession.selector;
        return bytes4(0);
    }

    function _onlyCampaignManager() private view {
        if (!adminRegistry.hasAllRolesOrAdmin(productId, msg.sender, ProductRoles.CAMPAIGN_MANAGER)) {
            revert Unauthorized();
        }
    }
}
