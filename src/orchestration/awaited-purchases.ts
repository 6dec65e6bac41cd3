import type { InteractionsDomain } from "../domain/interactions";
import type { AwaitedPurchases } from "../domain/oracle";

/** Trackers read per page (one oracle look-up of their products per page). */
const PAGE_SIZE = 1_000;

/**
 * The oracle's `AwaitedPurchases` port, answered by the interactions domain's purchase trackers
 * (docs/architecture.md, flows): the root job qualifies the oracles of awaited purchases below
 * its threshold. Per page of live trackers, one query in each domain (the trackers' orders, then
 * their products), instead of a look-up per tracker and without holding them all in memory.
 */
export function awaitedPurchasesOf(interactions: InteractionsDomain): AwaitedPurchases {
    return {
        async *pages() {
            for (let afterId = 0; ; ) {
                const page = await interactions.purchaseTrackers.livePage({
                    afterId,
                    limit: PAGE_SIZE,
                });
                if (page.length > 0) yield page;
                if (page.length < PAGE_SIZE) return;
                afterId = page[page.length - 1]!.id;
            }
        },
    };
}
