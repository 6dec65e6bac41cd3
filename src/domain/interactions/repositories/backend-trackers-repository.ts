import { eq } from "drizzle-orm";
import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { backendInteractionsTrackerTable } from "../db/schema";

export type BackendTracker = typeof backendInteractionsTrackerTable.$inferSelect;

const t = backendInteractionsTrackerTable;

/** Per-product HMAC secrets of server-to-server interaction pushes. */
export class BackendTrackersRepository {
    async find(db: Executor, productId: Hex): Promise<BackendTracker | undefined> {
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

    /** Returns whether a tracker existed. */
    async delete(db: Executor, productId: Hex): Promise<boolean> {
        const deleted = await db
            .delete(t)
            .where(eq(t.productId, productId))
            .returning({ id: t.id });
        return deleted.length > 0;
    }
}
