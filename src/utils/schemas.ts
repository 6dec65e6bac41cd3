import { FormatRegistry, Type as T } from "@sinclair/typebox";
import { isAddress, isHex } from "viem";

// Formats are registered once, globally, so every TypeBox check (Elysia's included) enforces them.
if (!FormatRegistry.Has("evm-address")) {
    // Strict: a mixed-case address must carry a valid EIP-55 checksum, as the seed requires.
    FormatRegistry.Set("evm-address", (value) => isAddress(value, { strict: true }));
}
if (!FormatRegistry.Has("hex")) {
    FormatRegistry.Set("hex", (value) => isHex(value, { strict: true }));
}

/** `0x` + 40 hex characters with a valid checksum when mixed-case. */
export const AddressSchema = T.String({
    pattern: "^0x[0-9a-fA-F]{40}$",
    format: "evm-address",
    description: "EVM address (0x + 40 hex characters, EIP-55 checksum when mixed-case)",
});

/** `0x` followed by zero or more hex characters. */
export const HexSchema = T.String({
    pattern: "^0x[0-9a-fA-F]*$",
    format: "hex",
    description: "Hex string (0x followed by hex characters)",
});

/** A product id: a uint256 as 0x-hex, 1 to 64 hex digits (normalised to 32 bytes on use). */
export const ProductIdSchema = T.String({
    pattern: "^0x[0-9a-fA-F]{1,64}$",
    description: "Product id (uint256 as 0x-hex)",
});
