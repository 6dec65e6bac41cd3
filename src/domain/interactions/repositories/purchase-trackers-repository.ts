import { and, asc, eq, gt, gte, inArray, lt } from "drizzle-orm";
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

    /**
     * One page of the trackers still waiting, created at or after `createdSince` (older ones have
     * expired), in id order after `afterId`: a run walks every page, so no tracker waits behind
     * others that never match.
     */
    pendingPage(
        db: Executor,
        page: { afterId: number; limit: number; createdSince: Date },
    ): Promise<PurchaseTracker[]> {
        return db
            .select()
            .from(t)
            .where(
                and(
                    eq(t.pushed, false),
                    gt(t.id, page.afterId),
                    gte(t.createdAt, page.createdSince),
                ),
            )
            .orderBy(asc(t.id))
            .limit(page.limit);
    }

    /** Drops the trackers whose purchase never came before `createdBefore`. */
    async deleteExpired(db: Executor, createdBefore: Date): Promise<number> {
        const deleted = await db
            .delete(t)
            .where(and(eq(t.pushed, false), lt(t.createdAt, createdBefore)))
            .returning({ id: t.id });
        return deleted.length;
    }

    /** Whether a live tracker waits for one of these shop order ids. */
    async awaitsAnyOf(
        db: Executor,
        externalPurchaseIds: readonly string[],
        createdSince: Date,
    ): Promise<boolean> {
        if (externalPurchaseIds.length === 0) return false;
        const [row] = await db
            .select({ id: t.id })
            .from(t)
            .where(
                and(
                    inArray(t.externalPurchaseId, [...externalPurchaseIds]),
                    eq(t.pushed, false),
                    gte(t.createdAt, createdSince),
                ),
            )
            .limit(1);
        return row !== undefined;
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
}
