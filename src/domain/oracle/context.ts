import type { Hex } from "viem";
import type { Infrastructure } from "../../infrastructure";
import type { SessionMacros } from "../../infrastructure/http";
import type { JobScheduler } from "../../infrastructure/jobs";
import { oracleSetupRoutes } from "./api/oracle-setup-routes";
import { oracleWebhookRoutes } from "./api/webhook-routes";
import { InboxRepository } from "./repositories/inbox-repository";
import { OracleRepository } from "./repositories/oracle-repository";
import { PurchaseRepository } from "./repositories/purchase-repository";
import { MerkleBuildPool } from "./services/merkle-build-pool";
import { OracleSetupService } from "./services/oracle-setup-service";
import { ProofService } from "./services/proof-service";
import { RootUpdateService } from "./services/root-update-service";
import { MerkleTreeCache } from "./services/tree-cache";
import { WebhookIngestService } from "./services/webhook-ingest-service";

/** Coalesces wake-up checks after webhooks: at most one tracker look-up per interval. */
const WAKE_CHECK_INTERVAL_MS = 2_000;

/** Wires the oracle domain: webhooks, dashboard setup, Merkle trees, proofs and the root job. */
export function createOracleDomain(infra: Infrastructure, jobs: JobScheduler) {
    const db = infra.database.db;
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
    });
    const rootJob = jobs.register({
        name: "updateMerkleRoot",
        schedule: "0 */5 * * * *",
        run: () => rootUpdates.run(),
    });

    // After a committed order: wake the root job if a tracker waits for that order (one
    // set-based query for the orders of the interval, whatever the number of trackers).
    const touched = new Set<string>();
    let wakeTimer: ReturnType<typeof setTimeout> | undefined;
    const onOrderCommitted = (_productId: Hex, externalPurchaseId: string) => {
        touched.add(externalPurchaseId);
        if (wakeTimer) return;
        wakeTimer = setTimeout(async () => {
            wakeTimer = undefined;
            const orders = [...touched];
            touched.clear();
            try {
                if (await rootUpdates.isAwaitedPurchase(orders)) rootJob.wake();
            } catch (error) {
                infra.logger.warn({ err: error }, "oracle: tracker check failed");
            }
        }, WAKE_CHECK_INTERVAL_MS);
        wakeTimer.unref?.();
    };

    const ingest = new WebhookIngestService({
        db,
        oracles,
        purchases,
        inbox,
        logger: infra.logger,
        isRunningInProd: infra.config.isRunningInProd,
        shopifyApiSecret: infra.config.oracle.shopifyApiSecret,
        onOrderCommitted,
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
        /** Proofs for the interactions domain's purchase tracker. */
        proofs: {
            forPurchaseToken: (params: { token: string; externalPurchaseId: string }) =>
                proofs.forPurchaseToken(params),
            forPurchaseId: (purchaseId: Hex) => proofs.forPurchaseId(purchaseId),
            /** Many trackers at once: one result per ref, in order. */
            forPurchaseTokens: (refs: readonly { token: string; externalPurchaseId: string }[]) =>
                proofs.forPurchaseTokens(refs),
            /** The products of the refs' known purchases. */
            productIdsOf: (refs: readonly { token: string; externalPurchaseId: string }[]) =>
                proofs.productIdsOf(refs),
        },
        /** The `oracleUpdated` event: a root reached the chain. Returns an unsubscribe. */
        onRootSynced: rootUpdates.onRootSynced.bind(rootUpdates),
        /** Wires the "a tracker waits for this product" signal (interactions domain). */
        usePendingPurchaseTrackers: rootUpdates.usePendingPurchaseTrackers.bind(rootUpdates),
        jobs: { updateMerkleRoot: rootJob },
        /** Stops the tree-building worker threads (with the app). */
        close: () => treeBuilder.close(),
    };
}
