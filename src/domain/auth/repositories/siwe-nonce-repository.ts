import { isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../../../infrastructure/persistence";
import { siweNoncesTable } from "../db/schema";

/** SIWE nonces of the merchant dashboard login: the ones we issued and the ones spent. */
export class SiweNonceRepository {
    constructor(private readonly db: Database) {}

    async create(nonce: string, expiresAt: Date): Promise<void> {
        await this.db.insert(siweNoncesTable).values({ nonce, expiresAt });
    }

    /**
     * Records the nonce as spent; true only if it never was (a nonce we issued and is unused, or
     * one the client generated and we never saw). The row is kept at least until `keepUntil`, the
     * moment its message would be refused anyway. One statement on the primary key: of two
     * concurrent uses, the second waits for the first and finds the nonce spent.
     */
    async spend(nonce: string, keepUntil: Date): Promise<boolean> {
        const rows = await this.db
            .insert(siweNoncesTable)
            .values({ nonce, expiresAt: keepUntil, consumedAt: sql`now()` })
            .onConflictDoUpdate({
                target: siweNoncesTable.nonce,
                set: {
                    consumedAt: sql`now()`,
                    expiresAt: sql`greatest(${siweNoncesTable.expiresAt}, excluded.expires_at)`,
                },
                setWhere: isNull(siweNoncesTable.consumedAt),
            })
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
