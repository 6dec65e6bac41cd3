import type { Address } from "viem";

/** Fiat value of one whole token. */
export type FiatPrice = { usd: number; eur: number; gbp: number };

/** Where fiat prices come from; `undefined` means "no price" (never an error). */
export type PricingProvider = {
    priceOf(token: Address): Promise<FiatPrice | undefined>;
};

/** Asks each provider in turn; the first price wins. */
export class ChainedPricing implements PricingProvider {
    constructor(private readonly providers: readonly PricingProvider[]) {}

    async priceOf(token: Address): Promise<FiatPrice | undefined> {
        for (const provider of this.providers) {
            const price = await provider.priceOf(token);
            if (price) return price;
        }
        return undefined;
    }
}

/** The seed's hard-coded Monerium-style stablecoin rates. */
export const STABLECOIN_RATES = {
    usde: { usd: 1, eur: 0.85, gbp: 0.75 },
    eure: { usd: 1.18, eur: 1, gbp: 0.88 },
    gbpe: { usd: 1.33, eur: 1.14, gbp: 1 },
} as const satisfies Record<string, FiatPrice>;

/**
 * Fixed rates of our own stablecoins: usde, eure and gbpe as the seed, and the mUSD test token
 * as a US dollar (the seed priced it as Arbitrum USDC).
 */
export class FixedRatePricing implements PricingProvider {
    private readonly rates: Map<string, FiatPrice>;

    constructor(tokens: { mUSD: Address; usde: Address; eure: Address; gbpe: Address }) {
        this.rates = new Map<string, FiatPrice>([
            [tokens.usde.toLowerCase(), STABLECOIN_RATES.usde],
            [tokens.eure.toLowerCase(), STABLECOIN_RATES.eure],
            [tokens.gbpe.toLowerCase(), STABLECOIN_RATES.gbpe],
            [tokens.mUSD.toLowerCase(), STABLECOIN_RATES.usde],
        ]);
    }

    async priceOf(token: Address): Promise<FiatPrice | undefined> {
        return this.rates.get(token.toLowerCase());
    }
}
