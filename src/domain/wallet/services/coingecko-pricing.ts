import { LRUCache } from "lru-cache";
import type { Address } from "viem";
import type { Logger } from "../../../infrastructure/logger";
import type { FiatPrice, PricingProvider } from "./pricing";

export type CoinGeckoOptions = {
    apiUrl: string;
    apiKey: string | undefined;
    /** CoinGecko asset platform of the token addresses (the seed always used arbitrum-one). */
    platform: string;
    timeoutMs: number;
    /** How long a price (or a definite "unknown token") is kept: 20 minutes. */
    ttlMs?: number;
    /** How long a failure (429, timeout, 5xx) is kept, so a struggling API is not hammered. */
    failureTtlMs?: number;
    maxTokens?: number;
};

type Entry = { price: FiatPrice | null };

/**
 * CoinGecko `simple/token_price` adapter. Answers are cached per token for 20 minutes; at most one
 * request per token is in flight (concurrent callers share it) while different tokens proceed in
 * parallel. A 429, a timeout or any other failure gives "no price", kept only briefly.
 */
export class CoinGeckoPricing implements PricingProvider {
    private readonly cache: LRUCache<string, Entry>;
    private readonly inFlight = new Map<string, Promise<FiatPrice | undefined>>();
    private readonly failureTtlMs: number;

    constructor(
        private readonly options: CoinGeckoOptions,
        private readonly logger: Logger,
    ) {
        this.cache = new LRUCache({
            max: options.maxTokens ?? 1024,
            ttl: options.ttlMs ?? 20 * 60_000,
        });
        this.failureTtlMs = options.failureTtlMs ?? 30_000;
    }

    priceOf(token: Address): Promise<FiatPrice | undefined> {
        const key = token.toLowerCase();
        const cached = this.cache.get(key);
        if (cached) return Promise.resolve(cached.price ?? undefined);
        const pending = this.inFlight.get(key);
        if (pending) return pending;
        const request = this.fetchPrice(key).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, request);
        return request;
    }

    private async fetchPrice(token: string): Promise<FiatPrice | undefined> {
        const url = new URL(`${this.options.apiUrl}/simple/token_price/${this.options.platform}`);
        url.searchParams.set("contract_addresses", token);
        url.searchParams.set("vs_currencies", "usd,eur,gbp");
        const headers: Record<string, string> = { accept: "application/json" };
        if (this.options.apiKey) {
            // Pro keys go to pro-api.coingecko.com with their own header.
            const header = url.hostname.startsWith("pro-api.")
                ? "x-cg-pro-api-key"
                : "x-cg-demo-api-key";
            headers[header] = this.options.apiKey;
        }
        try {
            const response = await fetch(url, {
                headers,
                signal: AbortSignal.timeout(this.options.timeoutMs),
            });
            if (!response.ok) {
                this.logger.warn({ token, status: response.status }, "coingecko: no price");
                this.remember(token, null, this.failureTtlMs);
                return undefined;
            }
            const body = (await response.json()) as Record<string, Partial<FiatPrice> | undefined>;
            const price = parsePrice(body[token]);
            // A definite answer ("not listed" included) is kept for the full TTL.
            this.remember(token, price ?? null);
            return price;
        } catch (error) {
            this.logger.warn({ token, err: error }, "coingecko: request failed");
            this.remember(token, null, this.failureTtlMs);
            return undefined;
        }
    }

    private remember(token: string, price: FiatPrice | null, ttl?: number) {
        if (ttl === 0) return;
        this.cache.set(token, { price }, ttl === undefined ? undefined : { ttl });
    }
}

function parsePrice(raw: Partial<FiatPrice> | undefined): FiatPrice | undefined {
    if (!raw) return undefined;
    const { usd, eur, gbp } = raw;
    if (![usd, eur, gbp].every((value) => typeof value === "number" && Number.isFinite(value))) {
        return undefined;
    }
    return { usd: usd as number, eur: eur as number, gbp: gbp as number };
}
