import type { InteractionsDomain } from "../domain/interactions";
import type { OracleDomain } from "../domain/oracle";
import type { JobScheduler } from "../infrastructure/jobs";

/** Trackers read (and looked up at the oracle in one query) per step of a run. */
const PAGE_SIZE = 500;

export type PurchaseTrackerRunReport = { queued: number; expired: number; visited: number };

/**
 * The purchase-proof flow (docs/architecture.md, flows): a wallet listens for a shop order
 * (interactions domain); once the oracle domain can prove the purchase confirmed against an
 * on-chain root, the wallet gets a purchase.completed interaction carrying that proof
 * (interactions domain again).
 *
 * Its job, `interactions.trackPurchases`, visits every live tracker a page at a time with one
 * oracle look-up per page (the seed read the 50 oldest, so 50 that never match starved every
 * later purchase), and drops the trackers whose purchase has not come within the TTL. Proof
 * look-ups run outside any transaction; each provable tracker is then claimed and written in its
 * own transaction by the interactions domain.
 */
export function createPurchaseProofFlow(deps: {
    interactions: InteractionsDomain;
    oracle: OracleDomain;
    jobs: JobScheduler;
}) {
    const { interactions, oracle } = deps;
    const trackers = interactions.purchaseTrackers;

    const run = async (): Promise<PurchaseTrackerRunReport> => {
        const report: PurchaseTrackerRunReport = { queued: 0, expired: 0, visited: 0 };
        report.expired = await trackers.dropExpired();
        for (let afterId = 0; ; ) {
            const page = await trackers.livePage({ afterId, limit: PAGE_SIZE });
            if (page.length === 0) break;
            report.visited += page.length;
            afterId = page[page.length - 1]!.id;
            const lookups = await oracle.proofs.forPurchaseTokens(page);
            for (const [i, tracker] of page.entries()) {
                const lookup = lookups[i]!;
                // Only a confirmed purchase earns the interaction; a refund never does.
                if (lookup.status !== "success" || lookup.purchaseStatus !== "confirmed") continue;
                if (await trackers.queuePurchaseCompleted(tracker, lookup)) report.queued++;
            }
            if (page.length < PAGE_SIZE) break;
        }
        if (report.queued > 0) interactions.jobs.simulate.wake();
        return report;
    };

    const purchaseTrackerJob = deps.jobs.register({
        name: "interactions.trackPurchases",
        formerName: "interactions.purchaseTracker",
        schedule: "0 */5 * * * *",
        run,
    });
    // The order may have come (and its root reached the chain) before the wallet listened.
    trackers.onListening(() => purchaseTrackerJob.wake());

    return { jobs: { purchaseTracker: purchaseTrackerJob } };
}

export type PurchaseProofFlow = ReturnType<typeof createPurchaseProofFlow>;
