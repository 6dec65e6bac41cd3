import { and, asc, eq } from "drizzle-orm";
import type { Address, Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { interactionBatchesTable } from "../db/schema";

export type InteractionBatch = typeof interactionBatchesTable.$inferSelect;

const t = interactionBatchesTable;

/** Intents of on-chain batches (see services/interaction-executor.ts for the protocol). */
export class InteractionBatchesRepository {
    async create(
        db: Executor,
        batch: {
            id: string;
            executor: Address;
            contract: Address;
            nonce: number;
            fromBlock: bigint;
            txHash: Hex;
            size: number;
        },
    ): Promise<void> {
        await db.insert(t).values({
            ...batch,
            executor: batch.executor.toLowerCase() as Hex,
            contract: batch.contract.toLowerCase() as Hex,
        });
    }

    open(db: Executor): Promise<InteractionBatch[]> {
        return db.select().from(t).where(eq(t.status, "sending")).orderBy(asc(t.createdAt));
    }

    async complete(db: Executor, id: string): Promise<void> {
        await db
            .update(t)
            .set({ status: "completed", completedAt: new Date() })
            .where(and(eq(t.id, id), eq(t.status, "sending")));
    }
}
