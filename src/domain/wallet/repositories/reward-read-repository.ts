import { and, eq, inArray, sql } from "drizzle-orm";
import { type Address, getAddress, type Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { rewardBanksTable, rewardEventsTable } from "../db/schema";
import { lowerAddress } from "./reward-index-repository";

export type RewardedBank = { bank: Address; token: Address };

/** Queries over the reward index (what the routes and other domains read). */
export class RewardReadRepository {
    constructor(private readonly db: Executor) {}

    /**
     * Raw sum of the rewards added to each wallet (all tokens), optionally only on banks of
     * `productIds` (32-byte lower-case hex). Keys are lower-case hex.
     */
    async addedTotals(
        wallets: readonly Address[],
        productIds?: readonly Hex[],
    ): Promise<Map<Hex, bigint>> {
        const lowered = [...new Set(wallets.map(lowerAddress))];
        if (lowered.length === 0 || productIds?.length === 0) return new Map();
        const events = rewardEventsTable;
        const total = sql<string>`sum(${events.amount})::text`;
        const query = productIds
            ? this.db
                  .select({ wallet: events.wallet, total })
                  .from(events)
                  .innerJoin(rewardBanksTable, eq(rewardBanksTable.bank, events.bank))
                  .where(
                      and(
                          eq(events.kind, "added"),
                          inArray(events.wallet, lowered),
                          inArray(rewardBanksTable.productId, [...productIds]),
                      ),
                  )
                  .groupBy(events.wallet)
            : this.db
                  .select({ wallet: events.wallet, total })
                  .from(events)
                  .where(and(eq(events.kind, "added"), inArray(events.wallet, lowered)))
                  .groupBy(events.wallet);
        const rows = await query;
        return new Map(rows.map((row) => [row.wallet, BigInt(row.total)]));
    }

    /** Banks that ever credited the wallet (where a claimable balance may be). */
    async banksRewarding(wallet: Address): Promise<RewardedBank[]> {
        const rows = await this.db
            .selectDistinct({ bank: rewardEventsTable.bank, token: rewardEventsTable.token })
            .from(rewardEventsTable)
            .where(
                and(
                    eq(rewardEventsTable.wallet, lowerAddress(wallet)),
                    eq(rewardEventsTable.kind, "added"),
                ),
            );
        return rows.map((row) => ({ bank: getAddress(row.bank), token: getAddress(row.token) }));
    }

    async hasAddedRewards(wallet: Address): Promise<boolean> {
        const [row] = await this.db
            .select({ one: sql<number>`1` })
            .from(rewardEventsTable)
            .where(
                and(
                    eq(rewardEventsTable.wallet, lowerAddress(wallet)),
                    eq(rewardEventsTable.kind, "added"),
                ),
            )
            .limit(1);
        return row !== undefined;
    }

    /** Reward tokens of every known campaign bank. */
    async rewardTokens(): Promise<Address[]> {
        const rows = await this.db
            .selectDistinct({ token: rewardBanksTable.token })
            .from(rewardBanksTable);
        return rows.map((row) => getAddress(row.token));
    }
}
