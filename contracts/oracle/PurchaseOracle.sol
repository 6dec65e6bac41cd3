// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ProductAdministratorRegistry} from "../products/ProductAdministratorRegistry.sol";
import {ProductRoles} from "../products/ProductRoles.sol";

/// @title PurchaseOracle
/// @notice One Merkle root of purchases per product, pushed by the backend's oracle updater.
/// Leaves are keccak256(abi.encodePacked(uint256 purchaseId, uint8 status)) in a sorted-pair
/// tree. A leaf preimage is 33 bytes and an inner node 64, so a node can never pass as a leaf.
contract PurchaseOracle {
    ProductAdministratorRegistry public immutable adminRegistry;

    mapping(uint256 productId => bytes32 root) private _roots;

    event MerkleRootUpdated(uint256 indexed productId, bytes32 merkleRoot);

    error Unauthorized();
    error MerkleRootNotSet();

    constructor(ProductAdministratorRegistry adminRegistry_) {
        adminRegistry = adminRegistry_;
    }

    function updateMerkleRoot(uint256 productId, bytes32 root) external {
        if (
            !adminRegistry.hasAllRolesOrAdmin(
                productId, msg.sender, ProductRoles.PURCHASE_ORACLE_UPDATER
            )
        ) revert Unauthorized();
        _roots[productId] = root;
        emit MerkleRootUpdated(productId, root);
    }

    function getMerkleRoot(uint256 productId) external view returns (bytes32) {
        return _roots[productId];
    }

    function verifyPurchase(
        uint256 productId,
        uint256 purchaseId,
        uint8 status,
        bytes32[] calldata proof
    ) external view returns (bool) {
        bytes32 root = _roots[productId];
        if (root == bytes32(0)) revert MerkleRootNotSet();
        return MerkleProof.verifyCalldata(proof, root, keccak256(abi.encodePacked(purchaseId, status)));
    }
}
