/** The seed's product types and their bit (mask = OR of 1 << value). */
export const PRODUCT_TYPES = {
    dapp: 1,
    press: 2,
    webshop: 3,
    retail: 4,
    referral: 30,
    purchase: 31,
} as const;

export type ProductType = keyof typeof PRODUCT_TYPES;

export function productTypesMask(types: readonly ProductType[]): bigint {
    return types.reduce((mask, type) => mask | (1n << BigInt(PRODUCT_TYPES[type])), 0n);
}

const NAME_BYTES = 32;

/**
 * The name as stored on-chain: control and other invisible characters removed, trimmed, then
 * cut to 32 UTF-8 bytes on a character boundary (never half a multi-byte character).
 */
export function sanitiseProductName(name: string): string {
    const visible = name.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/gu, "").trim();
    const encoder = new TextEncoder();
    let result = "";
    let size = 0;
    for (const character of visible) {
        const bytes = encoder.encode(character).length;
        if (size + bytes > NAME_BYTES) break;
        result += character;
        size += bytes;
    }
    return result;
}
