import { type Hex, keccak256, stringToHex, toBytes } from "viem";

/**
 * Product ids, one rule for every domain (docs/decisions.md, product ids): a product id is a
 * uint256, written as 32 bytes, lower-case, 0x-prefixed, so `0x1` and its padded form are the
 * same product wherever they are stored, compared or hashed.
 */

const MAX_PRODUCT_ID = (1n << 256n) - 1n;

/** The canonical form of a product id, or null when it is not a uint256 (empty, not hex, too big). */
export function canonicalProductId(productId: Hex | bigint | string): Hex | null {
    let value: bigint;
    if (typeof productId === "bigint") {
        value = productId;
    } else {
        if (!/^0x[0-9a-fA-F]{1,64}$/.test(productId)) return null;
        value = BigInt(productId);
    }
    if (value < 0n || value > MAX_PRODUCT_ID) return null;
    return `0x${value.toString(16).padStart(64, "0")}`;
}

export class InvalidProductIdError extends Error {
    constructor(readonly productId: unknown) {
        super(`Invalid product id: ${String(productId).slice(0, 80)}`);
        this.name = "InvalidProductIdError";
    }
}

/** The canonical form of an id that must be valid (read from our own tables or the chain). */
export function requireCanonicalProductId(productId: Hex | bigint | string): Hex {
    const canonical = canonicalProductId(productId);
    if (!canonical) throw new InvalidProductIdError(productId);
    return canonical;
}

/** id = uint256(keccak256(utf8(normalised domain))), as ProductRegistry.mint computes it. */
export function productIdOfDomain(domain: string): bigint {
    return BigInt(keccak256(toBytes(domain)));
}

/** Product names are bytes32 on-chain: UTF-8, right-padded, at most 32 bytes (sanitised first). */
export function productNameBytes32(name: string): Hex {
    return stringToHex(name, { size: 32 });
}
