// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ProductRegistry
/// @notice One ERC-721 token per merchant product. The id is derived from the domain so that a
/// domain can only ever be one product and anyone can compute the id off-chain.
contract ProductRegistry is ERC721, Ownable {
    struct Metadata {
        uint256 productTypes;
        bytes32 name;
        string domain;
    }

    mapping(uint256 productId => Metadata) private _metadata;
    /// @notice Accounts allowed to mint (the backend's `minter` signer), managed by the owner.
    mapping(address account => bool) public isMinter;

    event ProductMinted(uint256 indexed productId, string domain, uint256 productTypes, bytes32 name);
    event MinterUpdated(address indexed account, bool allowed);

    error NotMinter();
    error InvalidProductTypes();
    error ProductAlreadyExists(uint256 productId);

    constructor(address initialOwner) ERC721("Product", "PRODUCT") Ownable(initialOwner) {}

    function setMinter(address account, bool allowed) external onlyOwner {
        isMinter[account] = allowed;
        emit MinterUpdated(account, allowed);
    }

    function mint(uint256 productTypes, bytes32 name, string calldata domain, address owner_)
        external
        returns (uint256 id)
    {
        if (!isMinter[msg.sender]) revert NotMinter();
        // productTypes != 0 is how readers tell "product exists" from an empty slot.
        if (productTypes == 0) revert InvalidProductTypes();
        id = uint256(keccak256(bytes(domain)));
        if (_ownerOf(id) != address(0)) revert ProductAlreadyExists(id);
        _metadata[id] = Metadata(productTypes, name, domain);
        // _mint, not _safeMint: a merchant's smart wallet need not implement onERC721Received.
        _mint(owner_, id);
        emit ProductMinted(id, domain, productTypes, name);
    }

    /// @notice Zeroes for an unknown product (productTypes == 0), so callers need no try/catch.
    function getMetadata(uint256 id)
        external
        view
        returns (uint256 productTypes, bytes32 name, string memory domain)
    {
        Metadata storage m = _metadata[id];
        return (m.productTypes, m.name, m.domain);
    }

    /// @notice Owner of a product, or address(0) when it does not exist (ownerOf reverts instead).
    function productOwner(uint256 id) external view returns (address) {
        return _ownerOf(id);
    }
}
