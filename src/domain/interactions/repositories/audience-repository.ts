import { and, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import { type Address, getAddress, type Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { requireCanonicalProductId } from "../../../utils/product-id";
import { interactionsPendingTable, interactionsPushedTable } from "../db/schema";

export type AudienceFilter = {
    interactions?: { min?: number; max?: number };
    /** Unix seconds. */
    firstInteractionTimestamp?: { min?: number; max?: number };
};

/**
 * Who interacted with which products: interactions pushed on-chain plus those still in the
 * pipeline (archived dead letters do not count), and only those the wallet took part in (source
 * `wallet`): what a merchant pushes through its own webhook does not make a wallet its audience.
 */
export class AudienceRepository {
    constructor(private readonly db: Executor) {}

    async walletsInteractedWith(
        productIds: readonly Hex[],
        filter: AudienceFilter = {},
    ): Promise<Address[]> {
        if (productIds.length === 0) return [];
        const all = this.interactionsOf(productIds);
        const count = sql<number>`count(*)::int`;
        const firstSeconds = sql<number>`floor(extract(epoch from min(${all.createdAt})))::bigint`;
        const having: SQL[] = [];
        const { interactions, firstInteractionTimestamp: first } = filter;
        if (interactions?.min !== undefined) having.push(gte(count, interactions.min));
        if (interactions?.max !== undefined) having.push(lte(count, interactions.max));
        if (first?.min !== undefined) having.push(gte(firstSeconds, first.min));
        if (first?.max !== undefined) having.push(lte(firstSeconds, first.max));
        const rows = await this.db
            .select({ wallet: all.wallet })
            .from(all)
            .groupBy(all.wallet)
            .having(having.length ? and(...having) : undefined);
        return rows.map((row) => getAddress(row.wallet));
    }

    async walletsAmong(
        wallets: readonly Address[],
        productIds: readonly Hex[],
    ): Promise<Address[]> {
        if (wallets.length === 0 || productIds.length === 0) return [];
        const lowered = [...new Set(wallets.map((w) => w.toLowerCase() as Hex))];
        const all = this.interactionsOf(productIds, lowered);
        const rows = await this.db.selectDistinct({ wallet: all.wallet }).from(all);
        return rows.map((row) => getAddress(row.wallet));
    }

    /** Any spelling of a product id (`0x1` or padded) names the same stored product. */
    private interactionsOf(requested: readonly Hex[], wallets?: Hex[]) {
        const productIds = requested.map(requireCanonicalProductId);
        const pending = interactionsPendingTable;
        const pushed = interactionsPushedTable;
        return unionAll(
            this.db
                .select({ wallet: pending.wallet, createdAt: pending.createdAt })
                .from(pending)
                .where(
                    and(
                        inArray(pending.productId, productIds),
                        eq(pending.source, "wallet"),
                        wallets ? inArray(pending.wallet, wallets) : undefined,
                    ),
                ),
            this.db
                .select({ wallet: pushed.wallet, createdAt: pushed.createdAt })
                .from(pushed)
                .where(
                    and(
                        inArray(pushed.productId, productIds),
                        eq(pushed.source, "wallet"),
                        wallets ? inArray(pushed.wallet, wallets) : undefined,
                    ),
                ),
        ).as("all_interactions");
    }
}
