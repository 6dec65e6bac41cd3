// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IInteractionCampaign} from "../interactions/IInteractionCampaign.sol";
import {ProductAdministratorRegistry} from "../products/ProductAdministratorRegistry.sol";
import {ProductRoles} from "../products/ProductRoles.sol";
import {CampaignBank} from "./CampaignBank.sol";

interface IReferralSource {
    function productId() external view returns (uint256);
    function referrerOf(address referee) external view returns (address);
}

/// @title ReferralCampaign
/// @notice Rewards the referrer and the referee of a wallet when that wallet performs one of the
/// configured interaction types (e.g. purchase.completed). The referral graph lives in the
/// product's interaction contract (set by referral.referred); rewards are credited into the
/// bank's claimable balances. A wallet without a referrer earns nothing.
contract ReferralCampaign is IInteractionCampaign {
    struct Trigger {
        uint256 referrerAmount;
        uint256 refereeAmount;
    }

    uint256 public immutable productId;
    IReferralSource public immutable interactionContract;
    CampaignBank public immutable bank;
    ProductAdministratorRegistry public immutable adminRegistry;
    bytes32 public immutable name;

    bool private _active = true;
    bytes4[] private _triggerTypes;
    mapping(bytes4 interactionType => Trigger) private _triggers;

    event TriggerUpdated(bytes4 indexed interactionType, uint256 referrerAmount, uint256 refereeAmount);
    event ActiveUpdated(bool active);

    error Unauthorized();
    error ProductMismatch();

    constructor(
        IReferralSource interactionContract_,
        CampaignBank bank_,
        ProductAdministratorRegistry adminRegistry_,
        bytes32 name_
    ) {
        productId = interactionContract_.productId();
        if (bank_.productId() != productId) revert ProductMismatch();
        interactionContract = interactionContract_;
        bank = bank_;
        adminRegistry = adminRegistry_;
        name = name_;
    }

    /// @notice Sets (or, with two zero amounts, disables) the reward of an interaction type.
    function setTrigger(bytes4 interactionType, uint256 referrerAmount, uint256 refereeAmount)
        external
    {
        _onlyCampaignManager();
        Trigger storage t = _triggers[interactionType];
        bool known = t.referrerAmount != 0 || t.refereeAmount != 0;
        bool enabled = referrerAmount != 0 || refereeAmount != 0;
        if (!known && enabled) _triggerTypes.push(interactionType);
        if (known && !enabled) _removeType(interactionType);
        _triggers[interactionType] = Trigger(referrerAmount, refereeAmount);
        emit TriggerUpdated(interactionType, referrerAmount, refereeAmount);
    }

    function setActive(bool active) external {
        _onlyCampaignManager();
        _active = active;
        emit ActiveUpdated(active);
    }

    function isActive() external view returns (bool) {
        return _active;
    }

    function getMetadata()
        external
        view
        returns (string memory campaignType, string memory version, bytes32 campaignName)
    {
        return ("referral", "1", name);
    }

    /// @notice Every enabled trigger with its amounts (raw token units) and the reward token.
    function getTriggers()
        external
        view
        returns (address token, bytes4[] memory interactionTypes, Trigger[] memory triggers)
    {
        interactionTypes = _triggerTypes;
        triggers = new Trigger[](interactionTypes.length);
        for (uint256 i = 0; i < interactionTypes.length; i++) {
            triggers[i] = _triggers[interactionTypes[i]];
        }
        token = address(bank.token());
    }

    function onInteraction(address wallet, bytes4 interactionType, bytes calldata) external {
        if (msg.sender != address(interactionContract)) revert Unauthorized();
        if (!_active) return;
        Trigger memory t = _triggers[interactionType];
        if (t.referrerAmount == 0 && t.refereeAmount == 0) return;
        address referrer = interactionContract.referrerOf(wallet);
        if (referrer == address(0)) return;
        address[] memory wallets = new address[](2);
        uint256[] memory amounts = new uint256[](2);
        (wallets[0], amounts[0]) = (referrer, t.referrerAmount);
        (wallets[1], amounts[1]) = (wallet, t.refereeAmount);
        bank.addRewards(wallets, amounts);
    }

    function _removeType(bytes4 interactionType) private {
        uint256 n = _triggerTypes.length;
        for (uint256 i = 0; i < n; i++) {
            if (_triggerTypes[i] == interactionType) {
                _triggerTypes[i] = _triggerTypes[n - 1];
                _triggerTypes.pop();
                return;
            }
        }
    }

    function _onlyCampaignManager() private view {
        if (!adminRegistry.hasAllRolesOrAdmin(productId, msg.sender, ProductRoles.CAMPAIGN_MANAGER)) {
            revert Unauthorized();
        }
    }
}
