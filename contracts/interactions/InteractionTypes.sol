// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev Interaction types: the first 4 bytes of an interaction's data (same ids as the SDK).
library InteractionTypes {
    bytes4 internal constant REFERRAL_REFERRED = 0x010cc3b9;
    bytes4 internal constant REFERRAL_CREATE_LINK = 0xb2c0f17c;
    bytes4 internal constant PURCHASE_COMPLETED = 0x8403aeb4;

    /// @dev Purchase status a proof must carry for a purchase to count as completed.
    uint8 internal constant PURCHASE_STATUS_COMPLETED = 1;
}
