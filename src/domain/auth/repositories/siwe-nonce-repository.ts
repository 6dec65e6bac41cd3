import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../../../infrastructure/persistence";
import { siweNoncesTable } from "../db/schema";

/** Server-issued SIWE nonces of the merchant dashboard login. */
export class SiweNonceRepository {
    constructor(private readonly db: Database) {}

    async create(nonce: string, expiresAt: Date): Promise<void> {
        await this.db.insert(siweNoncesTable).values({ nonce, expiresAt });
    }

    /** Marks the nonce used if it exists, is unused and unexpired; atomic (one winner). */
    async consume(nonce: string): Promise<boolean> {
        const rows = await this.db
            .update(siweNoncesTable)
            .set({ consumedAt: sql`now()` })
            .where(
                and(
                    eq(siweNoncesTable.nonce, nonce),
                    isNull(siweNoncesTable.consumedAt),
                    gt(siweNoncesTable.expiresAt, sql`now()`),
                ),
            )
            .returning({ nonce: siweNoncesTable.nonce });
        return rows.length > 0;
    }

    async deleteExpiredBefore(date: Date): Promise<number> {
        const rows = await this.db
            .delete(siweNoncesTable)
            .where(lt(siweNoncesTable.expiresAt, date))
            .returning({ nonce: siweNoncesTable.nonce });
        return rows.length;
    }
}
