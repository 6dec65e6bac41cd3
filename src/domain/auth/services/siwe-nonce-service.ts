import { randomBytes } from "node:crypto";
import type { SiweNonceRepository } from "../repositories/siwe-nonce-repository";

const nonceTtlMs = 10 * 60_000;

/**
 * SIWE nonces for the merchant dashboard: we issue some (valid 10 minutes); the seed's SDK
 * generates its own. Either is accepted once: every nonce a login uses is recorded as spent.
 */
export class SiweNonceService {
    constructor(private readonly nonces: SiweNonceRepository) {}

    async issue(): Promise<{ nonce: string; expiresAt: number }> {
        // 48 hex characters from a cryptographic source (EIP-4361: >= 8 alphanumerics); viem's
        // generateSiweNonce uses Math.random, which is guessable.
        const nonce = randomBytes(24).toString("hex");
        const expiresAt = Date.now() + nonceTtlMs;
        await this.nonces.create(nonce, new Date(expiresAt));
        return { nonce, expiresAt };
    }

    /**
     * True once per nonce (issued or not); `acceptableUntil` is when the message carrying it
     * stops being accepted anyway, so its spent record may be forgotten after that.
     */
    spend(nonce: string, acceptableUntil: Date): Promise<boolean> {
        if (!/^[A-Za-z0-9]{8,128}$/.test(nonce)) return Promise.resolve(false);
        return this.nonces.spend(nonce, acceptableUntil);
    }

    purgeExpired(): Promise<number> {
        return this.nonces.deleteExpiredBefore(new Date(Date.now() - 86_400_000));
    }
}
