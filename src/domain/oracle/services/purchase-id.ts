import { concatHex, type Hex, keccak256, stringToHex, toHex } from "viem";

/**
 * The seed's purchase id: keccak256(productId bytes ++ toHex(external order id)). Numeric shop
 * order ids (Shopify, WooCommerce) use their minimal big-endian bytes (1234 -> 0x04d2); custom
 * webhooks' string ids their UTF-8 bytes. `productId` must already be the 32-byte form.
 */
export function purchaseIdOf(productId: Hex, orderId: bigint | string): Hex {
    const idHex = typeof orderId === "bigint" ? toHex(orderId) : stringToHex(orderId);
    return keccak256(concatHex([productId, evenLength(idHex)]));
}

/** viem's toHex(1234) is 0x4d2; as bytes it is 0x04d2. */
function evenLength(hex: Hex): Hex {
    return hex.length % 2 === 0 ? hex : (`0x0${hex.slice(2)}` as Hex);
}
