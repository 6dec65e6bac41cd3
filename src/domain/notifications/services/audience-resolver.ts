import { type Address, type Hex, hexToBigInt } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import { canonicalProductId } from "../../../utils/product-id";
import type { InteractionAudience, Range, RewardTotals } from "../ports";

export type AudienceFilter = {
    productIds?: Hex[];
    interactions?: Range<number>;
    rewards?: Range<Hex>;
    firstInteractionTimestamp?: Range<number>;
};

/** Exactly one of the two (the route schema enforces it). */
export type Targets = { wallets?: Address[]; filter?: AudienceFilter };

export type Audience = {
    wallets: readonly Address[];
    /** Explicit wallets dropped because they never interacted with the merchant's products. */
    skipped: number;
};

const WALLETS_PER_QUERY = 5_000;

export type ManagedProducts = { productsManagedBy(wallet: Address): Promise<readonly Hex[]> };

/**
 * Who a merchant may notify: only wallets that interacted with one of the products the merchant
 * owns or administers. Explicit wallet lists are narrowed to those; filters are evaluated on our
 * own interaction (and, once it exists, reward) data, within the merchant's products only.
 */
export class AudienceResolver {
    constructor(
        private readonly products: ManagedProducts,
        private readonly interactions: InteractionAudience,
        private readonly rewards: RewardTotals | undefined,
    ) {}

    async resolve(merchant: Address, targets: Targets): Promise<Audience> {
        if (targets.wallets) return this.narrowExplicit(merchant, targets.wallets);
        return { wallets: await this.evaluateFilter(merchant, targets.filter ?? {}), skipped: 0 };
    }

    private async narrowExplicit(merchant: Address, wallets: Address[]): Promise<Audience> {
        const requested = uniqueLowerCase(wallets);
        if (requested.length === 0) return { wallets: [], skipped: 0 };
        const managed = await this.products.productsManagedBy(merchant);
        const reachable: Address[] = [];
        // Chunks keep each audience query's bound parameters well under PostgreSQL's limit.
        for (let i = 0; managed.length > 0 && i < requested.length; i += WALLETS_PER_QUERY) {
            const chunk = requested.slice(i, i + WALLETS_PER_QUERY);
            reachable.push(
                ...uniqueLowerCase(await this.interactions.walletsAmong(chunk, managed)),
            );
        }
        // Only wallets that were asked for, whatever the audience source returns.
        const asked = new Set(requested);
        const kept = reachable.filter((wallet) => asked.has(wallet));
        return { wallets: kept, skipped: requested.length - kept.length };
    }

    private async evaluateFilter(merchant: Address, filter: AudienceFilter): Promise<Address[]> {
        // Refuse before any work rather than silently ignoring a criterion.
        if (filter.rewards && !this.rewards) {
            throw new ApiError("rewards_filter_unavailable", "rewards filter not available yet");
        }
        const rewardRange = filter.rewards ? parseRewardRange(filter.rewards) : undefined;
        const requestedProducts = filter.productIds?.map(parseProductId);
        const managed = await this.products.productsManagedBy(merchant);
        const productIds = requestedProducts
            ? [...new Set(requestedProducts)].filter((id) => managed.includes(id))
            : [...managed];
        if (productIds.length === 0) return [];
        let wallets = uniqueLowerCase(
            await this.interactions.walletsInteractedWith(productIds, {
                interactions: filter.interactions,
                firstInteractionTimestamp: filter.firstInteractionTimestamp,
            }),
        );
        if (rewardRange && this.rewards && wallets.length > 0) {
            const totals = await this.rewards.totalsOf(wallets, productIds);
            const totalOf = new Map(
                [...totals].map(([wallet, total]) => [wallet.toLowerCase(), total] as const),
            );
            wallets = wallets.filter((wallet) => {
                const total = totalOf.get(wallet) ?? 0n;
                return (
                    (rewardRange.min === undefined || total >= rewardRange.min) &&
                    (rewardRange.max === undefined || total <= rewardRange.max)
                );
            });
        }
        return wallets;
    }
}

function uniqueLowerCase(wallets: readonly Address[]): Address[] {
    return [...new Set(wallets.map((wallet) => wallet.toLowerCase() as Address))];
}

function parseProductId(id: Hex): Hex {
    // Any length up to 32 bytes: `0x1` and its padded form are the same product.
    const canonical = canonicalProductId(id);
    if (!canonical) {
        throw new ApiError("invalid_filter_product_id", `Invalid product id ${id}`);
    }
    return canonical;
}

function parseRewardRange(range: Range<Hex>): Range<bigint> {
    const parse = (value: Hex | undefined, bound: string) => {
        if (value === undefined) return undefined;
        if (value.length < 3 || value.length > 66) {
            throw new ApiError("invalid_reward_bound", `Invalid rewards.${bound} ${value}`);
        }
        return hexToBigInt(value);
    };
    return { min: parse(range.min, "min"), max: parse(range.max, "max") };
}
