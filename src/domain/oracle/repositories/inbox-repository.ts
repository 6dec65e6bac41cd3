import { eq } from "drizzle-orm";
import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { oracleWebhookInboxTable } from "../db/schema";

export type InboxEntry = {
    oracleId: number;
    platform: (typeof oracleWebhookInboxTable.$inferInsert)["platform"];
    deliveryKey: string | null;
    headers: Record<string, string>;
    body: Uint8Array;
    outcome: "processed" | "unprocessable" | "rejected" | "stale";
    reason: string | null;
    purchaseId: Hex | null;
};

/** oracle_webhook_inbox: every verified delivery, raw, with what became of it. */
export class InboxRepository {
    /** The new row's id; null when this delivery (same oracle and delivery key) is recorded. */
    async record(executor: Executor, entry: InboxEntry): Promise<number | null> {
        const rows = await executor
            .insert(oracleWebhookInboxTable)
            .values({ ...entry, reason: entry.reason?.slice(0, 500) ?? null })
            .onConflictDoNothing({
                target: [oracleWebhookInboxTable.oracleId, oracleWebhookInboxTable.deliveryKey],
            })
            .returning({ id: oracleWebhookInboxTable.id });
        return rows[0]?.id ?? null;
    }

    /** The delivery held an older state of its order than the stored one: it changed nothing. */
    async markStale(executor: Executor, id: number): Promise<void> {
        await executor
            .update(oracleWebhookInboxTable)
            .set({ outcome: "stale" })
            .where(eq(oracleWebhookInboxTable.id, id));
    }
}
