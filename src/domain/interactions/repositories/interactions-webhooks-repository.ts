import { eq } from "drizzle-orm";
import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { interactionsWebhookTable } from "../db/schema";

export type InteractionsWebhook = typeof interactionsWebhookTable.$inferSelect;

const t = interactionsWebhookTable;

/**
 * The interactions webhook of each product: the HMAC secret of its server-to-server interaction
 * pushes (the seed's "backend tracker"; table `backend_interactions_tracker`).
 */
export class InteractionsWebhooksRepository {
    async find(db: Executor, productId: Hex): Promise<InteractionsWebhook | undefined> {
        const [row] = await db.select().from(t).where(eq(t.productId, productId)).limit(1);
        return row;
    }

    async upsert(
        db: Executor,
        productId: Hex,
        hookSignatureKey: string,
        source: "custom",
    ): Promise<void> {
        await db
            .insert(t)
            .values({ productId, hookSignatureKey, source })
            .onConflictDoUpdate({ target: t.productId, set: { hookSignatureKey, source } });
    }

    /** Returns whether the product had a webhook set up. */
    async delete(db: Executor, productId: Hex): Promise<boolean> {
        const deleted = await db
            .delete(t)
            .where(eq(t.productId, productId))
            .returning({ id: t.id });
        return deleted.length > 0;
    }
}
