import { randomBytes } from "node:crypto";
import type { Hex } from "viem";
import type { WebAuthnChallengeRepository } from "../repositories/webauthn-challenge-repository";

const challengeTtlMs = 5 * 60_000;
const challengePattern = /^0x[0-9a-f]{64}$/;

/**
 * WebAuthn challenges issued by the server: 32 random bytes, valid 5 minutes, usable once. Every
 * signed login or registration must carry one, so a captured request cannot be replayed.
 */
export class ChallengeService {
    constructor(private readonly challenges: WebAuthnChallengeRepository) {}

    async issue(): Promise<{ challenge: Hex; expiresAt: number }> {
        const challenge = `0x${randomBytes(32).toString("hex")}` as Hex;
        const expiresAt = Date.now() + challengeTtlMs;
        await this.challenges.create(challenge, new Date(expiresAt));
        return { challenge, expiresAt };
    }

    /** True once for a challenge we issued that is unused and unexpired; false otherwise. */
    async consume(challenge: string): Promise<boolean> {
        const lower = challenge.toLowerCase();
        const normalized = lower.startsWith("0x") ? lower : `0x${lower}`;
        if (!challengePattern.test(normalized)) return false;
        return this.challenges.consume(normalized as Hex);
    }

    /** Housekeeping: forget challenges that expired more than a day ago. */
    purgeExpired(): Promise<number> {
        return this.challenges.deleteExpiredBefore(new Date(Date.now() - 86_400_000));
    }
}
