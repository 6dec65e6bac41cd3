// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {WebAuthn} from "@openzeppelin/contracts/utils/cryptography/WebAuthn.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title SmartWallet
/// @notice A minimal smart wallet owned either by an ECDSA key or by a passkey (P-256 public key).
/// It validates signatures on-chain (ERC-1271) and executes calls authorised by its owner.
/// Passkey signatures are the WebAuthnAuth fields abi-encoded flat (see WebAuthn.tryDecodeAuth)
/// with the 32-byte hash as challenge; user presence (UP) is required, user verification (UV) not.
contract SmartWallet is IERC1271, EIP712 {
    bytes32 public constant EXECUTE_TYPEHASH =
        keccak256("Execute(address to,uint256 value,bytes data,uint256 nonce,uint256 deadline)");

    /// @notice ECDSA owner, or address(0) for a passkey wallet.
    address public immutable ecdsaOwner;
    bytes32 public immutable passkeyX;
    bytes32 public immutable passkeyY;
    /// @notice Replay protection of executeWithSignature.
    uint256 public nonce;

    error Unauthorized();
    error InvalidSignature();
    error SignatureExpired();

    constructor(address ecdsaOwner_, bytes32 passkeyX_, bytes32 passkeyY_)
        EIP712("SmartWallet", "1")
    {
        ecdsaOwner = ecdsaOwner_;
        passkeyX = passkeyX_;
        passkeyY = passkeyY_;
    }

    receive() external payable {}

    function isValidSignature(bytes32 hash, bytes calldata signature)
        external
        view
        returns (bytes4)
    {
        return _isValid(hash, signature) ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @notice Direct call by the ECDSA owner (an ECDSA wallet's owner can always send txs).
    function execute(address to, uint256 value, bytes calldata data)
        external
        returns (bytes memory)
    {
        if (ecdsaOwner == address(0) || msg.sender != ecdsaOwner) revert Unauthorized();
        return Address.functionCallWithValue(to, data, value);
    }

    /// @notice Call authorised by an owner signature over the EIP-712 `Execute` struct; anyone can
    /// relay it (how a passkey wallet acts, since a passkey cannot send transactions).
    function executeWithSignature(
        address to,
        uint256 value,
        bytes calldata data,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes memory) {
        if (block.timestamp > deadline) revert SignatureExpired();
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(EXECUTE_TYPEHASH, to, value, keccak256(data), nonce++, deadline))
        );
        if (!_isValid(digest, signature)) revert InvalidSignature();
        return Address.functionCallWithValue(to, data, value);
    }

    function _isValid(bytes32 hash, bytes calldata signature) private view returns (bool) {
        if (ecdsaOwner != address(0)) {
            // Accept the raw hash and its EIP-191 form, so owners can use personal_sign too.
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(hash, signature);
            if (err == ECDSA.RecoverError.NoError && signer == ecdsaOwner) return true;
            (signer, err,) =
                ECDSA.tryRecoverCalldata(MessageHashUtils.toEthSignedMessageHash(hash), signature);
            return err == ECDSA.RecoverError.NoError && signer == ecdsaOwner;
        }
        (bool ok, WebAuthn.WebAuthnAuth calldata auth) = WebAuthn.tryDecodeAuth(signature);
        return ok && WebAuthn.verify(abi.encodePacked(hash), auth, passkeyX, passkeyY, false);
    }
}
