import { randomBytes } from "node:crypto";
import type { SiweNonceRepository } from "../repositories/siwe-nonce-repository";

const nonceTtlMs = 10 * 60_000;

/** SIWE nonces issued by the server for the merchant dashboard: valid 10 minutes, used once. */
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

    consume(nonce: string): Promise<boolean> {
        if (!/^[A-Za-z0-9]{8,128}$/.test(nonce)) return Promise.resolve(false);
        return this.nonces.consume(nonce);
    }

    purgeExpired(): Promise<number> {
        return this.nonces.deleteExpiredBefore(new Date(Date.now() - 86_400_000));
    }
}
