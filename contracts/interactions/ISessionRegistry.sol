// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev Where an interaction contract checks that a wallet opted in to interactions pushed on its
/// behalf (ProductInteractionManager).
interface ISessionRegistry {
    function isSessionValid(address wallet) external view returns (bool);
}
