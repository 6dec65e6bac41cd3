// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev The packed item list of a ProductInteraction batch (docs/interaction-batches.md):
/// items back to back, each
///   id     uint48   big-endian, the product's sequential interaction id
///   wallet address  20 bytes
///   length uint16   big-endian, byte length of data
///   data   bytes    the interaction payload (4-byte type, then its arguments)
/// No offsets, no padding, no per-item signature (the batch is signed once).
library InteractionBatchCodec {
    uint256 internal constant ITEM_HEADER = 28;

    error MalformedBatch();

    /// @return id the item's id
    /// @return wallet the wallet it is for
    /// @return data its payload (a slice of `items`)
    /// @return next offset of the following item (items.length after the last one)
    function itemAt(bytes calldata items, uint256 offset)
        internal
        pure
        returns (uint256 id, address wallet, bytes calldata data, uint256 next)
    {
        if (items.length < offset + ITEM_HEADER) revert MalformedBatch();
        uint256 word;
        assembly ("memory-safe") {
            word := calldataload(add(items.offset, offset))
        }
        // word = id (6 bytes) | wallet (20) | length (2) | 4 bytes of data (ignored here)
        id = word >> 208;
        wallet = address(uint160(word >> 48));
        uint256 length = (word >> 32) & 0xffff;
        uint256 start = offset + ITEM_HEADER;
        next = start + length;
        if (items.length < next) revert MalformedBatch();
        data = items[start:next];
    }
}
