import { lt, sql } from "drizzle-orm";
import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { interactionsWebhookDeliveryTable } from "../db/schema";

const delivery = interactionsWebhookDeliveryTable;

/** Interactions webhook deliveries already accepted, within the replay window. */
export class WebhookDeliveriesRepository {
    /**
     * Takes the delivery key for this product; false when it was taken after `windowStart` (a
     * replay). One statement: of two concurrent identical deliveries exactly one is accepted.
     */
    async acceptOnce(
        executor: Executor,
        params: { productId: Hex; deliveryKey: string; windowStart: Date },
    ): Promise<boolean> {
        const rows = await executor
            .insert(delivery)
            .values({ productId: params.productId, deliveryKey: params.deliveryKey })
            .onConflictDoUpdate({
                target: [delivery.productId, delivery.deliveryKey],
                set: { receivedAt: sql`now()` },
                setWhere: lt(delivery.receivedAt, params.windowStart),
            })
            .returning({ id: delivery.id });
        return rows.length > 0;
    }

    /** Forgets deliveries older than `before` (nothing could be refused by them any more). */
    async prune(executor: Executor, before: Date): Promise<number> {
        const deleted = await executor
            .delete(delivery)
            .where(lt(delivery.receivedAt, before))
            .returning({ id: delivery.id });
        return deleted.length;
    }
}
