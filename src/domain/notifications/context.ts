import type { Infrastructure } from "../../infrastructure";
import type { SessionMacros } from "../../infrastructure/http";
import type { JobScheduler } from "../../infrastructure/jobs";
import { businessSendRoutes } from "./api/business-send-routes";
import { walletTokenRoutes } from "./api/wallet-token-routes";
import type { NotificationsPorts } from "./ports";
import { MerchantProductsChainReader } from "./repositories/merchant-products-chain-reader";
import { PushTokenRepository } from "./repositories/push-token-repository";
import { AudienceResolver } from "./services/audience-resolver";
import { BroadcastService, NotificationDelivery } from "./services/broadcast-service";
import { PushEndpointPolicy } from "./services/push-endpoint-policy";
import { PushTokenService } from "./services/push-token-service";
import { createSignatureRequestNotifier } from "./services/signature-request-notifier";
import { resolveVapidKeys, type VapidKeys } from "./services/vapid-keys";
import { WebPushSender } from "./services/web-push-sender";

/** How long a push service keeps an undelivered notification: one day. */
const PUSH_TTL_SECONDS = 86_400;

/** Wires the notifications domain: push subscriptions, merchant broadcasts, pairing alerts. */
export function createNotificationsDomain(
    infra: Infrastructure,
    jobs: JobScheduler,
    ports: NotificationsPorts,
) {
    const { config, logger } = infra;
    const tokens = new PushTokenRepository(infra.database.db);

    const cleanupJob = jobs.register({
        name: "notifications.cleanupExpiredPushTokens",
        formerName: "cleanupExpiredPushTokens",
        schedule: "0 17 * * * *",
        async run() {
            const removed = await tokens.deleteExpired();
            if (removed > 0) logger.info({ removed }, "expired push subscriptions removed");
        },
    });
    const requestCleanup = () => cleanupJob.wake();

    // Resolved on first send, so instances that never push never write `vapid.json`.
    let vapidKeys: VapidKeys | undefined;
    const keys = () => {
        vapidKeys ??= resolveVapidKeys({
            publicKey: config.push.vapidPublicKey,
            privateKey: config.push.vapidPrivateKey,
            subject: config.push.vapidSubject,
            dataDir: config.dataDir,
            allowGenerated: !config.isRunningInProd,
        });
        return vapidKeys;
    };
    const endpointPolicy = new PushEndpointPolicy({
        allowlist: config.push.endpointAllowlist,
        dnsServers: config.business.dnsResolvers,
        dnsTimeoutMs: config.business.dnsTimeoutMs,
    });
    const sender = new WebPushSender(
        keys,
        {
            concurrency: config.push.concurrency,
            timeoutMs: config.push.timeoutMs,
            ttlSeconds: PUSH_TTL_SECONDS,
        },
        logger,
        endpointPolicy,
    );
    const delivery = new NotificationDelivery(tokens, sender, (error) =>
        logger.warn({ err: error }, "queued notification delivery failed"),
    );
    const audience = new AudienceResolver(
        new MerchantProductsChainReader(
            infra.chain.clients,
            infra.chain.deployment,
            infra.productRoles,
        ),
        ports.audience,
        ports.rewardTotals,
    );
    const tokenService = new PushTokenService(
        tokens,
        endpointPolicy,
        config.push.maxSubscriptionsPerWallet,
        requestCleanup,
    );
    const broadcastService = new BroadcastService(audience, delivery, requestCleanup);

    return {
        /** Mounted by `src/app.ts`; each route file declares its full paths. */
        routes: {
            wallet: (macros: SessionMacros) => walletTokenRoutes(macros, tokenService),
            business: (macros: SessionMacros) => businessSendRoutes(macros, broadcastService),
        },
        /** For the pairing domain: alert a wallet's devices of a pending signature request. */
        signatureRequestNotifier: createSignatureRequestNotifier(delivery, logger),
        /** The VAPID public key browsers subscribe with (`applicationServerKey`). */
        vapidPublicKey: () => keys().publicKey,
        jobs: { cleanupExpiredPushTokens: cleanupJob },
        /** Sends to wallets already chosen (benchmarks and orchestration); no audience check. */
        delivery,
    };
}
