import { randomInt, timingSafeEqual } from "node:crypto";

/** A 6-digit code (100000-999999) from the operating system's cryptographic random source. */
export function newPairingCode(): string {
    return String(randomInt(100_000, 1_000_000));
}

/** Compares a guessed code with the stored one in constant time. */
export function pairingCodeMatches(stored: string, guess: string | undefined): boolean {
    if (guess === undefined) return false;
    const expected = Buffer.from(stored);
    const actual = Buffer.from(guess);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
}
