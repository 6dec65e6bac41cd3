import { type Address, formatUnits, type Hex } from "viem";
import { canonicalProductId } from "../../../utils/product-id";
import type { CampaignChainReader } from "../repositories/campaign-chain-reader";
import type { InteractionChainReader } from "../repositories/interaction-chain-reader";
import { interactionKeyOf } from "./interaction-types";
import type { FiatRates } from "./reward-prices";

export type TokenAmount = {
    amount: number;
    eurAmount: number;
    usdAmount: number;
    gbpAmount: number;
};

export type ActiveReward = {
    campaign: Address;
    interactionTypeKey: string;
    token: Address;
    referrer: TokenAmount;
    referee: TokenAmount;
    triggerData: { baseReward: number };
};

export type RewardEstimate = {
    maxReferrer: TokenAmount;
    maxReferee: TokenAmount;
    activeRewards: ActiveReward[];
    totalReferrerEur: number;
    totalRefereeEur: number;
};

/**
 * Rewards a product's active campaigns pay per interaction type, read from our campaign
 * contracts (ReferralCampaign.getTriggers: amounts for the referrer and the referee) and priced
 * with the fixed rates. Null when nothing is active (the seed answers an empty body).
 */
export class RewardEstimator {
    constructor(
        private readonly deps: {
            campaigns: CampaignChainReader;
            chain: InteractionChainReader;
            rates: Map<string, FiatRates>;
        },
    ) {}

    async estimate(productIdInput: Hex, interactionKey?: string): Promise<RewardEstimate | null> {
        const productId = canonicalProductId(productIdInput);
        if (!productId) return null;
        const contract = await this.deps.chain.interactionContractOf(productId);
        if (!contract) return null;
        const campaigns = await this.deps.campaigns.activeCampaignTriggers(contract);
        if (campaigns === null) return null;
        const rewards: ActiveReward[] = [];
        for (const { campaign, token, types, amounts } of campaigns) {
            const rates = this.deps.rates.get(token.toLowerCase());
            if (!rates) continue;
            const decimals = await this.deps.campaigns.decimalsOf(token);
            for (const [i, type] of types.entries()) {
                const amount = amounts[i];
                if (!amount) continue;
                const key = interactionKeyOf(type) ?? type;
                if (interactionKey !== undefined && key !== interactionKey) continue;
                rewards.push({
                    campaign,
                    interactionTypeKey: key,
                    token,
                    referrer: tokenAmount(amount.referrerAmount, decimals, rates),
                    referee: tokenAmount(amount.refereeAmount, decimals, rates),
                    triggerData: {
                        baseReward: toNumber(
                            amount.referrerAmount + amount.refereeAmount,
                            decimals,
                        ),
                    },
                });
            }
        }
        if (rewards.length === 0) return null;
        const zero: TokenAmount = { amount: 0, eurAmount: 0, usdAmount: 0, gbpAmount: 0 };
        let maxReferrer = zero;
        let maxReferee = zero;
        for (const reward of rewards) {
            if (reward.referrer.amount > maxReferrer.amount) maxReferrer = reward.referrer;
            if (reward.referee.amount > maxReferee.amount) maxReferee = reward.referee;
        }
        return {
            maxReferrer,
            maxReferee,
            activeRewards: rewards,
            totalReferrerEur: maxReferrer.eurAmount,
            totalRefereeEur: maxReferee.eurAmount,
        };
    }
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const toNumber = (raw: bigint, decimals: number) => Number(formatUnits(raw, decimals));

/** Fiat values are computed from the raw bigint amount, formatted only here at the edge. */
function tokenAmount(raw: bigint, decimals: number, rates: FiatRates): TokenAmount {
    const amount = toNumber(raw, decimals);
    return {
        amount,
        eurAmount: round2(amount * rates.eur),
        usdAmount: round2(amount * rates.usd),
        gbpAmount: round2(amount * rates.gbp),
    };
}
