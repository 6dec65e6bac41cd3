import { and, asc, eq, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { interactionsArchivedTable, interactionsPendingTable } from "../db/schema";

export type PendingInteraction = typeof interactionsPendingTable.$inferSelect;
export type NewPendingInteraction = Pick<
    typeof interactionsPendingTable.$inferInsert,
    "interactionId" | "wallet" | "productId" | "typeDenominator" | "interactionData"
>;
export type FailureStatus = "no_session" | "failed" | "execution_failed";
export type Failure = {
    status: FailureStatus;
    reason: string;
    retryCount: number;
    nextRetryAt: Date;
};

const t = interactionsPendingTable;

/** The queue: rows are claimed with FOR UPDATE SKIP LOCKED inside the caller's transaction. */
export class PendingInteractionsRepository {
    async insert(db: Executor, rows: NewPendingInteraction[]): Promise<number[]> {
        if (rows.length === 0) return [];
        const inserted = await db
            .insert(t)
            .values(rows.map((row) => ({ ...row, status: "pending" as const })))
            .onConflictDoNothing({ target: t.interactionId })
            .returning({ id: t.id });
        return inserted.map((row) => row.id);
    }

    claimPending(db: Executor, limit: number): Promise<PendingInteraction[]> {
        return db
            .select()
            .from(t)
            .where(eq(t.status, "pending"))
            .orderBy(asc(t.id))
            .limit(limit)
            .for("update", { skipLocked: true });
    }

    /** Up to `limit` simulated rows of one product (a batch goes to one product's contract). */
    async claimSimulated(db: Executor, limit: number): Promise<PendingInteraction[]> {
        const [first] = await db
            .select({ productId: t.productId })
            .from(t)
            .where(eq(t.status, "simulated"))
            .orderBy(asc(t.id))
            .limit(1)
            .for("update", { skipLocked: true });
        if (!first) return [];
        return db
            .select()
            .from(t)
            .where(and(eq(t.status, "simulated"), eq(t.productId, first.productId)))
            .orderBy(asc(t.id))
            .limit(limit)
            .for("update", { skipLocked: true });
    }

    /** Failed / no_session / execution_failed rows whose retry time has come. */
    claimDueRetries(db: Executor, now: Date, limit: number): Promise<PendingInteraction[]> {
        return db
            .select()
            .from(t)
            .where(
                and(
                    inArray(t.status, ["failed", "no_session", "execution_failed"]),
                    or(isNull(t.nextRetryAt), lte(t.nextRetryAt, now)),
                ),
            )
            .orderBy(asc(t.id))
            .limit(limit)
            .for("update", { skipLocked: true });
    }

    async setStatus(
        db: Executor,
        ids: number[],
        status: "pending" | "simulated",
        from: PendingInteraction["status"][],
    ): Promise<void> {
        if (ids.length === 0) return;
        await db
            .update(t)
            .set({ status, failureReason: null, batchId: null, updatedAt: new Date() })
            .where(and(inArray(t.id, ids), inArray(t.status, from)));
    }

    /**
     * Records failures: one UPDATE per distinct outcome (status, reason, retry count and time),
     * which in a batch is usually a single one for all its rows.
     */
    async markFailures(db: Executor, failures: Array<{ id: number } & Failure>): Promise<void> {
        const groups = new Map<string, { failure: Failure; ids: number[] }>();
        for (const { id, ...failure } of failures) {
            const key = JSON.stringify([
                failure.status,
                failure.reason,
                failure.retryCount,
                failure.nextRetryAt.getTime(),
            ]);
            const group = groups.get(key) ?? { failure, ids: [] };
            group.ids.push(id);
            groups.set(key, group);
        }
        const now = new Date();
        for (const { failure, ids } of groups.values()) {
            await db
                .update(t)
                .set({
                    status: failure.status,
                    failureReason: failure.reason.slice(0, 500),
                    retryCount: failure.retryCount,
                    lastRetryAt: now,
                    nextRetryAt: failure.nextRetryAt,
                    batchId: null,
                    updatedAt: now,
                })
                .where(inArray(t.id, ids));
        }
    }

    /** pending -> simulated, with the signatures made during the simulation (null: none). */
    async markSimulated(
        db: Executor,
        rows: Array<{ id: number; signature: Hex | null }>,
    ): Promise<void> {
        if (rows.length === 0) return;
        await db
            .update(t)
            .set({
                status: "simulated",
                failureReason: null,
                batchId: null,
                signature: signaturesById(rows),
                updatedAt: new Date(),
            })
            .where(
                and(
                    inArray(
                        t.id,
                        rows.map((row) => row.id),
                    ),
                    eq(t.status, "pending"),
                ),
            );
    }

    /**
     * Records a batch's intent on its rows: executing, owned by the batch, with the signatures
     * the executor had to make (rows signed in simulation keep theirs) and the on-chain
     * sequences it gave (once: rows not listed keep theirs).
     */
    async markExecuting(
        db: Executor,
        batchId: string,
        ids: number[],
        signed: Array<{ id: number; signature: Hex }>,
        sequenced: Array<{ id: number; sequence: bigint }> = [],
    ): Promise<void> {
        if (ids.length === 0) return;
        await db
            .update(t)
            .set({
                status: "executing",
                batchId,
                ...(signed.length > 0 ? { signature: signaturesById(signed) } : {}),
                ...(sequenced.length > 0 ? { sequence: sequencesById(sequenced) } : {}),
                updatedAt: new Date(),
            })
            .where(and(inArray(t.id, ids), eq(t.status, "simulated")));
    }

    ofBatch(db: Executor, batchId: string): Promise<PendingInteraction[]> {
        return db
            .select()
            .from(t)
            .where(and(eq(t.batchId, batchId), eq(t.status, "executing")))
            .orderBy(asc(t.id));
    }

    byInteractionIds(db: Executor, interactionIds: Hex[]): Promise<PendingInteraction[]> {
        if (interactionIds.length === 0) return Promise.resolve([]);
        return db.select().from(t).where(inArray(t.interactionId, interactionIds));
    }

    async delete(db: Executor, ids: number[]): Promise<void> {
        if (ids.length === 0) return;
        await db.delete(t).where(inArray(t.id, ids));
    }

    /** Moves rows past their retry limit to the dead-letter table. */
    async archive(db: Executor, rows: PendingInteraction[]): Promise<void> {
        if (rows.length === 0) return;
        await db
            .insert(interactionsArchivedTable)
            .values(
                rows.map((row) => ({
                    interactionId: row.interactionId,
                    wallet: row.wallet,
                    productId: row.productId,
                    typeDenominator: row.typeDenominator,
                    interactionData: row.interactionData,
                    signature: row.signature,
                    finalStatus: row.status,
                    failureReason: row.failureReason,
                    totalRetries: row.retryCount,
                    archiveReason: "max_retries" as const,
                    originalCreatedAt: row.createdAt,
                })),
            )
            .onConflictDoNothing({ target: interactionsArchivedTable.interactionId });
        await this.delete(
            db,
            rows.map((row) => row.id),
        );
    }

    async countByStatus(db: Executor): Promise<Record<string, number>> {
        const rows = await db
            .select({ status: t.status, count: sql<number>`count(*)::int` })
            .from(t)
            .groupBy(t.status);
        return Object.fromEntries(rows.map((row) => [row.status, row.count]));
    }
}

/** Each listed row's new sequence through a CASE on its id (the others keep theirs). */
function sequencesById(rows: Array<{ id: number; sequence: bigint }>): SQL {
    return sql.join(
        [
            sql`case ${t.id}`,
            ...rows.map((row) => sql`when ${row.id} then ${row.sequence}::bigint`),
            sql`else ${t.sequence} end`,
        ],
        sql` `,
    );
}

/**
 * One statement for many rows: each row's signature through a CASE on its id (rows not listed
 * keep theirs; a null signature stays null).
 */
function signaturesById(rows: Array<{ id: number; signature: Hex | null }>): SQL {
    return sql.join(
        [
            sql`case ${t.id}`,
            ...rows.map((row) =>
                row.signature === null
                    ? sql`when ${row.id} then null::bytea`
                    : sql`when ${row.id} then ${Buffer.from(row.signature.slice(2), "hex")}::bytea`,
            ),
            sql`else ${t.signature} end`,
        ],
        sql` `,
    );
}
