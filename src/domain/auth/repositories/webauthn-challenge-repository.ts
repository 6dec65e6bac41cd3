import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Hex } from "viem";
import type { Database } from "../../../infrastructure/persistence";
import { webauthnChallengesTable } from "../db/schema";

/** Server-issued WebAuthn challenges. */
export class WebAuthnChallengeRepository {
    constructor(private readonly db: Database) {}

    async create(challenge: Hex, expiresAt: Date): Promise<void> {
        await this.db.insert(webauthnChallengesTable).values({ challenge, expiresAt });
    }

    /**
     * Marks the challenge used if it exists, is unused and unexpired, in one statement: of two
     * concurrent uses exactly one gets true.
     */
    async consume(challenge: Hex): Promise<boolean> {
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

    async deleteExpiredBefore(date: Date): Promise<number> {
        const rows = await this.db
            .delete(webauthnChallengesTable)
            .where(lt(webauthnChallengesTable.expiresAt, date))
            .returning({ challenge: webauthnChallengesTable.challenge });
        return rows.length;
    }
}
