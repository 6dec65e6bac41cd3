import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Address } from "viem";
import type { Database, Executor, Transaction } from "../../../infrastructure/persistence";
import { type DevicePairingRow, devicePairingTable } from "../db/schema";

export type NewPairing = {
    pairingId: string;
    pairingCode: string;
    originUserAgent: string;
    originName: string;
};

/** Data access for `device_pairing`; addresses are stored as bytes and compared lower-case. */
export class DevicePairingRepository {
    private readonly touchForRequestQuery: ReturnType<typeof prepareTouchForRequest>;

    constructor(private readonly db: Database) {
        this.touchForRequestQuery = prepareTouchForRequest(db);
    }

    /** Throws the database's unique violation when the code (or id) is already taken. */
    async insert(pairing: NewPairing): Promise<DevicePairingRow> {
        const [row] = await this.db.insert(devicePairingTable).values(pairing).returning();
        return row!;
    }

    async findByPairingId(pairingId: string): Promise<DevicePairingRow | null> {
        const [row] = await this.db
            .select()
            .from(devicePairingTable)
            .where(eq(devicePairingTable.pairingId, pairingId))
            .limit(1);
        return row ?? null;
    }

    findByWallet(wallet: Address): Promise<DevicePairingRow[]> {
        return this.db
            .select()
            .from(devicePairingTable)
            .where(eq(devicePairingTable.wallet, lower(wallet)))
            .orderBy(devicePairingTable.createdAt);
    }

    /**
     * Spends one join attempt of an unresolved pairing, atomically (the row lock orders
     * concurrent joins), and returns the code to compare against. Null when the pairing is
     * missing, resolved, or out of attempts: then no guess is ever compared.
     */
    async takeCodeAttempt(
        pairingId: string,
        maxAttempts: number,
    ): Promise<{ pairingCode: string; codeAttempts: number } | null> {
        const [row] = await this.db
            .update(devicePairingTable)
            .set({ codeAttempts: sql`${devicePairingTable.codeAttempts} + 1` })
            .where(
                and(
                    eq(devicePairingTable.pairingId, pairingId),
                    isNull(devicePairingTable.resolvedAt),
                    lt(devicePairingTable.codeAttempts, maxAttempts),
                ),
            )
            .returning({
                pairingCode: devicePairingTable.pairingCode,
                codeAttempts: devicePairingTable.codeAttempts,
            });
        return row ?? null;
    }

    /** Gives the pairing to `wallet`; null when someone resolved it first. */
    async resolve(
        pairingId: string,
        target: { wallet: Address; targetUserAgent: string; targetName: string },
    ): Promise<DevicePairingRow | null> {
        const now = new Date();
        const [row] = await this.db
            .update(devicePairingTable)
            .set({
                wallet: lower(target.wallet),
                targetUserAgent: target.targetUserAgent,
                targetName: target.targetName,
                resolvedAt: now,
                lastActiveAt: now,
            })
            .where(
                and(
                    eq(devicePairingTable.pairingId, pairingId),
                    isNull(devicePairingTable.resolvedAt),
                ),
            )
            .returning();
        return row ?? null;
    }

    async touch(pairingIds: string[]): Promise<void> {
        if (pairingIds.length === 0) return;
        await this.db
            .update(devicePairingTable)
            .set({ lastActiveAt: new Date() })
            .where(inArray(devicePairingTable.pairingId, pairingIds));
    }

    /**
     * Marks the pairing active if `wallet` owns it: the membership check and the activity update
     * in one statement. False (nothing written) when the wallet does not own it.
     */
    async touchIfOwnedBy(pairingId: string, wallet: Address): Promise<boolean> {
        const rows = await this.db
            .update(devicePairingTable)
            .set({ lastActiveAt: new Date() })
            .where(
                and(
                    eq(devicePairingTable.pairingId, pairingId),
                    eq(devicePairingTable.wallet, lower(wallet)),
                ),
            )
            .returning({ id: devicePairingTable.id });
        return rows.length > 0;
    }

    /** Marks the pairing active and returns what a signature request needs; null when gone. */
    async touchForRequest(
        pairingId: string,
    ): Promise<{ originName: string; wallet: Address | null } | null> {
        const [row] = await this.touchForRequestQuery.execute({ pairingId });
        return row ? { originName: row.originName, wallet: row.wallet as Address | null } : null;
    }

    /** Runs `work` in one transaction (a deletion and the revocation of its sessions). */
    inTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
        return this.db.transaction(work);
    }

    async delete(pairingId: string, executor: Executor = this.db): Promise<boolean> {
        const rows = await executor
            .delete(devicePairingTable)
            .where(eq(devicePairingTable.pairingId, pairingId))
            .returning({ id: devicePairingTable.id });
        return rows.length > 0;
    }

    /** Deletes unresolved pairings created before `unresolvedBefore` and idle ones. */
    async deleteExpired(
        cutoffs: { unresolvedBefore: Date; inactiveBefore: Date },
        executor: Executor = this.db,
    ): Promise<string[]> {
        const rows = await executor
            .delete(devicePairingTable)
            .where(
                or(
                    and(
                        isNull(devicePairingTable.wallet),
                        lt(devicePairingTable.createdAt, cutoffs.unresolvedBefore),
                    ),
                    lt(devicePairingTable.lastActiveAt, cutoffs.inactiveBefore),
                ),
            )
            .returning({ pairingId: devicePairingTable.pairingId });
        return rows.map((row) => row.pairingId);
    }
}

const lower = (address: Address) => address.toLowerCase() as Address;

/**
 * Once per signature request: prepared so the query is built once, not on every frame (Drizzle's
 * SQL building was the largest share of the relay's CPU).
 */
function prepareTouchForRequest(db: Database) {
    return db
        .update(devicePairingTable)
        .set({ lastActiveAt: sql`now()` })
        .where(eq(devicePairingTable.pairingId, sql.placeholder("pairingId")))
        .returning({
            originName: devicePairingTable.originName,
            wallet: devicePairingTable.wallet,
        })
        .prepare("pairing_touch_for_request");
}
