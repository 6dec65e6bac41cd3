import { type Hex, toHex } from "viem";
import { encodePurchaseCompleted, newInteractionId } from "../../../infrastructure/blockchain";
import type { Logger } from "../../../infrastructure/logger";
import type { Database } from "../../../infrastructure/persistence";
import { requireCanonicalProductId } from "../../../utils/product-id";
import type { OraclePort, PurchaseProofLookup } from "../ports";
import type { PendingInteractionsRepository } from "../repositories/pending-interactions-repository";
import type {
    PurchaseTracker as PurchaseTrackerRow,
    PurchaseTrackersRepository,
} from "../repositories/purchase-trackers-repository";
import { PRODUCT_TYPE_DENOMINATOR } from "./interaction-types";

/** Trackers read (and looked up at the oracle in one query) per step of a run. */
const PAGE_SIZE = 500;

export type PurchaseTrackerRunReport = { queued: number; expired: number; visited: number };

/**
 * A confirmed purchase whose Merkle root is on-chain becomes a pending purchase.completed
 * interaction carrying its proof, for the wallet that listened for it. The interaction insert and
 * the tracker's `pushed` flag are written in one transaction (the seed used two statements).
 *
 * Every run visits every live tracker, a page at a time with one oracle look-up per page (the
 * seed read the 50 oldest, so 50 that never match starved every later purchase); trackers whose
 * purchase has not come within the TTL are dropped.
 */
export class PurchaseTracker {
    constructor(
        private readonly deps: {
            db: Database;
            oracle: OraclePort | undefined;
            trackers: PurchaseTrackersRepository;
            pending: PendingInteractionsRepository;
            logger: Logger;
            /** An unpushed tracker older than this has expired. */
            ttlMs: number;
            onQueued: () => void;
        },
    ) {}

    /** Trackers created before this instant have expired. */
    liveSince(now = Date.now()): Date {
        return new Date(now - this.deps.ttlMs);
    }

    async run(): Promise<PurchaseTrackerRunReport> {
        const { oracle, db, trackers } = this.deps;
        const report: PurchaseTrackerRunReport = { queued: 0, expired: 0, visited: 0 };
        if (!oracle) return report;
        const createdSince = this.liveSince();
        report.expired = await trackers.deleteExpired(db, createdSince);
        if (report.expired > 0) {
            this.deps.logger.info({ expired: report.expired }, "expired purchase trackers dropped");
        }
        for (let afterId = 0; ; ) {
            const page = await trackers.pendingPage(db, {
                afterId,
                limit: PAGE_SIZE,
                createdSince,
            });
            if (page.length === 0) break;
            report.visited += page.length;
            afterId = page[page.length - 1]!.id;
            // Proof look-ups run outside any transaction (they read the oracle's tables); each
            // provable tracker is then locked and written in its own transaction.
            const lookups = await oracle.proofs.forPurchaseTokens(
                page.map((tracker) => ({
                    token: tracker.token,
                    externalPurchaseId: tracker.externalPurchaseId,
                })),
            );
            for (const [i, tracker] of page.entries()) {
                if (await this.push(tracker, lookups[i]!)) report.queued++;
            }
            if (page.length < PAGE_SIZE) break;
        }
        if (report.queued > 0) this.deps.onQueued();
        return report;
    }

    private async push(tracker: PurchaseTrackerRow, lookup: PurchaseProofLookup): Promise<boolean> {
        if (lookup.status !== "success" || lookup.purchaseStatus !== "confirmed") return false;
        const { db, trackers, pending } = this.deps;
        const purchaseId =
            typeof lookup.purchaseId === "bigint" ? lookup.purchaseId : BigInt(lookup.purchaseId);
        const done = await db.transaction(async (tx) => {
            if (!(await trackers.claim(tx, tracker.id))) return false;
            const interactionId = newInteractionId();
            await pending.insert(tx, [
                {
                    interactionId,
                    wallet: tracker.wallet,
                    productId: requireCanonicalProductId(lookup.productId),
                    typeDenominator: PRODUCT_TYPE_DENOMINATOR.purchase,
                    interactionData: encodePurchaseCompleted(purchaseId, lookup.proof as Hex[]),
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
