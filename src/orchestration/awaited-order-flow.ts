import type { InteractionsDomain } from "../domain/interactions";
import type { OracleDomain } from "../domain/oracle";
import type { Logger } from "../infrastructure/logger";

/** Coalesces wake-up checks after webhooks: at most one tracker look-up per interval. */
const WAKE_CHECK_INTERVAL_MS = 2_000;

/**
 * The awaited-order flow (docs/architecture.md, flows): when a webhook commits an order that a
 * wallet listens for, the oracle's root job runs now instead of at its next tick, so the buyer's
 * proof (and reward) does not wait for the schedule. The orders of an interval are checked
 * together, with one set-based query whatever the number of trackers or webhooks.
 */
export function createAwaitedOrderFlow(deps: {
    interactions: InteractionsDomain;
    oracle: OracleDomain;
    logger: Logger;
}) {
    const { interactions, oracle, logger } = deps;
    const touched = new Set<string>();
    let wakeTimer: ReturnType<typeof setTimeout> | undefined;

    const check = async () => {
        wakeTimer = undefined;
        const orders = [...touched];
        touched.clear();
        try {
            if (await interactions.purchaseTrackers.awaitsAnyOf(orders)) {
                oracle.jobs.updateMerkleRoot.wake();
            }
        } catch (error) {
            logger.warn({ err: error }, "oracle: tracker check failed");
        }
    };

    oracle.onOrderCommitted(({ externalPurchaseId }) => {
        touched.add(externalPurchaseId);
        if (wakeTimer) return;
        wakeTimer = setTimeout(check, WAKE_CHECK_INTERVAL_MS);
        wakeTimer.unref?.();
    });
}
