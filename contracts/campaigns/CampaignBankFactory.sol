// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {ProductRegistry} from "../products/ProductRegistry.sol";
import {ProductAdministratorRegistry} from "../products/ProductAdministratorRegistry.sol";
import {ProductRoles} from "../products/ProductRoles.sol";
import {CampaignBank} from "./CampaignBank.sol";

/// @title CampaignBankFactory
/// @notice One bank per (product, token) at a CREATE2 address with salt keccak256(productId, token),
/// so the backend can know a bank's address before it exists.
contract CampaignBankFactory {
    ProductRegistry public immutable registry;
    ProductAdministratorRegistry public immutable adminRegistry;

    event CampaignBankCreated(uint256 indexed productId, address indexed token, address bank);

    error Unauthorized();
    error ProductNotFound(uint256 productId);

    constructor(ProductRegistry registry_, ProductAdministratorRegistry adminRegistry_) {
        registry = registry_;
        adminRegistry = adminRegistry_;
    }

    /// @notice By a registry minter (backend mint flow) or the product's owner / admin / campaign
    /// manager. Idempotent: returns the existing bank when already deployed.
    function deployCampaignBank(uint256 productId, address token) external returns (address bank) {
        if (registry.productOwner(productId) == address(0)) revert ProductNotFound(productId);
        if (
            !registry.isMinter(msg.sender)
                && !adminRegistry.hasAllRolesOrAdmin(productId, msg.sender, ProductRoles.CAMPAIGN_MANAGER)
        ) revert Unauthorized();
        bank = getCampaignBank(productId, token);
        if (bank.code.length > 0) return bank;
        new CampaignBank{salt: _salt(productId, token)}(productId, IERC20(token), adminRegistry);
        emit CampaignBankCreated(productId, token, bank);
    }

    function getCampaignBank(uint256 productId, address token) public view returns (address) {
        bytes memory initCode = abi.encodePacked(
            type(CampaignBank).creationCode, abi.encode(productId, token, adminRegistry)
        );
        return Create2.computeAddress(_salt(productId, token), keccak256(initCode));
    }

    function _salt(uint256 productId, address token) private pure returns (bytes32) {
        return keccak256(abi.encode(productId, token));
    }
}
