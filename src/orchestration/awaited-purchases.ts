import type { InteractionsDomain } from "../domain/interactions";
import type { AwaitedPurchases } from "../domain/oracle";

/**
 * The oracle's `AwaitedPurchases` port, answered by the interactions domain's purchase trackers
 * (docs/architecture.md, flows): the root job qualifies the oracles of awaited purchases below
 * its threshold. Two set-based queries per root job run, one per domain (the live trackers'
 * orders, then their products), instead of a look-up per tracker.
 */
export function awaitedPurchasesOf(interactions: InteractionsDomain): AwaitedPurchases {
    return { list: () => interactions.purchaseTrackers.awaitedPurchases() };
}
