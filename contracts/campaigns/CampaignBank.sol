// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {ProductAdministratorRegistry} from "../products/ProductAdministratorRegistry.sol";
import {ProductRoles} from "../products/ProductRoles.sol";

/// @title CampaignBank
/// @notice Holds one reward token for one product. Allowed campaigns credit rewards into
/// claimable balances; a reward is only credited when the bank holds enough unreserved tokens,
/// so every claimable balance is always fully backed.
contract CampaignBank is ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public immutable productId;
    IERC20 public immutable token;
    ProductAdministratorRegistry public immutable adminRegistry;

    mapping(address campaign => bool) public isCampaignAllowed;
    mapping(address wallet => uint256) private _claimable;
    /// @notice Sum of all claimable balances (tokens reserved for wallets).
    uint256 public totalPending;

    event CampaignAllowed(address indexed campaign, bool allowed);
    event RewardAdded(
        address indexed wallet, address indexed token, uint256 amount, address indexed campaign
    );
    event RewardClaimed(address indexed wallet, address indexed token, uint256 amount);
    event Withdrawn(address indexed to, uint256 amount);

    error Unauthorized();
    error LengthMismatch();
    error InsufficientFunds(uint256 available, uint256 needed);

    constructor(uint256 productId_, IERC20 token_, ProductAdministratorRegistry adminRegistry_) {
        productId = productId_;
        token = token_;
        adminRegistry = adminRegistry_;
    }

    function setCampaignAllowed(address campaign, bool allowed) external {
        _onlyRoles(ProductRoles.CAMPAIGN_MANAGER);
        isCampaignAllowed[campaign] = allowed;
        emit CampaignAllowed(campaign, allowed);
    }

    /// @notice Credits rewards atomically: either all amounts are backed or none is credited.
    function addRewards(address[] calldata wallets, uint256[] calldata amounts) external {
        if (!isCampaignAllowed[msg.sender]) revert Unauthorized();
        if (wallets.length != amounts.length) revert LengthMismatch();
        uint256 total;
        for (uint256 i = 0; i < amounts.length; i++) {
            total += amounts[i];
        }
        uint256 available = availableFunds();
        if (total > available) revert InsufficientFunds(available, total);
        totalPending += total;
        for (uint256 i = 0; i < wallets.length; i++) {
            if (amounts[i] == 0) continue;
            _claimable[wallets[i]] += amounts[i];
            emit RewardAdded(wallets[i], address(token), amounts[i], msg.sender);
        }
    }

    /// @notice Tokens not yet reserved for a wallet.
    function availableFunds() public view returns (uint256) {
        uint256 balance = token.balanceOf(address(this));
        return balance > totalPending ? balance - totalPending : 0;
    }

    function claimableOf(address wallet, address token_) external view returns (uint256) {
        return token_ == address(token) ? _claimable[wallet] : 0;
    }

    function claim() external returns (uint256) {
        return _claim(msg.sender);
    }

    /// @notice Pays `wallet` its own rewards; lets a relayer pay the gas for a wallet that is
    /// still counterfactual. Funds can only go to their owner.
    function claimFor(address wallet) external returns (uint256) {
        return _claim(wallet);
    }

    /// @notice Product admin takes back unreserved funds (never what wallets can claim).
    function withdraw(address to, uint256 amount) external nonReentrant {
        _onlyRoles(ProductRoles.ADMIN);
        uint256 available = availableFunds();
        if (amount > available) revert InsufficientFunds(available, amount);
        token.safeTransfer(to, amount);
        emit Withdrawn(to, amount);
    }

    function _claim(address wallet) private nonReentrant returns (uint256 amount) {
        amount = _claimable[wallet];
        if (amount == 0) return 0;
        _claimable[wallet] = 0;
        totalPending -= amount;
        token.safeTransfer(wallet, amount);
        emit RewardClaimed(wallet, address(token), amount);
    }

    function _onlyRoles(uint256 roles) private view {
        if (!adminRegistry.hasAllRolesOrAdmin(productId, msg.sender, roles)) revert Unauthorized();
    }
}
