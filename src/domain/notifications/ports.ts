import type { Address, Hex } from "viem";

/** An inclusive numeric range of a filter; either bound may be absent. */
export type Range<T> = { min?: T; max?: T };

/** The part of a merchant's audience filter that interaction data answers. */
export type InteractionAudienceFilter = {
    interactions?: Range<number>;
    firstInteractionTimestamp?: Range<number>;
};

/**
 * Who interacted with which products: the interactions domain's `audience`, handed over by
 * the notification-audience orchestrator. Product ids are 32-byte lower-case hex.
 */
export type InteractionAudience = {
    /** Wallets with at least one interaction on one of `productIds`, narrowed by `filter`. */
    walletsInteractedWith(
        productIds: readonly Hex[],
        filter?: InteractionAudienceFilter,
    ): Promise<readonly Address[]>;
    /** The subset of `wallets` that interacted with at least one of `productIds`. */
    walletsAmong(
        wallets: readonly Address[],
        productIds: readonly Hex[],
    ): Promise<readonly Address[]>;
};

/**
 * Reward totals per wallet on a set of products (raw token units), for the `rewards` filter.
 * Implemented by the wallet domain's reward index; a deployment built without one refuses the
 * filter (422 `rewards_filter_unavailable`) rather than ignoring it.
 */
export type RewardTotals = {
    totalsOf(
        wallets: readonly Address[],
        productIds: readonly Hex[],
    ): Promise<ReadonlyMap<Address, bigint>>;
};

/**
 * What the notifications domain needs from outside, given when it is built: who interacted with
 * a merchant's products and, when the deployment has a reward index, the wallets' reward totals
 * (src/orchestration/notification-audience.ts builds both from the other domains' doors).
 */
export type NotificationsPorts = { audience: InteractionAudience; rewardTotals?: RewardTotals };

/**
 * What the pairing domain calls when a desktop asks the phone for a biometric signature: the
 * pairing domain declares it (its consumer); this domain implements it.
 */
export type { SignatureRequestNotifier } from "../pairing";
