import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook body signatures (Shopify, WooCommerce, custom shops, merchants' backends): a base64
 * HMAC-SHA256 of the raw body bytes, compared in constant time. A missing or malformed header
 * (wrong length, not base64) is simply a mismatch.
 */
export function verifyBodyHmac(
    key: Uint8Array | string,
    body: Uint8Array,
    header: string | undefined,
): boolean {
    if (!header) return false;
    const expected = createHmac("sha256", key).update(body).digest();
    return equalBase64(expected, header.trim());
}

/** Constant-time comparison of a digest with its base64 form from a header. */
export function equalBase64(expected: Buffer, base64: string): boolean {
    const given = Buffer.from(base64, "base64");
    // Length is public (always 32 for a well-formed header): comparing it early leaks nothing.
    if (given.length !== expected.length) return false;
    return timingSafeEqual(given, expected);
}
