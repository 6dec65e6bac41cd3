import { type Hex, toHex } from "viem";
import { encodePurchaseCompleted, newInteractionId } from "../../../infrastructure/blockchain";
import type { Logger } from "../../../infrastructure/logger";
import type { Database } from "../../../infrastructure/persistence";
import { requireCanonicalProductId } from "../../../utils/product-id";
import type { OraclePort } from "../ports";
import type { PendingInteractionsRepository } from "../repositories/pending-interactions-repository";
import type { PurchaseTrackersRepository } from "../repositories/purchase-trackers-repository";
import { PRODUCT_TYPE_DENOMINATOR } from "./interaction-types";

/**
 * A confirmed purchase whose Merkle root is on-chain becomes a pending purchase.completed
 * interaction carrying its proof, for the wallet that listened for it. The interaction insert and
 * the tracker's `pushed` flag are written in one transaction (the seed used two statements).
 */
export class PurchaseTracker {
    constructor(
        private readonly deps: {
            db: Database;
            oracle: OraclePort | undefined;
            trackers: PurchaseTrackersRepository;
            pending: PendingInteractionsRepository;
            logger: Logger;
            onQueued: () => void;
        },
    ) {}

    async run(): Promise<{ queued: number }> {
        const { oracle, db, trackers, pending } = this.deps;
        if (!oracle) return { queued: 0 };
        let queued = 0;
        // Proof lookups run outside any transaction (they read the oracle's tables); each
        // tracker is then locked and written in its own transaction.
        for (const tracker of await trackers.unpushed(db, 50)) {
            const lookup = await oracle.proofs.forPurchaseToken({
                token: tracker.token,
                externalPurchaseId: tracker.externalPurchaseId,
            });
            if (lookup.status !== "success" || lookup.purchaseStatus !== "confirmed") continue;
            const purchaseId =
                typeof lookup.purchaseId === "bigint"
                    ? lookup.purchaseId
                    : BigInt(lookup.purchaseId);
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
            if (!done) continue;
            this.deps.logger.debug(
                { tracker: tracker.id, purchaseId: toHex(purchaseId) },
                "purchase.completed queued",
            );
            queued++;
        }
        if (queued > 0) this.deps.onQueued();
        return { queued };
    }
}
