import { Elysia } from "elysia";
import type { Infrastructure } from "../../infrastructure";
import type { SessionMacros } from "../../infrastructure/http";
import type { JobScheduler } from "../../infrastructure/jobs";
import { pairingRoutes } from "./api/pairing-routes";
import { pairingSocketRoute } from "./api/pairing-socket-route";
import { DevicePairingRepository } from "./repositories/device-pairing-repository";
import { SignatureRequestRepository } from "./repositories/signature-request-repository";
import { PairingCleanup } from "./services/pairing-cleanup";
import { PairingManagementService } from "./services/pairing-management-service";
import { PairingRelay } from "./services/pairing-relay";
import { PairingSocketService } from "./services/pairing-socket-service";
import type { SignatureRequestNotifier } from "./services/signature-request-notifier";

/** Every 30 minutes (docs/decisions.md, pairing); the seed ran every 6 hours. */
const cleanupSchedule = "0 */30 * * * *";

/** Wires the pairing domain: the socket protocol, its HTTP routes and the cleanup job. */
export function createPairingDomain(
    infra: Infrastructure,
    jobs: JobScheduler,
    notifier: SignatureRequestNotifier,
) {
    const pairings = new DevicePairingRepository(infra.database.db);
    const requests = new SignatureRequestRepository(infra.database.db);
    const relay = new PairingRelay(infra.pubsub);
    const sockets = new PairingSocketService({
        pairings,
        requests,
        relay,
        tokens: infra.tokens,
        notifier,
        logger: infra.logger,
        maxSocketsPerWallet: infra.config.sockets.maxPerWallet,
    });
    const management = new PairingManagementService(pairings, relay, infra.tokens, infra.logger);
    const cleanup = new PairingCleanup(pairings, requests, relay, infra.tokens, infra.logger);
    const cleanupJob = jobs.register({
        name: "pairing.cleanup",
        formerName: "cleanupPairings",
        schedule: cleanupSchedule,
        run: async () => {
            await cleanup.run();
        },
    });

    return {
        /** Mounted by `src/app.ts`; each route file declares its full paths. */
        routes: {
            /** The HTTP routes and the WebSocket. */
            wallet: (macros: SessionMacros) =>
                new Elysia({ name: "pairing" }).use(pairingRoutes(macros, management)).use(
                    pairingSocketRoute(sockets, {
                        maxPerIp: infra.config.sockets.maxPerIp,
                        trustedProxyHops: infra.config.trustedProxyHops,
                    }),
                ),
        },
        cleanupJob,
    };
}
