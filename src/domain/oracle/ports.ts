import type { Hex } from "viem";
import type { PurchaseRef } from "./repositories/purchase-repository";

export type { PurchaseRef };

/**
 * The purchases someone waits a proof for (the interactions domain's purchase trackers, handed
 * over by src/orchestration/awaited-purchases.ts): the oracles of their products qualify for a
 * root update below the threshold, so a waiting buyer is not held up by a quiet shop.
 */
export type AwaitedPurchases = {
    /** The awaited purchases a page at a time (never all of them in memory at once). */
    pages(): AsyncIterable<readonly PurchaseRef[]>;
};

/** What the oracle domain needs from outside, given when it is built (docs/architecture.md). */
export type OraclePorts = { awaitedPurchases?: AwaitedPurchases };

/** A shop order whose purchase row was committed by a webhook. */
export type CommittedOrder = { productId: Hex; externalPurchaseId: string };
