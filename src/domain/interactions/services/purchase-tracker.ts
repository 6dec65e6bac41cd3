import { type Hex, toHex } from "viem";
import { encodePurchaseCompleted, newInteractionId } from "../../../infrastructure/blockchain";
import type { Logger } from "../../../infrastructure/logger";
import type { Database } from "../../../infrastructure/persistence";
import { requireCanonicalProductId } from "../../../utils/product-id";
import type { PendingInteractionsRepository } from "../repositories/pending-interactions-repository";
import type {
    PurchaseTracker as PurchaseTrackerRow,
    PurchaseTrackersRepository,
} from "../repositories/purchase-trackers-repository";
import { PRODUCT_TYPE_DENOMINATOR } from "./interaction-types";

/** A wallet waiting for the proof of one shop order (a purchase tracker, as listened for). */
export type AwaitingPurchase = Pick<
    PurchaseTrackerRow,
    "id" | "wallet" | "token" | "externalPurchaseId"
>;

/** A purchase with its Merkle proof against the oracle's on-chain root. */
export type ProvenPurchase = { productId: Hex; purchaseId: Hex | bigint; proof: readonly Hex[] };

/**
 * The interactions side of purchase trackers: which wallets wait for which orders, and turning a
 * proven purchase into a pending purchase.completed interaction for the wallet that listened for
 * it. The interaction insert and the tracker's `pushed` flag are written in one transaction (the
 * seed used two statements). Proofs come from the oracle domain; the flow that fetches them and
 * calls this lives in src/orchestration/purchase-proof-flow.ts.
 */
export class PurchaseTracker {
    constructor(
        private readonly deps: {
            db: Database;
            trackers: PurchaseTrackersRepository;
            pending: PendingInteractionsRepository;
            logger: Logger;
            /** An unpushed tracker older than this has expired. */
            ttlMs: number;
        },
    ) {}

    /** Trackers created before this instant have expired. */
    liveSince(now = Date.now()): Date {
        return new Date(now - this.deps.ttlMs);
    }

    /** Drops the trackers whose purchase has not come within the TTL; returns how many. */
    async dropExpired(): Promise<number> {
        const expired = await this.deps.trackers.deleteExpired(this.deps.db, this.liveSince());
        if (expired > 0) this.deps.logger.info({ expired }, "expired purchase trackers dropped");
        return expired;
    }

    /** One page of the live trackers, in id order after `afterId`. */
    async livePage(page: { afterId: number; limit: number }): Promise<AwaitingPurchase[]> {
        const rows = await this.deps.trackers.pendingPage(this.deps.db, {
            ...page,
            createdSince: this.liveSince(),
        });
        return rows.map(({ id, wallet, token, externalPurchaseId }) => ({
            id,
            wallet,
            token,
            externalPurchaseId,
        }));
    }

    /** Whether a live tracker waits for one of these shop order ids (one query). */
    awaitsAnyOf(externalPurchaseIds: readonly string[]): Promise<boolean> {
        return this.deps.trackers.awaitsAnyOf(this.deps.db, externalPurchaseIds, this.liveSince());
    }

    /**
     * Queues the purchase.completed interaction of a tracker whose purchase is proven; false when
     * another runner holds or already pushed the tracker.
     */
    async queuePurchaseCompleted(
        tracker: AwaitingPurchase,
        proven: ProvenPurchase,
    ): Promise<boolean> {
        const { db, trackers, pending } = this.deps;
        const purchaseId =
            typeof proven.purchaseId === "bigint" ? proven.purchaseId : BigInt(proven.purchaseId);
        const done = await db.transaction(async (tx) => {
            if (!(await trackers.claim(tx, tracker.id))) return false;
            const interactionId = newInteractionId();
            await pending.insert(tx, [
                {
                    interactionId,
                    wallet: tracker.wallet,
                    productId: requireCanonicalProductId(proven.productId),
                    typeDenominator: PRODUCT_TYPE_DENOMINATOR.purchase,
                    interactionData: encodePurchaseCompleted(purchaseId, [...proven.proof]),
                },
            ]);
            await trackers.markPushed(tx, tracker.id, interactionId);
            return true;
        });
        if (done) {
            this.deps.logger.debug(
                { tracker: tracker.id, purchaseId: toHex(purchaseId) },
                "purchase.completed queued",
            );
        }
        return done;
    }
}
