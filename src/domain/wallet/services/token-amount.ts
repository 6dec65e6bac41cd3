import { formatUnits, parseUnits } from "viem";
import type { FiatPrice } from "./pricing";

/** The seed's `TokenAmount`: a token amount and its fiat values, as JSON numbers. */
export type TokenAmount = {
    amount: number;
    eurAmount: number;
    usdAmount: number;
    gbpAmount: number;
};

/** Fiat values are fixed-point bigints with this many decimals until formatted at the edge. */
const FIAT_DECIMALS = 18;

export type FiatValues = { usd: bigint; eur: bigint; gbp: bigint };

const zeroFiat = (): FiatValues => ({ usd: 0n, eur: 0n, gbp: 0n });

/** `raw` token units times the price of one whole token, exactly, in fixed point. */
export function fiatValueOf(
    raw: bigint,
    decimals: number,
    price: FiatPrice | undefined,
): FiatValues {
    if (!price) return zeroFiat();
    const scale = 10n ** BigInt(decimals);
    const value = (unitPrice: number) => (raw * priceToFixed(unitPrice)) / scale;
    return { usd: value(price.usd), eur: value(price.eur), gbp: value(price.gbp) };
}

/** A JS number price as a fixed-point bigint (decimal digits as printed, no binary noise). */
function priceToFixed(price: number): bigint {
    if (!Number.isFinite(price) || price <= 0) return 0n;
    const text = price.toString();
    const decimal = /e/i.test(text) ? price.toFixed(FIAT_DECIMALS) : text;
    const [whole = "0", fraction = ""] = decimal.split(".");
    return parseUnits(`${whole}.${fraction.slice(0, FIAT_DECIMALS) || "0"}`, FIAT_DECIMALS);
}

/** Adds fiat values per currency (the only sum that has a unit across tokens). */
export function addFiat(values: readonly FiatValues[]): FiatValues {
    return values.reduce(
        (sum, v) => ({ usd: sum.usd + v.usd, eur: sum.eur + v.eur, gbp: sum.gbp + v.gbp }),
        zeroFiat(),
    );
}

/** Formats one token's raw amount and fiat values (the edge). */
export function tokenAmountOf(raw: bigint, decimals: number, fiat: FiatValues): TokenAmount {
    return {
        amount: Number(formatUnits(raw, decimals)),
        ...fiatAmountsOf(fiat),
    };
}

export function fiatAmountsOf(fiat: FiatValues): Omit<TokenAmount, "amount"> {
    return {
        eurAmount: Number(formatUnits(fiat.eur, FIAT_DECIMALS)),
        usdAmount: Number(formatUnits(fiat.usd, FIAT_DECIMALS)),
        gbpAmount: Number(formatUnits(fiat.gbp, FIAT_DECIMALS)),
    };
}

/**
 * A total across tokens: fiat values summed per currency; `amount`, which the seed summed across
 * tokens of different units, is the US dollar total.
 */
export function totalOf(fiat: FiatValues): TokenAmount {
    const amounts = fiatAmountsOf(fiat);
    return { amount: amounts.usdAmount, ...amounts };
}
