import { and, eq, isNull } from "drizzle-orm";
import type { Address } from "viem";
import type { Database } from "../persistence";
import { walletSessionsTable } from "./db/schema";

/** Issued wallet sessions, by JWT id: the source of truth for revocation. */
export class WalletSessionRepository {
    constructor(private readonly db: Database) {}

    async record(session: { jti: string; wallet: Address; type: string; expiresAt: Date }) {
        await this.db.insert(walletSessionsTable).values({
            jti: session.jti,
            wallet: session.wallet.toLowerCase() as Address,
            type: session.type,
            expiresAt: session.expiresAt,
        });
    }

    /** True when the session exists, is not revoked and has not expired. */
    async isActive(jti: string): Promise<boolean> {
        const [row] = await this.db
            .select({
                revokedAt: walletSessionsTable.revokedAt,
                expiresAt: walletSessionsTable.expiresAt,
            })
            .from(walletSessionsTable)
            .where(eq(walletSessionsTable.jti, jti))
            .limit(1);
        return row !== undefined && row.revokedAt === null && row.expiresAt.getTime() > Date.now();
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
}
