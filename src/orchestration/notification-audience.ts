import type { InteractionsDomain } from "../domain/interactions";
import type { NotificationsPorts } from "../domain/notifications";
import type { WalletDomain } from "../domain/wallet";

/**
 * The notification audience (docs/architecture.md, flows): a merchant may notify only wallets
 * that interacted with its products (interactions domain), optionally narrowed by their reward
 * totals on those products (wallet domain's reward index). The notifications domain declares
 * what it needs (`NotificationsPorts`); this is where the other domains answer it.
 */
export function notificationAudienceOf(domains: {
    interactions: InteractionsDomain;
    wallet: WalletDomain;
}): NotificationsPorts {
    return {
        audience: domains.interactions.audience,
        rewardTotals: domains.wallet.rewardTotals,
    };
}
