// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title TestStablecoin
/// @notice Freely mintable 18-decimals ERC-20 for dev and tests (deployed as mUSD, EURe, GBPe,
/// USDe). Minting is limited to accounts the owner allows, so a shared dev chain stays sane.
contract TestStablecoin is ERC20, Ownable {
    mapping(address account => bool) public isMinter;

    event MinterUpdated(address indexed account, bool allowed);

    error NotMinter();

    constructor(string memory name_, string memory symbol_, address initialOwner)
        ERC20(name_, symbol_)
        Ownable(initialOwner)
    {}

    function setMinter(address account, bool allowed) external onlyOwner {
        isMinter[account] = allowed;
        emit MinterUpdated(account, allowed);
    }

    function mint(address to, uint256 amount) external {
        if (!isMinter[msg.sender] && msg.sender != owner()) revert NotMinter();
        _mint(to, amount);
    }
}
