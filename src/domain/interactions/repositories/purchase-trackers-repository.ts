import { and, asc, eq } from "drizzle-orm";
import type { Address, Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { interactionsPurchaseTrackerTable } from "../db/schema";

export type PurchaseTracker = typeof interactionsPurchaseTrackerTable.$inferSelect;

const t = interactionsPurchaseTrackerTable;

export class PurchaseTrackersRepository {
    /** A duplicate (external purchase id, external customer id) is ignored, as in the seed. */
    async insert(
        db: Executor,
        tracker: {
            wallet: Address;
            externalPurchaseId: string;
            externalCustomerId: string;
            token: string;
        },
    ): Promise<void> {
        await db
            .insert(t)
            .values({ ...tracker, wallet: tracker.wallet.toLowerCase() as Hex })
            .onConflictDoNothing({ target: [t.externalPurchaseId, t.externalCustomerId] });
    }

    unpushed(db: Executor, limit: number): Promise<PurchaseTracker[]> {
        return db.select().from(t).where(eq(t.pushed, false)).orderBy(asc(t.id)).limit(limit);
    }

    /** Locks one still-unpushed tracker (none if another runner holds or pushed it). */
    async claim(db: Executor, id: number): Promise<PurchaseTracker | undefined> {
        const [row] = await db
            .select()
            .from(t)
            .where(and(eq(t.id, id), eq(t.pushed, false)))
            .for("update", { skipLocked: true });
        return row;
    }

    async markPushed(db: Executor, id: number, interactionId: Hex): Promise<void> {
        await db
            .update(t)
            .set({ pushed: true, pushedAt: new Date(), interactionId })
            .where(and(eq(t.id, id), eq(t.pushed, false)));
    }

    /** Purchases some wallet is waiting for (the oracle prioritises their products' roots). */
    awaiting(
        db: Executor,
    ): Promise<Array<{ token: string; externalPurchaseId: string; externalCustomerId: string }>> {
        return db
            .select({
                token: t.token,
                externalPurchaseId: t.externalPurchaseId,
                externalCustomerId: t.externalCustomerId,
            })
            .from(t)
            .where(eq(t.pushed, false));
    }
}
