import {
    and,
    count,
    desc,
    eq,
    gt,
    inArray,
    isNotNull,
    isNull,
    lt,
    notInArray,
    or,
} from "drizzle-orm";
import type { Address, Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { type PushTokenRow, pushTokensTable } from "../db/schema";

export type NewPushToken = {
    wallet: Address;
    endpoint: string;
    keyP256dh: string;
    keyAuth: string;
    expireAt: Date | null;
};

/** A stored subscription in the shape web-push encrypts for. */
export type StoredSubscription = {
    id: number;
    wallet: Hex;
    endpoint: string;
    keys: { p256dh: string; auth: string };
};

/** Bound parameters per statement stay far below PostgreSQL's 65,535 limit. */
const IN_LIST_CHUNK = 5_000;

/** Data access of `push_tokens`; wallets are stored as bytes and read back lower-case. */
export class PushTokenRepository {
    constructor(private readonly db: Executor) {}

    /** Inserts the subscription; the same (wallet, endpoint, p256dh) twice is a no-op. */
    async insertIgnoringDuplicate(token: NewPushToken): Promise<void> {
        await this.db
            .insert(pushTokensTable)
            .values({ ...token, wallet: lower(token.wallet) })
            .onConflictDoNothing({
                target: [
                    pushTokensTable.wallet,
                    pushTokensTable.endpoint,
                    pushTokensTable.keyP256dh,
                ],
            });
    }

    /** Keeps the wallet's `keep` newest subscriptions and deletes the others. */
    async keepNewest(wallet: Address, keep: number): Promise<number> {
        const newest = this.db
            .select({ id: pushTokensTable.id })
            .from(pushTokensTable)
            .where(eq(pushTokensTable.wallet, lower(wallet)))
            .orderBy(desc(pushTokensTable.id))
            .limit(keep);
        const deleted = await this.db
            .delete(pushTokensTable)
            .where(
                and(
                    eq(pushTokensTable.wallet, lower(wallet)),
                    notInArray(pushTokensTable.id, newest),
                ),
            )
            .returning({ id: pushTokensTable.id });
        return deleted.length;
    }

    async deleteAllOfWallet(wallet: Address): Promise<number> {
        const deleted = await this.db
            .delete(pushTokensTable)
            .where(eq(pushTokensTable.wallet, lower(wallet)))
            .returning({ id: pushTokensTable.id });
        return deleted.length;
    }

    /** Whether the wallet has a subscription that has not expired. */
    async hasAny(wallet: Address, now = new Date()): Promise<boolean> {
        const [row] = await this.db
            .select({ id: pushTokensTable.id })
            .from(pushTokensTable)
            .where(
                and(
                    eq(pushTokensTable.wallet, lower(wallet)),
                    or(isNull(pushTokensTable.expireAt), gt(pushTokensTable.expireAt, now)),
                ),
            )
            .limit(1);
        return row !== undefined;
    }

    async countOfWallet(wallet: Address): Promise<number> {
        const [row] = await this.db
            .select({ value: count() })
            .from(pushTokensTable)
            .where(eq(pushTokensTable.wallet, lower(wallet)));
        return row?.value ?? 0;
    }

    /** Every unexpired subscription of these wallets. */
    async subscriptionsOf(
        wallets: readonly Address[],
        now = new Date(),
    ): Promise<StoredSubscription[]> {
        const unique = [...new Set(wallets.map(lower))];
        const result: StoredSubscription[] = [];
        for (let i = 0; i < unique.length; i += IN_LIST_CHUNK) {
            const rows = await this.db
                .select()
                .from(pushTokensTable)
                .where(inArray(pushTokensTable.wallet, unique.slice(i, i + IN_LIST_CHUNK)));
            for (const row of rows) {
                if (row.expireAt && row.expireAt <= now) continue;
                result.push(toSubscription(row));
            }
        }
        return result;
    }

    async deleteByIds(ids: readonly number[]): Promise<number> {
        let deleted = 0;
        for (let i = 0; i < ids.length; i += IN_LIST_CHUNK) {
            const rows = await this.db
                .delete(pushTokensTable)
                .where(inArray(pushTokensTable.id, ids.slice(i, i + IN_LIST_CHUNK) as number[]))
                .returning({ id: pushTokensTable.id });
            deleted += rows.length;
        }
        return deleted;
    }

    /** Removes subscriptions whose browser-given expiration time has passed. */
    async deleteExpired(now = new Date()): Promise<number> {
        const rows = await this.db
            .delete(pushTokensTable)
            .where(and(isNotNull(pushTokensTable.expireAt), lt(pushTokensTable.expireAt, now)))
            .returning({ id: pushTokensTable.id });
        return rows.length;
    }
}

const lower = (address: Address | Hex): Hex => address.toLowerCase() as Hex;

function toSubscription(row: PushTokenRow): StoredSubscription {
    return {
        id: row.id,
        wallet: row.wallet,
        endpoint: row.endpoint,
        keys: { p256dh: row.keyP256dh, auth: row.keyAuth },
    };
}
