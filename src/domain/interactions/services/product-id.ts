import { type Hex, pad } from "viem";

/** The canonical product id: 32 bytes, lower-case, 0x-prefixed (docs/decisions.md, product ids). */
export function normalizeProductId(productId: Hex | bigint): Hex {
    if (typeof productId === "bigint") return pad(`0x${productId.toString(16)}`, { size: 32 });
    return pad(productId.toLowerCase() as Hex, { size: 32 });
}
