import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Hex } from "viem";
import type { Database } from "../../../infrastructure/persistence";
import { webauthnChallengesTable } from "../db/schema";

/**
 * WebAuthn and ECDSA login challenges: the ones we issued, and the record of every challenge
 * spent (issued or chosen by the client). A spent row is never deleted: a login signature carries
 * no date, so forgetting its challenge would make the signed request acceptable again.
 */
export class WebAuthnChallengeRepository {
    constructor(private readonly db: Database) {}

    async create(challenge: Hex, expiresAt: Date): Promise<void> {
        await this.db.insert(webauthnChallengesTable).values({ challenge, expiresAt });
    }

    /**
     * Marks an issued challenge used if it exists, is unused and unexpired, in one statement: of
     * two concurrent uses exactly one gets true. Registrations use this (issued challenges only).
     */
    async consumeIssued(challenge: Hex): Promise<boolean> {
        const rows = await this.db
            .update(webauthnChallengesTable)
            .set({ consumedAt: sql`now()` })
            .where(
                and(
                    eq(webauthnChallengesTable.challenge, challenge),
                    isNull(webauthnChallengesTable.consumedAt),
                    gt(webauthnChallengesTable.expiresAt, sql`now()`),
                ),
            )
            .returning({ challenge: webauthnChallengesTable.challenge });
        return rows.length > 0;
    }

    /**
     * Records the challenge as spent; true only if it never was. A challenge we never saw is
     * inserted as spent; an issued one still unused is marked spent (even past its 5 minutes:
     * it is then worth exactly as much as a client's own challenge). One statement on the primary
     * key: of two concurrent uses, the second waits for the first and finds it spent.
     */
    async spend(challenge: Hex): Promise<boolean> {
        const rows = await this.db
            .insert(webauthnChallengesTable)
            .values({ challenge, expiresAt: sql`now()`, consumedAt: sql`now()` })
            .onConflictDoUpdate({
                target: webauthnChallengesTable.challenge,
                set: { consumedAt: sql`now()` },
                setWhere: isNull(webauthnChallengesTable.consumedAt),
            })
            .returning({ challenge: webauthnChallengesTable.challenge });
        return rows.length > 0;
    }

    /** Deletes issued challenges that expired unused before `date`; spent ones stay. */
    async deleteUnusedExpiredBefore(date: Date): Promise<number> {
        const rows = await this.db
            .delete(webauthnChallengesTable)
            .where(
                and(
                    lt(webauthnChallengesTable.expiresAt, date),
                    isNull(webauthnChallengesTable.consumedAt),
                ),
            )
            .returning({ challenge: webauthnChallengesTable.challenge });
        return rows.length;
    }
}
