import { type Address, erc20Abi, type Hex } from "viem";
import {
    type ChainClients,
    productInteractionAbi,
    referralCampaignAbi,
} from "../../../infrastructure/blockchain";

/** An active referral campaign's rewards: per interaction type, the referrer's and referee's. */
export type CampaignTriggers = {
    campaign: Address;
    token: Address;
    types: readonly Hex[];
    amounts: readonly { referrerAmount: bigint; refereeAmount: bigint }[];
};

/** Chain reads of a product's campaigns (the reward estimate). */
export class CampaignChainReader {
    constructor(private readonly clients: Pick<ChainClients, "publicClient">) {}

    /**
     * The triggers of the interaction contract's active campaigns, in the contract's order; null
     * when it has no campaign at all.
     */
    async activeCampaignTriggers(contract: Address): Promise<CampaignTriggers[] | null> {
        const client = this.clients.publicClient;
        const campaigns = await client.readContract({
            address: contract,
            abi: productInteractionAbi,
            functionName: "getCampaigns",
        });
        if (campaigns.length === 0) return null;
        const states = await client.multicall({
            contracts: campaigns.flatMap((campaign) => [
                { address: campaign, abi: referralCampaignAbi, functionName: "isActive" } as const,
                {
                    address: campaign,
                    abi: referralCampaignAbi,
                    functionName: "getTriggers",
                } as const,
            ]),
        });
        const active: CampaignTriggers[] = [];
        for (const [index, campaign] of campaigns.entries()) {
            const isActive = states[index * 2];
            const triggers = states[index * 2 + 1];
            // Campaigns of another kind (no getTriggers) are not ours to estimate.
            if (isActive?.status !== "success" || !isActive.result) continue;
            if (triggers?.status !== "success") continue;
            const [token, types, amounts] = triggers.result as readonly [
                Address,
                readonly Hex[],
                readonly { referrerAmount: bigint; refereeAmount: bigint }[],
            ];
            active.push({ campaign, token, types, amounts });
        }
        return active;
    }

    decimalsOf(token: Address): Promise<number> {
        return this.clients.publicClient.readContract({
            address: token,
            abi: erc20Abi,
            functionName: "decimals",
        });
    }
}
