// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev Role bits of a wallet on a product, shared by every contract that checks them.
library ProductRoles {
    uint256 internal constant ADMIN = 1 << 0;
    uint256 internal constant INTERACTION_MANAGER = 1 << 1;
    uint256 internal constant CAMPAIGN_MANAGER = 1 << 2;
    uint256 internal constant PURCHASE_ORACLE_UPDATER = 1 << 3;
}
