import { randomBytes } from "node:crypto";
import type { Hex } from "viem";
import type { WebAuthnChallengeRepository } from "../repositories/webauthn-challenge-repository";

const challengeTtlMs = 5 * 60_000;
const challengePattern = /^0x[0-9a-f]{64}$/;

/**
 * The creation challenge ox's `WebAuthnP256.createCredential` uses when the caller passes none:
 * one constant for every user, which the seed's wallet registers with. Accepted for registration
 * only (see docs/decisions.md: the credential id's uniqueness is what refuses a replay there).
 */
export const oxDefaultRegistrationChallenge = "0x69abb4b5a0de4bc62a2a201f8d25bae9";

/**
 * WebAuthn (and ECDSA login) challenges. We issue 32 random bytes valid 5 minutes; logins also
 * accept a challenge the client chose (the seed's wallet signs `generatePrivateKey()`), as long
 * as it was never spent before: every login challenge is recorded as spent, for good.
 */
export class ChallengeService {
    constructor(private readonly challenges: WebAuthnChallengeRepository) {}

    async issue(): Promise<{ challenge: Hex; expiresAt: number }> {
        const challenge = `0x${randomBytes(32).toString("hex")}` as Hex;
        const expiresAt = Date.now() + challengeTtlMs;
        await this.challenges.create(challenge, new Date(expiresAt));
        return { challenge, expiresAt };
    }

    /**
     * Login challenge (passkey, ECDSA, SDK token): true once for a 32-byte challenge never spent
     * before, whether we issued it or the client generated it; false for a replay.
     */
    spendLoginChallenge(challenge: string): Promise<boolean> {
        const normalised = normaliseChallenge(challenge);
        if (!challengePattern.test(normalised)) return Promise.resolve(false);
        return this.challenges.spend(normalised as Hex);
    }

    /**
     * Registration challenge: one we issued, unused and unexpired (consumed here), or ox's fixed
     * default creation challenge, which nothing can consume (the caller's 409 on a known
     * credential id is the replay guard for it).
     */
    acceptRegistrationChallenge(challenge: string): Promise<boolean> {
        const normalised = normaliseChallenge(challenge);
        if (normalised === oxDefaultRegistrationChallenge) return Promise.resolve(true);
        if (!challengePattern.test(normalised)) return Promise.resolve(false);
        return this.challenges.consumeIssued(normalised as Hex);
    }

    /** Housekeeping: forget issued challenges that expired unused more than a day ago. */
    purgeExpired(): Promise<number> {
        return this.challenges.deleteUnusedExpiredBefore(new Date(Date.now() - 86_400_000));
    }
}

function normaliseChallenge(challenge: string): string {
    const lower = challenge.toLowerCase();
    return lower.startsWith("0x") ? lower : `0x${lower}`;
}
