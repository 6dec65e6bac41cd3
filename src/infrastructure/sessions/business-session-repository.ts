import { and, eq, isNull } from "drizzle-orm";
import type { Address } from "viem";
import type { Database } from "../persistence";
import { businessSessionsTable } from "./db/schema";
import type { SessionState } from "./session-state-cache";

/** Issued merchant (SIWE) sessions, by JWT id: the source of truth for their revocation. */
export class BusinessSessionRepository {
    constructor(private readonly db: Database) {}

    async record(session: { jti: string; wallet: Address; expiresAt: Date }) {
        await this.db.insert(businessSessionsTable).values({
            jti: session.jti,
            wallet: session.wallet.toLowerCase() as Address,
            expiresAt: session.expiresAt,
        });
    }

    async state(jti: string): Promise<SessionState | null> {
        const [row] = await this.db
            .select({
                revokedAt: businessSessionsTable.revokedAt,
                expiresAt: businessSessionsTable.expiresAt,
            })
            .from(businessSessionsTable)
            .where(eq(businessSessionsTable.jti, jti))
            .limit(1);
        if (!row) return null;
        return { active: row.revokedAt === null, expiresAt: row.expiresAt.getTime() };
    }

    async revoke(jti: string): Promise<boolean> {
        const rows = await this.db
            .update(businessSessionsTable)
            .set({ revokedAt: new Date() })
            .where(and(eq(businessSessionsTable.jti, jti), isNull(businessSessionsTable.revokedAt)))
            .returning({ jti: businessSessionsTable.jti });
        return rows.length > 0;
    }
}
