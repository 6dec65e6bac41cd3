import { createAuthDomain } from "./domain/auth";
import { createBusinessDomain } from "./domain/business";
import { createInteractionsDomain } from "./domain/interactions";
import { createNotificationsDomain } from "./domain/notifications";
import { createOracleDomain } from "./domain/oracle";
import { createPairingDomain } from "./domain/pairing";
import { createWalletDomain } from "./domain/wallet";
import type { Infrastructure } from "./infrastructure";
import type { JobScheduler } from "./infrastructure/jobs";
import { createAwaitedOrderFlow } from "./orchestration/awaited-order-flow";
import { awaitedPurchasesOf } from "./orchestration/awaited-purchases";
import { notificationAudienceOf } from "./orchestration/notification-audience";
import { createPurchaseProofFlow } from "./orchestration/purchase-proof-flow";
import { createRootSyncedFlow } from "./orchestration/root-synced-flow";

/**
 * The composition root of the domains: each domain is wired by its own `create<Name>Domain`
 * (its `context.ts`) and receives what it needs from outside as ports, when it is built; the
 * flows that cross domains are the orchestrators of src/orchestration/, built last on the
 * domains' public doors (docs/architecture.md, flows).
 */
export function createDomains(infra: Infrastructure, jobs: JobScheduler) {
    const auth = createAuthDomain(infra, jobs);
    const business = createBusinessDomain(infra, jobs);
    const interactions = createInteractionsDomain(infra, jobs);
    const oracle = createOracleDomain(infra, jobs, {
        awaitedPurchases: awaitedPurchasesOf(interactions),
    });
    const wallet = createWalletDomain(infra, jobs, { mintedHosts: business.mintedDomains });
    const notifications = createNotificationsDomain(
        infra,
        jobs,
        notificationAudienceOf({ interactions, wallet }),
    );
    const pairing = createPairingDomain(infra, jobs, notifications.signatureRequestNotifier);

    const purchaseProofs = createPurchaseProofFlow({ interactions, oracle, jobs });
    createRootSyncedFlow({ oracle, purchaseProofs });
    createAwaitedOrderFlow({ interactions, oracle, logger: infra.logger });
    return {
        auth,
        business,
        interactions,
        notifications,
        oracle,
        pairing,
        wallet,
        /** The cross-domain flows that own a job (tests and operators run it by name). */
        flows: { purchaseProofs },
    };
}

export type Domains = ReturnType<typeof createDomains>;

/** Releases what the domains hold open themselves (e.g. the MongoDB authenticator store). */
export async function closeDomains(domains: Domains): Promise<void> {
    await domains.auth.close();
    await domains.oracle.close();
}
