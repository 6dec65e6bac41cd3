import type { Address, Hex } from "viem";
import type { Logger } from "../../../infrastructure/logger";
import { requireCanonicalProductId } from "../../../utils/product-id";
import type {
    RewardEventLog,
    RewardEventsChainReader,
} from "../repositories/reward-events-chain-reader";
import type {
    IndexCursor,
    IndexedRange,
    RewardIndexRepository,
} from "../repositories/reward-index-repository";
import { lowerAddress } from "../repositories/reward-index-repository";

export type RewardIndexerOptions = {
    campaignBankFactory: Address;
    /** Blocks behind the head that are indexed; deeper reorgs are assumed not to happen. */
    confirmations: number;
    startBlock: bigint;
    /** Blocks per getLogs request (halved when the node refuses a range). */
    blockRange: number;
    /** How far back a detected reorg rewinds. */
    reorgRewindBlocks: number;
};

/**
 * Follows the chain into the reward index. Each run reads from the block after the cursor up to
 * `head - confirmations` in bounded ranges; each range's events and the new cursor (block number
 * and hash) are committed in one transaction, so a crash resumes at the last committed range and
 * a replayed range inserts nothing twice. If the cursor's block hash is no longer canonical, the
 * index rewinds `reorgRewindBlocks` and reads again.
 *
 * One getLogs per range filters by our event signatures only, then keeps CampaignBankCreated from
 * our factory and bank events from banks that factory created (a bank created earlier in the same
 * range counts), so look-alike events from other contracts are ignored.
 */
export class RewardIndexer {
    constructor(
        private readonly repository: RewardIndexRepository,
        private readonly chain: RewardEventsChainReader,
        private readonly options: RewardIndexerOptions,
        private readonly logger: Logger,
    ) {}

    /** Indexes up to the safe head; returns the last indexed block and how many banks are new. */
    async run(): Promise<{ lastBlock: bigint | undefined; newBanks: number }> {
        let newBanks = 0;
        const head = await this.chain.headBlockNumber();
        const safeHead = head - BigInt(this.options.confirmations);
        let cursor = await this.checkedCursor();
        const banks = await this.repository.knownBanks();
        const factory = lowerAddress(this.options.campaignBankFactory);
        let from = cursor ? cursor.lastBlock + 1n : this.options.startBlock;
        let range = BigInt(this.options.blockRange);
        while (from <= safeHead) {
            const to = minBigInt(from + range - 1n, safeHead);
            const toBlockHash = await this.chain.blockHashOf(to);
            let logs: RewardEventLog[];
            try {
                logs = await this.chain.rewardEvents(from, to);
            } catch (error) {
                // Providers cap the range or the result size: retry smaller before giving up.
                if (range === 1n) throw error;
                range = range / 2n;
                continue;
            }
            if (logs.some((log) => log.blockNumber === to && log.blockHash !== toBlockHash)) {
                throw new Error(`block ${to} changed while indexing it (reorg); retrying next run`);
            }
            const indexed: IndexedRange = {
                banks: [],
                campaigns: [],
                rewards: [],
                cursor: { lastBlock: to, lastBlockHash: toBlockHash },
            };
            for (const log of logs) {
                const emitter = lowerAddress(log.address);
                const position = {
                    txHash: log.transactionHash,
                    logIndex: log.logIndex,
                    blockNumber: log.blockNumber,
                };
                if (log.eventName === "CampaignBankCreated") {
                    if (emitter !== factory) continue;
                    const bank = lowerAddress(log.args.bank);
                    const token = lowerAddress(log.args.token);
                    banks.set(bank, token);
                    indexed.banks.push({
                        bank,
                        token,
                        productId: requireCanonicalProductId(log.args.productId),
                        ...position,
                    });
                    continue;
                }
                if (!banks.has(emitter)) continue;
                if (log.eventName === "CampaignAllowed") {
                    indexed.campaigns.push({
                        bank: emitter,
                        campaign: lowerAddress(log.args.campaign),
                        allowed: log.args.allowed,
                        ...position,
                    });
                } else {
                    indexed.rewards.push({
                        kind: log.eventName === "RewardAdded" ? "added" : "claimed",
                        bank: emitter,
                        wallet: lowerAddress(log.args.wallet),
                        token: lowerAddress(log.args.token),
                        amount: log.args.amount,
                        campaign:
                            log.eventName === "RewardAdded"
                                ? lowerAddress(log.args.campaign)
                                : null,
                        ...position,
                    });
                }
            }
            await this.repository.storeRange(indexed);
            newBanks += indexed.banks.length;
            cursor = indexed.cursor;
            from = to + 1n;
            range = BigInt(this.options.blockRange);
        }
        return { lastBlock: cursor?.lastBlock, newBanks };
    }

    /** The stored cursor if its block is still canonical; otherwise rewinds first. */
    private async checkedCursor(): Promise<IndexCursor | undefined> {
        const cursor = await this.repository.cursor();
        if (!cursor) return undefined;
        const canonical = await this.blockHash(cursor.lastBlock);
        if (canonical === cursor.lastBlockHash) return cursor;
        const target = cursor.lastBlock - BigInt(this.options.reorgRewindBlocks);
        const rewound =
            target < this.options.startBlock
                ? undefined
                : { lastBlock: target, lastBlockHash: (await this.blockHash(target)) as Hex };
        this.logger.warn(
            { block: cursor.lastBlock.toString(), rewindTo: rewound?.lastBlock.toString() },
            "reward index: reorg detected, rewinding",
        );
        await this.repository.rewindTo(rewound);
        return rewound;
    }

    private async blockHash(blockNumber: bigint): Promise<Hex | undefined> {
        try {
            return await this.chain.blockHashOf(blockNumber);
        } catch {
            // The chain is now shorter than our cursor: treated as a reorg.
            return undefined;
        }
    }
}

const minBigInt = (a: bigint, b: bigint) => (a < b ? a : b);
