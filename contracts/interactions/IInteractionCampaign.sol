// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev What a product's interaction contract calls on each attached campaign after accepting an
/// interaction. A campaign failure never undoes the interaction.
interface IInteractionCampaign {
    function onInteraction(address wallet, bytes4 interactionType, bytes calldata data) external;
}
