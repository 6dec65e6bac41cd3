/** Public door of the oracle domain. */
export { createOracleDomain } from "./context";
export { type PurchaseStatus, purchaseLeafPreimage } from "./db/purchase-leaf";
export type { AwaitedPurchases, CommittedOrder, OraclePorts, PurchaseRef } from "./ports";
export { MerkleBuildPool } from "./services/merkle-build-pool";
export { MerkleTree, verifyProof } from "./services/merkle-tree";
export type { PurchaseProofResult } from "./services/proof-service";
export { purchaseIdOf } from "./services/purchase-id";
export type { RootSyncedEvent } from "./services/root-update-service";

import type { createOracleDomain } from "./context";

export type OracleDomain = ReturnType<typeof createOracleDomain>;
