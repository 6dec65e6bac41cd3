import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Address } from "viem";
import type { Database, Executor } from "../persistence";
import { walletSessionsTable } from "./db/schema";
import type { SessionState } from "./session-state-cache";

/** Issued wallet sessions, by JWT id: the source of truth for revocation. */
export class WalletSessionRepository {
    constructor(private readonly db: Database) {}

    async record(session: {
        jti: string;
        wallet: Address;
        type: string;
        pairingId?: string;
        expiresAt: Date;
    }) {
        await this.db.insert(walletSessionsTable).values({
            jti: session.jti,
            wallet: session.wallet.toLowerCase() as Address,
            type: session.type,
            pairingId: session.pairingId ?? null,
            expiresAt: session.expiresAt,
        });
    }

    /** Whether the session may be used, and until when; null when we never issued it. */
    async state(jti: string): Promise<SessionState | null> {
        const [row] = await this.db
            .select({
                revokedAt: walletSessionsTable.revokedAt,
                expiresAt: walletSessionsTable.expiresAt,
            })
            .from(walletSessionsTable)
            .where(eq(walletSessionsTable.jti, jti))
            .limit(1);
        if (!row) return null;
        return { active: row.revokedAt === null, expiresAt: row.expiresAt.getTime() };
    }

    /** Returns true when an active session was revoked by this call. */
    async revoke(jti: string): Promise<boolean> {
        const rows = await this.db
            .update(walletSessionsTable)
            .set({ revokedAt: new Date() })
            .where(and(eq(walletSessionsTable.jti, jti), isNull(walletSessionsTable.revokedAt)))
            .returning({ jti: walletSessionsTable.jti });
        return rows.length > 0;
    }

    /**
     * Revokes the desktop sessions issued through these pairings, in the caller's transaction
     * (so they end with the pairing's deletion); returns their ids.
     */
    async revokeByPairing(executor: Executor, pairingIds: string[]): Promise<string[]> {
        if (pairingIds.length === 0) return [];
        const rows = await executor
            .update(walletSessionsTable)
            .set({ revokedAt: new Date() })
            .where(
                and(
                    inArray(walletSessionsTable.pairingId, pairingIds),
                    isNull(walletSessionsTable.revokedAt),
                ),
            )
            .returning({ jti: walletSessionsTable.jti });
        return rows.map((row) => row.jti);
    }
}
