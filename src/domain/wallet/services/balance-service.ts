import { type Address, erc20Abi, getAddress, type Hex, toHex } from "viem";
import { campaignBankAbi } from "../../../infrastructure/blockchain";
import { ChainUnavailableError, isChainUnavailable } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Logger } from "../../../infrastructure/logger";
import { isDatabaseUnavailable } from "../../../infrastructure/persistence";
import type { RewardReadRepository } from "../repositories/reward-read-repository";
import type { TokenChainReader, TokenMetadata } from "../repositories/token-chain-reader";
import type { FiatPrice, PricingProvider } from "./pricing";
import {
    addFiat,
    type FiatValues,
    fiatValueOf,
    type TokenAmount,
    tokenAmountOf,
    totalOf,
} from "./token-amount";

export type PricedAmount = TokenAmount & {
    token: Address;
    name: string;
    symbol: string;
    decimals: number;
    rawBalance: Hex;
    /** False when no provider had a price: the fiat fields are then 0. */
    priceAvailable: boolean;
};

export type Total = TokenAmount & { priceAvailable: boolean };

export type Balances = { total: Total; balances: PricedAmount[] };
export type Claimables = { total: Total; claimables: Array<PricedAmount & { contract: Address }> };

/** How long the list of reward tokens seen by the index is reused between calls. */
const KNOWN_TOKENS_TTL_MS = 15_000;

/**
 * Wallet balances and claimable rewards read from the chain (one multicall per call once token
 * metadata is cached), priced by the pricing provider; amounts stay bigint until formatted here.
 */
export class BalanceService {
    private knownTokens: { tokens: Address[]; at: number } | undefined;

    constructor(
        private readonly reader: TokenChainReader,
        private readonly rewards: RewardReadRepository,
        private readonly pricing: PricingProvider,
        private readonly deploymentTokens: readonly Address[],
        private readonly logger: Logger,
    ) {}

    async balancesOf(wallet: Address): Promise<Balances> {
        const tokens = await this.tokens();
        const { amounts, metadata } = await this.reader.read(
            tokens.map((token) => ({
                address: token,
                abi: erc20Abi,
                functionName: "balanceOf",
                args: [wallet],
            })),
            tokens,
        );
        const held = tokens.flatMap((token, i) => {
            const raw = amounts[i];
            const meta = metadata.get(token.toLowerCase());
            return raw && raw > 0n && meta ? [{ token, raw, meta }] : [];
        });
        const priced = await this.price(held);
        return { total: this.total(priced), balances: priced.map((p) => p.entry) };
    }

    async claimablesOf(wallet: Address): Promise<Claimables> {
        const banks = await this.rewards.banksRewarding(wallet);
        const { amounts, metadata } = await this.reader.read(
            banks.map(({ bank, token }) => ({
                address: bank,
                abi: campaignBankAbi,
                functionName: "claimableOf",
                args: [wallet, token],
            })),
            banks.map((b) => b.token),
        );
        const claimable = banks.flatMap(({ bank, token }, i) => {
            const raw = amounts[i];
            const meta = metadata.get(token.toLowerCase());
            return raw && raw > 0n && meta ? [{ token, raw, meta, bank }] : [];
        });
        const priced = await this.price(claimable);
        return {
            total: this.total(priced),
            claimables: priced.map((p, i) => ({
                ...p.entry,
                contract: (claimable[i] as { bank: Address }).bank,
            })),
        };
    }

    /**
     * The seed's "pending welcome balance" heuristic: 0 once the wallet received any reward,
     * otherwise 0.5, plus 0.5 when the wallet contract is deployed; 0 on any error but an
     * unreachable node or database (503: a retry may tell more).
     */
    async pendingOf(wallet: Address): Promise<TokenAmount> {
        let value = 0;
        try {
            if (!(await this.rewards.hasAddedRewards(wallet))) {
                value = (await this.reader.isDeployed(wallet)) ? 1 : 0.5;
            }
        } catch (error) {
            if (isChainUnavailable(error)) throw new ChainUnavailableError(error);
            if (isDatabaseUnavailable(error)) throw error;
            this.logger.warn({ wallet, err: error }, "pending balance unavailable");
            value = 0;
        }
        return { amount: value, eurAmount: value, usdAmount: value, gbpAmount: value };
    }

    /** `GET /common/rate`: the price of one token, 400 `Invalid token` when there is none. */
    async rateOf(token: Address): Promise<FiatPrice> {
        const price = await this.pricing.priceOf(token);
        if (!price) throw new ApiError("invalid_token", "Invalid token");
        return price;
    }

    private async price(items: Array<{ token: Address; raw: bigint; meta: TokenMetadata }>) {
        const prices = await Promise.all(items.map((item) => this.pricing.priceOf(item.token)));
        return items.map((item, i) => {
            const price = prices[i];
            const fiat = fiatValueOf(item.raw, item.meta.decimals, price);
            const entry: PricedAmount = {
                token: item.token,
                name: item.meta.name,
                symbol: item.meta.symbol,
                decimals: item.meta.decimals,
                rawBalance: toHex(item.raw),
                ...tokenAmountOf(item.raw, item.meta.decimals, fiat),
                priceAvailable: price !== undefined,
            };
            return { entry, fiat };
        });
    }

    private total(priced: Array<{ entry: PricedAmount; fiat: FiatValues }>): Total {
        return {
            ...totalOf(addFiat(priced.map((p) => p.fiat))),
            priceAvailable: priced.every((p) => p.entry.priceAvailable),
        };
    }

    /** The index saw new campaign banks: their reward tokens count from the next call. */
    forgetKnownTokens(): void {
        this.knownTokens = undefined;
    }

    /** Our deployment's tokens plus every reward token the index has seen. */
    private async tokens(): Promise<Address[]> {
        const now = Date.now();
        if (!this.knownTokens || now - this.knownTokens.at > KNOWN_TOKENS_TTL_MS) {
            const seen = await this.rewards.rewardTokens();
            const unique = new Map<string, Address>();
            for (const token of [...this.deploymentTokens, ...seen]) {
                unique.set(token.toLowerCase(), getAddress(token));
            }
            this.knownTokens = { tokens: [...unique.values()], at: now };
        }
        return this.knownTokens.tokens;
    }
}
