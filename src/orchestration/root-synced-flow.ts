import type { OracleDomain } from "../domain/oracle";
import type { PurchaseProofFlow } from "./purchase-proof-flow";

/**
 * The root-synced flow (docs/architecture.md, flows): when a product's Merkle root reaches the
 * chain (the oracle's `oracleUpdated` event), the purchase trackers run now, since the purchases
 * they wait for may have just become provable.
 */
export function createRootSyncedFlow(deps: {
    oracle: OracleDomain;
    purchaseProofs: PurchaseProofFlow;
}) {
    deps.oracle.onRootSynced(() => deps.purchaseProofs.jobs.purchaseTracker.wake());
}
