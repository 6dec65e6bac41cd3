import type { Infrastructure } from "../../infrastructure";
import type { SessionMacros } from "../../infrastructure/http";
import type { Job, JobScheduler } from "../../infrastructure/jobs";
import { Listeners } from "../../utils/listeners";
import { businessInteractionsWebhookRoutes } from "./api/business-interactions-webhook-routes";
import { extInteractionsRoutes } from "./api/ext-interactions-routes";
import { walletInteractionsRoutes } from "./api/wallet-interactions-routes";
import { AudienceRepository } from "./repositories/audience-repository";
import { CampaignChainReader } from "./repositories/campaign-chain-reader";
import { InteractionBatchesRepository } from "./repositories/interaction-batches-repository";
import { InteractionChainReader } from "./repositories/interaction-chain-reader";
import { InteractionSequencesRepository } from "./repositories/interaction-sequences-repository";
import { InteractionsWebhooksRepository } from "./repositories/interactions-webhooks-repository";
import { PendingInteractionsRepository } from "./repositories/pending-interactions-repository";
import { PurchaseTrackersRepository } from "./repositories/purchase-trackers-repository";
import { PushedInteractionsRepository } from "./repositories/pushed-interactions-repository";
import { WebhookDeliveriesRepository } from "./repositories/webhook-deliveries-repository";
import { type ExecutionReport, InteractionExecutor } from "./services/interaction-executor";
import { InteractionIntake } from "./services/interaction-intake";
import { InteractionRetrier } from "./services/interaction-retrier";
import { InteractionSimulator } from "./services/interaction-simulator";
import { InteractionsWebhookAdmin } from "./services/interactions-webhook-admin";
import { PurchaseListener } from "./services/purchase-listener";
import { PurchaseTracker } from "./services/purchase-tracker";
import { RewardEstimator } from "./services/reward-estimator";
import { fixedRates } from "./services/reward-prices";

/** Wires the interactions domain: repositories, services, jobs and routes. */
export function createInteractionsDomain(infra: Infrastructure, jobs: JobScheduler) {
    const db = infra.database.db;
    const { clients, deployment, signers } = infra.chain;
    const prod = infra.config.isRunningInProd;

    const pending = new PendingInteractionsRepository();
    const pushed = new PushedInteractionsRepository();
    const batches = new InteractionBatchesRepository();
    const purchaseTrackers = new PurchaseTrackersRepository();
    const webhooks = new InteractionsWebhooksRepository();
    const audienceRepository = new AudienceRepository(db);
    const chain = new InteractionChainReader(clients, deployment, signers);

    // A claim as large as an on-chain batch, so that one simulation run fills a whole batch.
    const claimSize = Math.max(50, infra.config.interactions.batchSize);
    // Jobs: the database is the queue; events below only wake them early.
    let executeJob: Job<ExecutionReport> | undefined;
    const simulator = new InteractionSimulator({
        db,
        chain,
        pending,
        signers,
        chainId: clients.chain.id,
        claimSize,
        onSimulated: () => executeJob?.wake(),
    });
    const executor = new InteractionExecutor({
        db,
        clients,
        signers,
        chain,
        pending,
        pushed,
        batches,
        sequences: new InteractionSequencesRepository(),
        logger: infra.logger,
        batchSize: infra.config.interactions.batchSize,
    });
    const retrier = new InteractionRetrier({ db, pending });

    const simulateJob = jobs.register({
        name: "interactions.simulate",
        schedule: prod ? "0 * * * * *" : "*/30 * * * * *",
        run: () => simulator.run(), // wakes the executor after each claim (onSimulated)
    });
    executeJob = jobs.register({
        name: "interactions.execute",
        schedule: prod ? "0 */3 * * * *" : "*/30 * * * * *",
        run: async () => {
            const report = await executor.run();
            // Mean interactions per on-chain batch of this run (each batch is one transaction).
            if (report.batches > 0) {
                const perBatch = (report.pushed + report.failed) / report.batches;
                for (let i = 0; i < report.batches; i++) {
                    infra.metrics.batchSize.observe({ job: "interactions.execute" }, perBatch);
                }
            }
            return report;
        },
    });
    const retryJob = jobs.register({
        name: "interactions.retry",
        schedule: "0 */30 * * * *",
        run: async () => {
            const report = await retrier.run();
            if (report.resimulate > 0) simulateJob.wake();
            if (report.resend > 0) executeJob?.wake();
            return report;
        },
    });
    const purchaseTracker = new PurchaseTracker({
        db,
        trackers: purchaseTrackers,
        pending,
        logger: infra.logger,
        ttlMs: infra.config.interactions.purchaseTrackerTtlMs,
    });
    const purchaseListened = new Listeners<void>((error) =>
        infra.logger.error({ err: error }, "purchase listened listener failed"),
    );

    const intake = new InteractionIntake({
        db,
        chain,
        pending,
        webhooks,
        deliveries: new WebhookDeliveriesRepository(),
        replayWindowMs: infra.config.interactions.webhookReplayWindowMs,
        onQueued: () => simulateJob.wake(),
    });
    const pruneWebhookDeliveriesJob = jobs.register({
        name: "interactions.pruneWebhookDeliveries",
        schedule: "0 17 * * * *",
        run: () => intake.pruneDeliveries(),
    });
    const listener = new PurchaseListener({
        db,
        trackers: purchaseTrackers,
        onTracked: () => purchaseListened.emit(),
    });
    const estimator = new RewardEstimator({
        campaigns: new CampaignChainReader(clients),
        chain,
        rates: fixedRates(deployment),
    });
    const webhookAdmin = new InteractionsWebhookAdmin({ db, webhooks });

    infra.metrics.queueDepth(
        "interactions_queue_depth",
        "Interactions not yet on-chain (pending, simulated, executing or waiting for a retry)",
        async () => {
            const byStatus = await pending.countByStatus(db);
            return Object.values(byStatus).reduce((total, value) => total + value, 0);
        },
    );
    return {
        /** Who interacted with which products (pushed on-chain or still in the pipeline). */
        audience: {
            walletsInteractedWith:
                audienceRepository.walletsInteractedWith.bind(audienceRepository),
            walletsAmong: audienceRepository.walletsAmong.bind(audienceRepository),
        },
        /**
         * Wallets waiting for the proof of a purchase (listenForPurchase): what the
         * purchase-proof flow (src/orchestration/) reads and completes.
         */
        purchaseTrackers: {
            dropExpired: () => purchaseTracker.dropExpired(),
            livePage: purchaseTracker.livePage.bind(purchaseTracker),
            awaitsAnyOf: purchaseTracker.awaitsAnyOf.bind(purchaseTracker),
            queuePurchaseCompleted: purchaseTracker.queuePurchaseCompleted.bind(purchaseTracker),
            /** A wallet started listening for a purchase. Returns an unsubscribe. */
            onListening: (listener: () => void) => purchaseListened.subscribe(listener),
        },
        jobs: {
            simulate: simulateJob,
            execute: executeJob,
            retry: retryJob,
            pruneWebhookDeliveries: pruneWebhookDeliveriesJob,
        },
        /** Mounted by `src/app.ts`; each route file declares its full paths. */
        routes: {
            wallet: (macros: SessionMacros) =>
                walletInteractionsRoutes({
                    macros,
                    intake,
                    listener,
                    estimator,
                    limiter: infra.rateLimiter,
                }),
            ext: () =>
                extInteractionsRoutes({
                    intake,
                    maxBodyBytes: infra.config.http.webhookMaxBodyBytes,
                }),
            business: (macros: SessionMacros) =>
                businessInteractionsWebhookRoutes({ macros, admin: webhookAdmin }),
        },
    };
}
