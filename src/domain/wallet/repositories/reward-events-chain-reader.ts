import { getAbiItem, type Hex } from "viem";
import {
    type ChainClients,
    campaignBankAbi,
    campaignBankFactoryAbi,
} from "../../../infrastructure/blockchain";

const indexedEvents = [
    getAbiItem({ abi: campaignBankFactoryAbi, name: "CampaignBankCreated" }),
    getAbiItem({ abi: campaignBankAbi, name: "CampaignAllowed" }),
    getAbiItem({ abi: campaignBankAbi, name: "RewardAdded" }),
    getAbiItem({ abi: campaignBankAbi, name: "RewardClaimed" }),
] as const;

export type RewardEventLog = Awaited<ReturnType<RewardEventsChainReader["rewardEvents"]>>[number];

/** Chain reads of the reward indexer: the head, block hashes and the campaign banks' events. */
export class RewardEventsChainReader {
    constructor(private readonly clients: Pick<ChainClients, "publicClient">) {}

    headBlockNumber(): Promise<bigint> {
        return this.clients.publicClient.getBlockNumber({ cacheTime: 0 });
    }

    /** Throws when the block does not exist (the chain is shorter). */
    async blockHashOf(blockNumber: bigint): Promise<Hex> {
        return (await this.clients.publicClient.getBlock({ blockNumber })).hash;
    }

    /**
     * Every CampaignBankCreated, CampaignAllowed, RewardAdded and RewardClaimed log in the range,
     * from any emitter: one getLogs filtered by the event signatures only (the indexer keeps
     * those of our factory and its banks).
     */
    rewardEvents(fromBlock: bigint, toBlock: bigint) {
        return this.clients.publicClient.getLogs({
            events: indexedEvents,
            fromBlock,
            toBlock,
            strict: true,
        });
    }
}
