// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ProductRegistry} from "./ProductRegistry.sol";
import {ProductRoles} from "./ProductRoles.sol";

/// @title ProductAdministratorRegistry
/// @notice Role bitmask per (product, wallet). The product owner implicitly holds every role and
/// the ADMIN bit implies every other bit, so checks read "has all these roles, or is admin".
contract ProductAdministratorRegistry {
    ProductRegistry public immutable registry;

    mapping(uint256 productId => mapping(address wallet => uint256 roles)) private _roles;
    /// @notice Whether a minter already used its one-time role setup for a product.
    mapping(uint256 productId => bool) public rolesBootstrapped;

    event ProductRolesUpdated(uint256 indexed productId, address indexed wallet, uint256 roles);

    error Unauthorized();
    error ProductNotFound(uint256 productId);
    error AlreadyBootstrapped(uint256 productId);
    error LengthMismatch();

    constructor(ProductRegistry registry_) {
        registry = registry_;
    }

    function rolesOf(uint256 productId, address wallet) external view returns (uint256) {
        return _roles[productId][wallet];
    }

    function hasAllRolesOrAdmin(uint256 productId, address wallet, uint256 roles)
        public
        view
        returns (bool)
    {
        if (wallet != address(0) && registry.productOwner(productId) == wallet) return true;
        uint256 held = _roles[productId][wallet];
        return held & ProductRoles.ADMIN != 0 || (roles != 0 && held & roles == roles);
    }

    function grantRoles(uint256 productId, address wallet, uint256 roles) external {
        _onlyAdmin(productId);
        _set(productId, wallet, _roles[productId][wallet] | roles);
    }

    function revokeRoles(uint256 productId, address wallet, uint256 roles) external {
        _onlyAdmin(productId);
        _set(productId, wallet, _roles[productId][wallet] & ~roles);
    }

    /// @notice One-time role setup by a registry minter right after minting, so the backend's
    /// signers (oracle updater, product signer) work without a transaction from the merchant.
    /// Only once per product: afterwards only the owner and admins change roles.
    function bootstrapRoles(uint256 productId, address[] calldata wallets, uint256[] calldata roles)
        external
    {
        if (!registry.isMinter(msg.sender)) revert Unauthorized();
        if (registry.productOwner(productId) == address(0)) revert ProductNotFound(productId);
        if (rolesBootstrapped[productId]) revert AlreadyBootstrapped(productId);
        if (wallets.length != roles.length) revert LengthMismatch();
        rolesBootstrapped[productId] = true;
        for (uint256 i = 0; i < wallets.length; i++) {
            _set(productId, wallets[i], _roles[productId][wallets[i]] | roles[i]);
        }
    }

    function _onlyAdmin(uint256 productId) private view {
        if (!hasAllRolesOrAdmin(productId, msg.sender, ProductRoles.ADMIN)) revert Unauthorized();
    }

    function _set(uint256 productId, address wallet, uint256 roles) private {
        _roles[productId][wallet] = roles;
        emit ProductRolesUpdated(productId, wallet, roles);
    }
}
