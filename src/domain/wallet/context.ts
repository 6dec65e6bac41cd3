import { Elysia } from "elysia";
import { type Address, createPublicClient, type Hex, http } from "viem";
import type { Infrastructure } from "../../infrastructure";
import type { SessionMacros } from "../../infrastructure/http";
import type { JobScheduler } from "../../infrastructure/jobs";
import { requireCanonicalProductId } from "../../utils/product-id";
import { balanceRoutes } from "./api/balance-routes";
import { airtableRoutes, rateRoutes, socialRoutes } from "./api/common-routes";
import { LeadRepository } from "./repositories/lead-repository";
import { RewardEventsChainReader } from "./repositories/reward-events-chain-reader";
import { RewardIndexRepository } from "./repositories/reward-index-repository";
import { RewardReadRepository } from "./repositories/reward-read-repository";
import { TokenChainReader } from "./repositories/token-chain-reader";
import { BalanceService } from "./services/balance-service";
import { CoinGeckoPricing } from "./services/coingecko-pricing";
import { AirtableClient, SlackClient } from "./services/lead-destinations";
import { LeadForwarder } from "./services/lead-forwarder";
import { LeadService } from "./services/lead-service";
import { ChainedPricing, FixedRatePricing, type PricingProvider } from "./services/pricing";
import { RewardIndexer } from "./services/reward-indexer";
import { socialRedirectHosts } from "./services/social-redirect";

/** Confirmations of the reward index on a real chain when REWARD_INDEX_CONFIRMATIONS is unset. */
const DEFAULT_CONFIRMATIONS = 12;

/**
 * Wires the wallet domain: the reward index (job + read API), balances and prices, and the
 * `/common` helpers (rate, social redirect, lead capture with its forwarding job).
 */
export function createWalletDomain(
    infra: Infrastructure,
    jobs: JobScheduler,
    deps: {
        /** Minted products' hosts (the business domain): where `/common/social` may redirect. */
        mintedHosts: { hasHost(hostname: string): Promise<boolean> };
    },
) {
    const { config, logger, chain } = infra;
    const db = infra.database.db;
    const walletConfig = config.wallet;

    // Reward index.
    const rewardReads = new RewardReadRepository(db);
    const confirmations =
        walletConfig.rewardIndex.confirmations ?? (chain.anvil ? 0 : DEFAULT_CONFIRMATIONS);
    const indexer = new RewardIndexer(
        new RewardIndexRepository(db),
        new RewardEventsChainReader(chain.clients),
        {
            campaignBankFactory: chain.deployment.campaignBankFactory,
            confirmations,
            startBlock: walletConfig.rewardIndex.startBlock,
            blockRange: walletConfig.rewardIndex.blockRange,
            reorgRewindBlocks: Math.max(64, confirmations * 4),
        },
        logger,
    );

    // Balances and prices.
    const pricingProviders: PricingProvider[] = [new FixedRatePricing(chain.deployment.tokens)];
    if (walletConfig.coingecko) {
        pricingProviders.push(new CoinGeckoPricing(walletConfig.coingecko, logger));
    }
    const pricing = new ChainedPricing(pricingProviders);
    // Balance reads get a client without wait-based batching: one multicall per call already.
    const readClient = createPublicClient({
        chain: chain.clients.chain,
        transport: http(chain.rpcUrl, { retryCount: 2, timeout: 10_000 }),
    });
    const balances = new BalanceService(
        new TokenChainReader(readClient),
        rewardReads,
        pricing,
        Object.values(chain.deployment.tokens),
        logger,
    );

    const rewardIndexJob = jobs.register({
        name: "wallet.indexRewards",
        formerName: "rewardIndex",
        schedule: "*/5 * * * * *",
        async run() {
            const { newBanks } = await indexer.run();
            if (newBanks > 0) balances.forgetKnownTokens();
        },
    });

    // Lead capture.
    const leads = new LeadRepository(db);
    const forwarder = new LeadForwarder(
        leads,
        walletConfig.airtable ? new AirtableClient(walletConfig.airtable) : undefined,
        walletConfig.slack ? new SlackClient(walletConfig.slack) : undefined,
        logger,
    );
    const forwardLeadsJob = jobs.register({
        name: "wallet.forwardLeads",
        formerName: "forwardLeads",
        schedule: "0 * * * * *",
        async run() {
            await forwarder.forwardDue();
        },
    });
    const leadService = new LeadService(leads, () => forwardLeadsJob.wake());

    const rewardTotals = {
        /** Raw sum of added rewards per wallet on the given products (32-byte hex ids). */
        totalsOf: (
            wallets: readonly Address[],
            productIds: readonly Hex[],
        ): Promise<ReadonlyMap<Address, bigint>> =>
            totalsKeyedAsGiven(
                wallets,
                rewardReads.addedTotals(wallets, productIds.map(requireCanonicalProductId)),
            ),
    };

    return {
        /** Mounted by `src/app.ts`; each route file declares its full paths. */
        routes: {
            wallet: (macros: SessionMacros) => balanceRoutes(macros, balances),
            common: () =>
                new Elysia({ name: "wallet-common" })
                    .use(rateRoutes(balances))
                    .use(
                        socialRoutes(
                            socialRedirectHosts(
                                config.wallet.socialRedirectHosts,
                                deps.mintedHosts,
                            ),
                        ),
                    )
                    .use(airtableRoutes(leadService)),
        },
        /** The reward index's read API. */
        rewards: {
            /**
             * Raw sum of all rewards ever added to each wallet (every token and product); one
             * entry per requested wallet, keyed as given, 0n when none.
             */
            totalsByWallet: (wallets: Address[]): Promise<Map<Address, bigint>> =>
                totalsKeyedAsGiven(wallets, rewardReads.addedTotals(wallets)),
            totalsOf: rewardTotals.totalsOf,
        },
        /** The `RewardTotals` port of the notifications domain (rewards filter). */
        rewardTotals,
        /** Fiat prices (fixed stablecoin rates, then CoinGecko when configured). */
        pricing,
        jobs: { rewardIndex: rewardIndexJob, forwardLeads: forwardLeadsJob },
    };
}

async function totalsKeyedAsGiven(
    wallets: readonly Address[],
    totals: Promise<Map<Hex, bigint>>,
): Promise<Map<Address, bigint>> {
    const byLowerCase = await totals;
    return new Map(
        wallets.map((wallet) => [wallet, byLowerCase.get(wallet.toLowerCase() as Hex) ?? 0n]),
    );
}
