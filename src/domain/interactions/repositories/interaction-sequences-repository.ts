import { sql } from "drizzle-orm";
import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { interactionSequencesTable } from "../db/schema";

const t = interactionSequencesTable;

/**
 * Per-product counters of on-chain interaction ids (ProductInteraction's bitmap). Taken inside
 * the executor's batch-intent transaction: the row lock serialises takers, and a rolled-back
 * take was never signed nor sent, so its ids may be given again.
 */
export class InteractionSequencesRepository {
    /** Reserves `count` consecutive ids of the product; returns the first. */
    async take(db: Executor, productId: Hex, count: number): Promise<bigint> {
        const [row] = await db
            .insert(t)
            .values({ productId, next: BigInt(count) })
            .onConflictDoUpdate({ target: t.productId, set: { next: sql`${t.next} + ${count}` } })
            .returning({ next: t.next });
        if (!row) throw new Error("interaction sequence not reserved");
        return row.next - BigInt(count);
    }
}
