// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ProductRegistry} from "../products/ProductRegistry.sol";
import {ProductAdministratorRegistry} from "../products/ProductAdministratorRegistry.sol";
import {ProductRoles} from "../products/ProductRoles.sol";
import {PurchaseOracle} from "../oracle/PurchaseOracle.sol";
import {ISessionRegistry} from "./ISessionRegistry.sol";
import {LegacyProductInteraction} from "./LegacyProductInteraction.sol";
import {IPreviousInteractionContract, ProductInteraction} from "./ProductInteraction.sol";

/// @title ProductInteractionManager
/// @notice Deploys one interaction contract per product (CREATE2, salt = product id) and keeps the
/// wallets' interaction sessions: a wallet opts in, for a limited time, to the backend pushing
/// interactions on its behalf. Sessions are global (not per product) since they express consent
/// of the wallet, not of a merchant.
/// A product whose contract is a LegacyProductInteraction moves to ProductInteraction with
/// upgradeInteractionContract: the legacy contract is retired (every session reads as closed to
/// it, so it accepts nothing more) and the new one inherits its referrals and processed purchases.
contract ProductInteractionManager is EIP712, Nonces {
    bytes32 public constant OPEN_SESSION_TYPEHASH =
        keccak256("OpenSession(address wallet,uint48 validUntil,uint256 nonce)");

    ProductRegistry public immutable registry;
    ProductAdministratorRegistry public immutable adminRegistry;
    PurchaseOracle public immutable oracle;

    mapping(uint256 productId => address) private _interactionContracts;
    mapping(uint256 productId => address) private _legacyInteractionContracts;
    mapping(address interactionContract => bool) private _retired;
    mapping(address wallet => uint48 validUntil) private _sessions;

    event InteractionContractDeployed(uint256 indexed productId, address interactionContract);
    event InteractionContractUpgraded(
        uint256 indexed productId, address retired, address interactionContract
    );
    event SessionOpened(address indexed wallet, uint48 validUntil);
    event SessionClosed(address indexed wallet);

    error Unauthorized();
    error ProductNotFound(uint256 productId);
    error InteractionContractAlreadyDeployed(uint256 productId);
    error NoInteractionContractFound(uint256 productId);
    error InvalidSessionEnd();
    error InvalidSignature();
    error NotALegacyInteractionContract(uint256 productId);

    constructor(
        ProductRegistry registry_,
        ProductAdministratorRegistry adminRegistry_,
        PurchaseOracle oracle_
    ) EIP712("ProductInteractionManager", "1") {
        registry = registry_;
        adminRegistry = adminRegistry_;
        oracle = oracle_;
    }

    /// @notice By a registry minter (backend mint flow) or the product's owner / admin /
    /// interaction manager.
    function deployInteractionContract(uint256 productId) external returns (address deployed) {
        _onlyDeployer(productId);
        if (_interactionContracts[productId] != address(0)) {
            revert InteractionContractAlreadyDeployed(productId);
        }
        deployed = address(
            new ProductInteraction{salt: bytes32(productId)}(
                productId,
                ISessionRegistry(address(this)),
                adminRegistry,
                oracle,
                IPreviousInteractionContract(address(0))
            )
        );
        _interactionContracts[productId] = deployed;
        emit InteractionContractDeployed(productId, deployed);
    }

    /// @notice Deploys the previous version (LegacyProductInteraction) for a product without a
    /// contract: the gas bench's baseline, and rehearsals of the upgrade. Same callers.
    function deployLegacyInteractionContract(uint256 productId) external returns (address deployed) {
        _onlyDeployer(productId);
        if (_interactionContracts[productId] != address(0)) {
            revert InteractionContractAlreadyDeployed(productId);
        }
        deployed = address(
            new LegacyProductInteraction{salt: bytes32(productId)}(
                productId, ISessionRegistry(address(this)), adminRegistry, oracle
            )
        );
        _interactionContracts[productId] = deployed;
        _legacyInteractionContracts[productId] = deployed;
        emit InteractionContractDeployed(productId, deployed);
    }

    /// @notice Moves a product from its LegacyProductInteraction to a new ProductInteraction.
    /// The legacy contract is retired at once: from this transaction on it rejects every item
    /// (NoValidSession), so whatever it had in flight either was accepted before or is rejected.
    /// Campaigns are per interaction contract: attach new ones to the new contract.
    function upgradeInteractionContract(uint256 productId) external returns (address deployed) {
        _onlyDeployer(productId);
        address legacy = _legacyInteractionContracts[productId];
        if (legacy == address(0) || _interactionContracts[productId] != legacy) {
            revert NotALegacyInteractionContract(productId);
        }
        _retired[legacy] = true;
        deployed = address(
            new ProductInteraction{salt: bytes32(productId)}(
                productId,
                ISessionRegistry(address(this)),
                adminRegistry,
                oracle,
                IPreviousInteractionContract(legacy)
            )
        );
        _interactionContracts[productId] = deployed;
        emit InteractionContractUpgraded(productId, legacy, deployed);
    }

    /// @notice The retired legacy contract of an upgraded product (zero when there is none).
    function retiredInteractionContract(uint256 productId) external view returns (address) {
        address legacy = _legacyInteractionContracts[productId];
        return _retired[legacy] ? legacy : address(0);
    }

    /// @notice Whether a product's current contract is the legacy version.
    function isLegacyInteractionContract(uint256 productId) external view returns (bool) {
        address current = _interactionContracts[productId];
        return current != address(0) && current == _legacyInteractionContracts[productId];
    }

    function getInteractionContract(uint256 productId) external view returns (address) {
        address deployed = _interactionContracts[productId];
        if (deployed == address(0)) revert NoInteractionContractFound(productId);
        return deployed;
    }

    /// @notice Opens (or replaces) the caller's session until `validUntil` (unix seconds).
    function openSession(uint48 validUntil) external {
        _open(msg.sender, validUntil);
    }

    /// @notice Opens a session for `wallet` from its EIP-712 signature (ECDSA for an EOA, ERC-1271
    /// for a deployed smart wallet), so a relayer can pay the gas. A counterfactual wallet is
    /// deployed first through the WalletFactory (anyone may do it; the address is fixed).
    function openSessionWithSignature(address wallet, uint48 validUntil, bytes calldata signature)
        external
    {
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(OPEN_SESSION_TYPEHASH, wallet, validUntil, _useNonce(wallet)))
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(wallet, digest, signature)) {
            revert InvalidSignature();
        }
        _open(wallet, validUntil);
    }

    function closeSession() external {
        delete _sessions[msg.sender];
        emit SessionClosed(msg.sender);
    }

    /// @dev A retired interaction contract asking gets false: it accepts nothing any more.
    function isSessionValid(address wallet) external view returns (bool) {
        if (_retired[msg.sender]) return false;
        return _sessions[wallet] >= block.timestamp;
    }

    function sessionValidUntil(address wallet) external view returns (uint48) {
        return _sessions[wallet];
    }

    function _onlyDeployer(uint256 productId) private view {
        if (registry.productOwner(productId) == address(0)) revert ProductNotFound(productId);
        if (
            !registry.isMinter(msg.sender)
                && !adminRegistry.hasAllRolesOrAdmin(
                    productId, msg.sender, ProductRoles.INTERACTION_MANAGER
                )
        ) revert Unauthorized();
    }

    function _open(address wallet, uint48 validUntil) private {
        if (validUntil <= block.timestamp) revert InvalidSessionEnd();
        _sessions[wallet] = validUntil;
        emit SessionOpened(wallet, validUntil);
    }
}
