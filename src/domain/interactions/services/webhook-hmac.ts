import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * HMAC-SHA256 of the raw body bytes with the product's key, compared in constant time with the
 * base64 header (decisions.md: enforced, unlike the seed which only logged a mismatch).
 */
export function isValidBodyHmac(body: Uint8Array, key: string, header: string): boolean {
    const expected = createHmac("sha256", key).update(body).digest();
    let received: Buffer;
    try {
        received = Buffer.from(header.trim(), "base64");
    } catch {
        return false;
    }
    return received.length === expected.length && timingSafeEqual(received, expected);
}

export function bodyHmac(body: Uint8Array | string, key: string): string {
    return createHmac("sha256", key).update(body).digest("base64");
}
