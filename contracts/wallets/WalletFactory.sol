// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {SmartWallet} from "./SmartWallet.sol";

/// @title WalletFactory
/// @notice Counterfactual CREATE2 addresses for smart wallets. A passkey wallet's salt is
/// keccak256(utf8 credential id) and its init code carries the P-256 key; an ECDSA wallet's salt
/// is zero and its init code carries the owner. Anyone may deploy a wallet: the address pins the
/// owner, so deploying on someone's behalf grants nothing.
contract WalletFactory {
    event WalletCreated(address indexed wallet, address indexed ecdsaOwner, bytes32 indexed credentialIdHash);

    error InvalidPublicKey();
    error InvalidOwner();

    function getAddressWebAuthn(bytes32 credentialIdHash, bytes32 x, bytes32 y)
        public
        view
        returns (address)
    {
        return Create2.computeAddress(credentialIdHash, keccak256(_initCode(address(0), x, y)));
    }

    function getAddressEcdsa(address owner) public view returns (address) {
        return Create2.computeAddress(bytes32(0), keccak256(_initCode(owner, 0, 0)));
    }

    /// @notice Idempotent: returns the existing wallet when already deployed.
    function createWebAuthnWallet(bytes32 credentialIdHash, bytes32 x, bytes32 y)
        external
        returns (address wallet)
    {
        if (!P256.isValidPublicKey(x, y)) revert InvalidPublicKey();
        wallet = getAddressWebAuthn(credentialIdHash, x, y);
        if (wallet.code.length == 0) {
            new SmartWallet{salt: credentialIdHash}(address(0), x, y);
            emit WalletCreated(wallet, address(0), credentialIdHash);
        }
    }

    /// @notice Idempotent: returns the existing wallet when already deployed.
    function createEcdsaWallet(address owner) external returns (address wallet) {
        if (owner == address(0)) revert InvalidOwner();
        wallet = getAddressEcdsa(owner);
        if (wallet.code.length == 0) {
            new SmartWallet{salt: bytes32(0)}(owner, 0, 0);
            emit WalletCreated(wallet, owner, bytes32(0));
        }
    }

    function _initCode(address owner, bytes32 x, bytes32 y) private pure returns (bytes memory) {
        return abi.encodePacked(type(SmartWallet).creationCode, abi.encode(owner, x, y));
    }
}
