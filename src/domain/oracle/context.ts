import type { Infrastructure } from "../../infrastructure";
import type { SessionMacros } from "../../infrastructure/http";
import type { JobScheduler } from "../../infrastructure/jobs";
import { Listeners } from "../../utils/listeners";
import { oracleSetupRoutes } from "./api/oracle-setup-routes";
import { oracleWebhookRoutes } from "./api/webhook-routes";
import type { CommittedOrder, OraclePorts, PurchaseRef } from "./ports";
import { InboxRepository } from "./repositories/inbox-repository";
import { OracleRepository } from "./repositories/oracle-repository";
import { PurchaseRepository } from "./repositories/purchase-repository";
import { MerkleBuildPool } from "./services/merkle-build-pool";
import { OracleSetupService } from "./services/oracle-setup-service";
import { ProofService } from "./services/proof-service";
import { type RootSyncedEvent, RootUpdateService } from "./services/root-update-service";
import { MerkleTreeCache } from "./services/tree-cache";
import { WebhookIngestService } from "./services/webhook-ingest-service";

/** Wires the oracle domain: webhooks, dashboard setup, Merkle trees, proofs and the root job. */
export function createOracleDomain(
    infra: Infrastructure,
    jobs: JobScheduler,
    ports: OraclePorts = {},
) {
    const db = infra.database.db;
    const rootSynced = new Listeners<RootSyncedEvent>((error) =>
        infra.logger.error({ err: error }, "oracleUpdated listener failed"),
    );
    const orderCommitted = new Listeners<CommittedOrder>((error) =>
        infra.logger.error({ err: error }, "order committed listener failed"),
    );
    const oracles = new OracleRepository(db);
    const purchases = new PurchaseRepository(db);
    const inbox = new InboxRepository();
    // Two threads: the machine's core count; workers start on the first large build only.
    const treeBuilder = new MerkleBuildPool(2);
    const trees = new MerkleTreeCache(purchases, infra.config.oracle.treeCacheBytes, treeBuilder);
    const proofs = new ProofService(db, purchases, trees);
    const rootUpdates = new RootUpdateService({
        db,
        oracles,
        purchases,
        trees,
        chain: infra.chain,
        logger: infra.logger,
        settings: {
            threshold: infra.config.oracle.updateThreshold,
            maxAgeMinutes: infra.config.oracle.updateMaxAgeMinutes,
        },
        awaitedPurchases: ports.awaitedPurchases,
        onRootSynced: (event) => rootSynced.emit(event),
    });
    const rootJob = jobs.register({
        name: "oracle.updateMerkleRoot",
        formerName: "updateMerkleRoot",
        schedule: "0 */5 * * * *",
        run: () => rootUpdates.run(),
    });

    const ingest = new WebhookIngestService({
        db,
        oracles,
        purchases,
        inbox,
        logger: infra.logger,
        isRunningInProd: infra.config.isRunningInProd,
        shopifyApiSecret: infra.config.oracle.shopifyApiSecret,
        onOrderCommitted: (productId, externalPurchaseId) =>
            orderCommitted.emit({ productId, externalPurchaseId }),
    });
    const setup = new OracleSetupService(oracles);

    infra.metrics.queueDepth(
        "oracle_unsynced_roots",
        "Enabled purchase oracles whose latest Merkle root is not on-chain yet",
        () => oracles.countUnsynced(),
    );
    return {
        /** Mounted by `src/app.ts`; each route file declares its full paths. */
        routes: {
            ext: () =>
                oracleWebhookRoutes(
                    ingest,
                    infra.config.http.webhookMaxBodyBytes,
                    (platform, outcome) =>
                        infra.metrics.webhookDeliveries.inc({ source: platform, outcome }),
                ),
            business: (macros: SessionMacros) => oracleSetupRoutes(macros, setup),
        },
        /** Proofs of purchases against the on-chain roots (the purchase-proof flow reads them). */
        proofs: {
            forPurchaseToken: (ref: PurchaseRef) => proofs.forPurchaseToken(ref),
            /** Many purchases at once: one result per ref, in order, from one look-up. */
            forPurchaseTokens: (refs: readonly PurchaseRef[]) => proofs.forPurchaseTokens(refs),
        },
        /** The `oracleUpdated` event: a root reached the chain. Returns an unsubscribe. */
        onRootSynced: (listener: (event: RootSyncedEvent) => void) =>
            rootSynced.subscribe(listener),
        /** A webhook committed an order (its purchase row is written). Returns an unsubscribe. */
        onOrderCommitted: (listener: (order: CommittedOrder) => void) =>
            orderCommitted.subscribe(listener),
        jobs: { updateMerkleRoot: rootJob },
        /** Stops the tree-building worker threads (with the app). */
        close: () => treeBuilder.close(),
    };
}
