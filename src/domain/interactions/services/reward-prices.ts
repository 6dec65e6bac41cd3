import type { Address } from "viem";
import type { Deployment } from "../../../infrastructure/blockchain";

export type FiatRates = { usd: number; eur: number; gbp: number };

/**
 * The seed's fixed stablecoin rates (as `/common/rate` answers them); mUSD, our test dollar, is 1 USD
 * (at the usde rates). A token without a known rate is left out of estimates.
 */
export function fixedRates(deployment: Deployment): Map<string, FiatRates> {
    const usd: FiatRates = { usd: 1, eur: 0.85, gbp: 0.75 };
    const entries: Array<[Address, FiatRates]> = [
        [deployment.tokens.usde, usd],
        [deployment.tokens.mUSD, usd],
        [deployment.tokens.eure, { usd: 1.18, eur: 1, gbp: 0.88 }],
        [deployment.tokens.gbpe, { usd: 1.33, eur: 1.14, gbp: 1 }],
    ];
    return new Map(entries.map(([address, rates]) => [address.toLowerCase(), rates]));
}
