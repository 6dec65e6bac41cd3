import { describe, expect, test } from "bun:test";
import { keccak256, stringToHex } from "viem";
import {
    canonicalProductId,
    InvalidProductIdError,
    productIdOfDomain,
    requireCanonicalProductId,
} from "../../src/utils/product-id";

const one = `0x${"0".repeat(63)}1`;

describe("product ids: one canonical form", () => {
    test("short, padded, upper-case and bigint forms of one id are the same product", () => {
        for (const form of ["0x1", "0x01", one, one.toUpperCase().replace("0X", "0x"), 1n]) {
            expect(canonicalProductId(form as `0x${string}`)).toBe(one as `0x${string}`);
        }
        expect(canonicalProductId(`0x${"F".repeat(64)}`)).toBe(`0x${"f".repeat(64)}`);
    });

    test("what is not a uint256 is null, or InvalidProductIdError where a valid id is required", () => {
        const invalid = ["0x", "", "1", "0xzz", `0x1${"0".repeat(64)}`, "0x1 ", -1n, 1n << 256n];
        for (const value of invalid) {
            expect(canonicalProductId(value as `0x${string}`)).toBeNull();
            expect(() => requireCanonicalProductId(value as `0x${string}`)).toThrow(
                InvalidProductIdError,
            );
        }
    });

    test("a domain's id is keccak256 of its UTF-8 bytes, as the registry mints it", () => {
        expect(productIdOfDomain("shop.example")).toBe(
            BigInt(keccak256(stringToHex("shop.example"))),
        );
    });
});
