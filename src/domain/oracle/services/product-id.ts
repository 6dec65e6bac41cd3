import type { Hex } from "viem";

/**
 * The canonical product id (docs/decisions.md, product ids): 32 bytes, lower-case, 0x-prefixed, so `0x1`
 * and its padded form are the same product. Null when the value does not fit in 32 bytes.
 */
export function normalizeProductId(productId: Hex | bigint): Hex | null {
    if (productId === "0x") return null;
    const value = typeof productId === "bigint" ? productId : BigInt(productId);
    if (value < 0n || value >= 1n << 256n) return null;
    return `0x${value.toString(16).padStart(64, "0")}`;
}
