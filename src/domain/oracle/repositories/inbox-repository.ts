import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { oracleWebhookInboxTable } from "../db/schema";

export type InboxEntry = {
    oracleId: number;
    platform: (typeof oracleWebhookInboxTable.$inferInsert)["platform"];
    deliveryKey: string | null;
    headers: Record<string, string>;
    body: Uint8Array;
    outcome: "processed" | "unprocessable" | "rejected";
    reason: string | null;
    purchaseId: Hex | null;
};

/** oracle_webhook_inbox: every verified delivery, raw, with what became of it. */
export class InboxRepository {
    /** False when this delivery (same oracle and delivery key) is already recorded. */
    async record(executor: Executor, entry: InboxEntry): Promise<boolean> {
        const rows = await executor
            .insert(oracleWebhookInboxTable)
            .values({ ...entry, reason: entry.reason?.slice(0, 500) ?? null })
            .onConflictDoNothing({
                target: [oracleWebhookInboxTable.oracleId, oracleWebhookInboxTable.deliveryKey],
            })
            .returning({ id: oracleWebhookInboxTable.id });
        return rows.length > 0;
    }
}
