import { createAuthDomain } from "./domain/auth";
import { createBusinessDomain } from "./domain/business";
import { createInteractionsDomain } from "./domain/interactions";
import { createNotificationsDomain } from "./domain/notifications";
import { createOracleDomain } from "./domain/oracle";
import { createPairingDomain } from "./domain/pairing";
import { createWalletDomain } from "./domain/wallet";
import type { Infrastructure } from "./infrastructure";
import type { JobScheduler } from "./infrastructure/jobs";

/**
 * The composition root of the domains: each domain is wired by its own `create<Name>Domain`
 * (its `context.ts`), in dependency order, and receives other domains only through their
 * public `index.ts`.
 */
export function createDomains(infra: Infrastructure, jobs: JobScheduler) {
    const auth = createAuthDomain(infra, jobs);
    const business = createBusinessDomain(infra, jobs);
    const oracle = createOracleDomain(infra, jobs);
    const interactions = createInteractionsDomain(infra, jobs, { oracle });
    oracle.usePendingPurchaseTrackers(interactions.pendingPurchaseTrackers);
    oracle.onRootSynced(() => interactions.events.rootSynced());
    const wallet = createWalletDomain(infra, jobs, { mintedHosts: business.mintedDomains });
    const notifications = createNotificationsDomain(infra, jobs, interactions, wallet);
    const pairing = createPairingDomain(infra, jobs, notifications.signatureRequestNotifier);
    return { auth, business, interactions, notifications, oracle, pairing, wallet };
}

export type Domains = ReturnType<typeof createDomains>;

/** Releases what the domains hold open themselves (e.g. the MongoDB authenticator store). */
export async function closeDomains(domains: Domains): Promise<void> {
    await domains.auth.close();
    await domains.oracle.close();
}
