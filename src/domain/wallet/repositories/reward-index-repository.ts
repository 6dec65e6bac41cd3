import { eq, gt } from "drizzle-orm";
import type { Address, Hex } from "viem";
import type { Database, Executor } from "../../../infrastructure/persistence";
import {
    rewardBanksTable,
    rewardCampaignEventsTable,
    rewardEventsTable,
    rewardIndexCursorTable,
} from "../db/schema";

export type IndexCursor = { lastBlock: bigint; lastBlockHash: Hex };

export type BankCreated = {
    bank: Hex;
    productId: Hex;
    token: Hex;
    blockNumber: bigint;
    txHash: Hex;
    logIndex: number;
};

export type CampaignAllowedEvent = {
    txHash: Hex;
    logIndex: number;
    bank: Hex;
    campaign: Hex;
    allowed: boolean;
    blockNumber: bigint;
};

export type RewardEvent = {
    txHash: Hex;
    logIndex: number;
    kind: "added" | "claimed";
    bank: Hex;
    wallet: Hex;
    token: Hex;
    amount: bigint;
    campaign: Hex | null;
    blockNumber: bigint;
};

/** One indexed block range: its events and the cursor that follows it, written together. */
export type IndexedRange = {
    banks: BankCreated[];
    campaigns: CampaignAllowedEvent[];
    rewards: RewardEvent[];
    cursor: IndexCursor;
};

/** Writes of the reward index job: the cursor and the events, always in one transaction. */
export class RewardIndexRepository {
    constructor(
        private readonly db: Database,
        private readonly cursorName = "rewards",
    ) {}

    async cursor(): Promise<IndexCursor | undefined> {
        const [row] = await this.db
            .select({
                lastBlock: rewardIndexCursorTable.lastBlock,
                lastBlockHash: rewardIndexCursorTable.lastBlockHash,
            })
            .from(rewardIndexCursorTable)
            .where(eq(rewardIndexCursorTable.name, this.cursorName));
        return row;
    }

    async knownBanks(): Promise<Map<Hex, Hex>> {
        const rows = await this.db
            .select({ bank: rewardBanksTable.bank, token: rewardBanksTable.token })
            .from(rewardBanksTable);
        return new Map(rows.map((row) => [row.bank, row.token]));
    }

    /** Stores a range idempotently ((tx hash, log index) conflicts are skipped) and moves the cursor. */
    async storeRange(range: IndexedRange): Promise<void> {
        await this.db.transaction(async (tx) => {
            if (range.banks.length > 0) {
                await tx.insert(rewardBanksTable).values(range.banks).onConflictDoNothing();
            }
            if (range.campaigns.length > 0) {
                await tx
                    .insert(rewardCampaignEventsTable)
                    .values(range.campaigns)
                    .onConflictDoNothing();
            }
            for (let i = 0; i < range.rewards.length; i += 1000) {
                await tx
                    .insert(rewardEventsTable)
                    .values(range.rewards.slice(i, i + 1000))
                    .onConflictDoNothing();
            }
            await this.writeCursor(tx, range.cursor);
        });
    }

    /**
     * After a reorg: forgets everything above `cursor.lastBlock` and puts the cursor there
     * (`undefined`: forget everything and start over from the configured start block).
     */
    async rewindTo(cursor: IndexCursor | undefined): Promise<void> {
        const above = cursor?.lastBlock ?? -1n;
        await this.db.transaction(async (tx) => {
            await tx.delete(rewardEventsTable).where(gt(rewardEventsTable.blockNumber, above));
            await tx
                .delete(rewardCampaignEventsTable)
                .where(gt(rewardCampaignEventsTable.blockNumber, above));
            await tx.delete(rewardBanksTable).where(gt(rewardBanksTable.blockNumber, above));
            if (cursor) await this.writeCursor(tx, cursor);
            else {
                await tx
                    .delete(rewardIndexCursorTable)
                    .where(eq(rewardIndexCursorTable.name, this.cursorName));
            }
        });
    }

    private async writeCursor(tx: Executor, cursor: IndexCursor): Promise<void> {
        await tx
            .insert(rewardIndexCursorTable)
            .values({ name: this.cursorName, ...cursor })
            .onConflictDoUpdate({
                target: rewardIndexCursorTable.name,
                set: { ...cursor, updatedAt: new Date() },
            });
    }
}

export const lowerAddress = (address: Address | Hex): Hex => address.toLowerCase() as Hex;
