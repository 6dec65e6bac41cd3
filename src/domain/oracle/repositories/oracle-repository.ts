import { and, count, eq, gte, inArray, isNotNull, max, min, or, sql } from "drizzle-orm";
import type { Hex } from "viem";
import type { Database, Executor } from "../../../infrastructure/persistence";
import { oraclePurchaseTable, productOracleTable } from "../db/schema";

export type OracleRow = typeof productOracleTable.$inferSelect;
export type OraclePlatform = OracleRow["platform"];

export type OracleStats = {
    firstPurchase: Date | null;
    lastPurchase: Date | null;
    lastUpdate: Date | null;
    totalPurchaseHandled: number;
};

/** product_oracle: one row per product, never deleted (delete = disable). */
export class OracleRepository {
    constructor(private readonly db: Database) {}

    async findByProductId(
        productId: Hex,
        executor: Executor = this.db,
    ): Promise<OracleRow | undefined> {
        const [row] = await executor
            .select()
            .from(productOracleTable)
            .where(eq(productOracleTable.productId, productId))
            .limit(1);
        return row;
    }

    async findById(id: number): Promise<OracleRow | undefined> {
        const [row] = await this.db
            .select()
            .from(productOracleTable)
            .where(eq(productOracleTable.id, id))
            .limit(1);
        return row;
    }

    /** Locks the oracle row for the root job's transaction. */
    async lockById(executor: Executor, id: number): Promise<OracleRow | undefined> {
        const [row] = await executor
            .select()
            .from(productOracleTable)
            .where(eq(productOracleTable.id, id))
            .for("update");
        return row;
    }

    /** Creates or re-enables the oracle with a new key and platform; root and sync state kept. */
    async upsertSetup(productId: Hex, hookSignatureKey: string, platform: OraclePlatform) {
        await this.db
            .insert(productOracleTable)
            .values({ productId, hookSignatureKey, platform })
            .onConflictDoUpdate({
                target: productOracleTable.productId,
                set: { hookSignatureKey, platform, enabled: true, updatedAt: sql`now()` },
            });
    }

    /** Disables an enabled oracle; false when there was none. */
    async disable(productId: Hex): Promise<boolean> {
        const rows = await this.db
            .update(productOracleTable)
            .set({ enabled: false, updatedAt: sql`now()` })
            .where(
                and(
                    eq(productOracleTable.productId, productId),
                    eq(productOracleTable.enabled, true),
                ),
            )
            .returning({ id: productOracleTable.id });
        return rows.length > 0;
    }

    async stats(oracleId: number): Promise<OracleStats> {
        const [row] = await this.db
            .select({
                firstPurchase: min(oraclePurchaseTable.createdAt),
                lastPurchase: max(oraclePurchaseTable.createdAt),
                lastUpdate: max(oraclePurchaseTable.updatedAt),
                totalPurchaseHandled: count(),
            })
            .from(oraclePurchaseTable)
            .where(eq(oraclePurchaseTable.oracleId, oracleId));
        return {
            firstPurchase: row?.firstPurchase ?? null,
            lastPurchase: row?.lastPurchase ?? null,
            lastUpdate: row?.lastUpdate ?? null,
            totalPurchaseHandled: Number(row?.totalPurchaseHandled ?? 0),
        };
    }

    /**
     * Oracles the root job must handle: pending leaves and (a tracker waits for the product, or
     * at least `threshold` pending leaves, or the oldest is at least `maxAgeMinutes` old), plus
     * oracles whose last root has not reached the chain.
     */
    async idsNeedingUpdate(params: {
        awaitingProductIds: Hex[];
        threshold: number;
        maxAgeMinutes: number;
    }): Promise<number[]> {
        const pending = this.db
            .select({
                oracleId: oraclePurchaseTable.oracleId,
                pendingCount: count().as("pending_count"),
                oldest: min(oraclePurchaseTable.updatedAt).as("oldest"),
            })
            .from(oraclePurchaseTable)
            .where(eq(oraclePurchaseTable.leafPending, true))
            .groupBy(oraclePurchaseTable.oracleId)
            .as("pending");
        const ageLimit = new Date(Date.now() - params.maxAgeMinutes * 60_000);
        const conditions = [
            gte(pending.pendingCount, params.threshold),
            // An aliased aggregate loses its column type: pass the bound as an explicit timestamptz.
            sql`${pending.oldest} <= ${ageLimit.toISOString()}::timestamptz`,
            and(eq(productOracleTable.synced, false), isNotNull(productOracleTable.merkleRoot)),
        ];
        if (params.awaitingProductIds.length > 0) {
            conditions.push(
                and(
                    isNotNull(pending.oracleId),
                    inArray(productOracleTable.productId, params.awaitingProductIds),
                ),
            );
        }
        const rows = await this.db
            .select({ id: productOracleTable.id })
            .from(productOracleTable)
            .leftJoin(pending, eq(pending.oracleId, productOracleTable.id))
            .where(or(...conditions))
            .orderBy(productOracleTable.id);
        return rows.map((row) => row.id);
    }

    async setRoot(executor: Executor, id: number, merkleRoot: Hex): Promise<void> {
        await executor
            .update(productOracleTable)
            .set({ merkleRoot, synced: false, updatedAt: sql`now()` })
            .where(eq(productOracleTable.id, id));
    }

    /** Records the root as on-chain, unless a newer root replaced it meanwhile. */
    async markSynced(id: number, merkleRoot: Hex, txHash: Hex | null): Promise<void> {
        await this.db
            .update(productOracleTable)
            .set({
                synced: true,
                ...(txHash ? { lastSyncTxHash: txHash } : {}),
                updatedAt: sql`now()`,
            })
            .where(
                and(eq(productOracleTable.id, id), eq(productOracleTable.merkleRoot, merkleRoot)),
            );
    }

    /** Enabled oracles whose latest root is not on-chain yet (a metrics queue depth). */
    async countUnsynced(): Promise<number> {
        const [row] = await this.db
            .select({ value: count() })
            .from(productOracleTable)
            .where(
                and(
                    eq(productOracleTable.enabled, true),
                    isNotNull(productOracleTable.merkleRoot),
                    eq(productOracleTable.synced, false),
                ),
            );
        return row?.value ?? 0;
    }
}
