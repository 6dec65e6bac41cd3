import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Hex } from "viem";
import type { Database, Executor } from "../../../infrastructure/persistence";
import { PURCHASE_LEAF_BYTES, statusByteLiterals } from "../db/purchase-leaf";
import {
    oraclePurchaseItemTable,
    oraclePurchaseTable,
    type PurchaseStatus,
    productOracleTable,
} from "../db/schema";

/** A shop order reduced to what the oracle stores. */
export type OrderUpsert = {
    /** Numeric (Shopify, WooCommerce) or string (custom) order id: it shapes the purchase id. */
    orderId: bigint | string;
    externalCustomerId: string;
    purchaseToken: string | null;
    totalPrice: string;
    currencyCode: string;
    status: PurchaseStatus;
    /**
     * When the shop last changed the order (Shopify `updated_at`, WooCommerce `date_modified_gmt`,
     * custom `updatedAt`): a delivery older than the stored state never overwrites it.
     */
    sourceUpdatedAt: Date | null;
    items: OrderItem[];
};

/** `stale`: the stored order is newer than this delivery's state, which changed nothing. */
export type OrderUpsertOutcome = "applied" | "stale";

export type OrderItem = {
    externalId: string;
    price: string;
    name: string;
    title: string;
    imageUrl: string | null;
    quantity: number;
};

const purchase = oraclePurchaseTable;

/** The status byte of a leaf computed in SQL, from the one map in db/purchase-leaf.ts. */
const statusByteSql = sql`(case ${purchase.status} ${sql.raw(
    statusByteLiterals()
        .map(([status, byte]) => `when '${status}' then ${byte}`)
        .join(" "),
)} end)`;

export type PurchaseForProof = {
    oracleId: number;
    purchaseId: Hex;
    status: PurchaseStatus;
    leaf: Uint8Array | null;
    leafIndex: number | null;
    leafPending: boolean;
    productId: Hex;
    merkleRoot: Hex | null;
    synced: boolean;
};

/** A shop order as a purchase tracker names it: the order id and its checkout token. */
export type PurchaseRef = { token: string; externalPurchaseId: string };

/** Refs per statement: two bound parameters each, far below PostgreSQL's 65,535. */
const REFS_PER_QUERY = 1_000;

export type CommittedLeaf = { leafIndex: number; leaf: Uint8Array };

/** product_oracle_purchase and its items: webhook upserts, proof look-ups, leaf commits. */
/** Line items per INSERT: 7 parameters each, far below the 65,535 a statement may bind. */
const itemsPerInsert = 1_000;

export class PurchaseRepository {
    constructor(private readonly db: Database) {}

    /**
     * The seed's upsert on purchase_id, except that the leaf is only marked pending when the
     * status really changed (a redelivery leaves a committed leaf, and its proof, alone).
     */
    async upsertOrder(
        tx: Executor,
        params: { oracleId: number; purchaseId: Hex; order: OrderUpsert },
    ): Promise<OrderUpsertOutcome> {
        const { order } = params;
        const applied = await tx
            .insert(purchase)
            .values({
                oracleId: params.oracleId,
                purchaseId: params.purchaseId,
                externalId: String(order.orderId),
                externalCustomerId: order.externalCustomerId,
                purchaseToken: order.purchaseToken,
                totalPrice: order.totalPrice,
                currencyCode: order.currencyCode,
                status: order.status,
                sourceUpdatedAt: order.sourceUpdatedAt,
            })
            .onConflictDoUpdate({
                target: purchase.purchaseId,
                set: {
                    status: sql`excluded.status`,
                    totalPrice: sql`excluded.total_price`,
                    currencyCode: sql`excluded.currency_code`,
                    purchaseToken: sql`coalesce(excluded.purchase_token, ${purchase.purchaseToken})`,
                    leafPending: sql`${purchase.leafPending} or ${purchase.status} is distinct from excluded.status`,
                    sourceUpdatedAt: sql`greatest(excluded.source_updated_at, ${purchase.sourceUpdatedAt})`,
                    updatedAt: sql`now()`,
                },
                // Monotonic: a late or replayed older state of the order changes nothing. Without
                // a timestamp on either side the last delivery wins (docs/decisions.md, webhooks).
                setWhere: sql`${purchase.sourceUpdatedAt} is null or excluded.source_updated_at is null or excluded.source_updated_at >= ${purchase.sourceUpdatedAt}`,
            })
            .returning({ id: purchase.id });
        if (applied.length === 0) return "stale";
        // In chunks, inside the caller's transaction: one INSERT of 10,000 lines would need more
        // than PostgreSQL's 65,535 bound parameters (7 per line) and fail the whole order.
        for (let start = 0; start < order.items.length; start += itemsPerInsert) {
            await tx
                .insert(oraclePurchaseItemTable)
                .values(
                    order.items.slice(start, start + itemsPerInsert).map((item) => ({
                        purchaseId: params.purchaseId,
                        externalId: item.externalId,
                        price: item.price,
                        name: item.name,
                        title: item.title,
                        imageUrl: item.imageUrl,
                        quantity: item.quantity,
                    })),
                )
                .onConflictDoNothing();
        }
        return "applied";
    }

    async findForProofByToken(
        token: string,
        externalId: string,
    ): Promise<PurchaseForProof | undefined> {
        return this.findForProof(
            and(eq(purchase.purchaseToken, token), eq(purchase.externalId, externalId)),
        );
    }

    /**
     * The purchases of many refs in one statement per thousand (trackers are looked up as a set,
     * not one query each), keyed by `refKey`; refs without a purchase are absent.
     */
    async findForProofByTokens(
        refs: readonly PurchaseRef[],
    ): Promise<Map<string, PurchaseForProof>> {
        const found = new Map<string, PurchaseForProof>();
        for (let start = 0; start < refs.length; start += REFS_PER_QUERY) {
            const chunk = refs.slice(start, start + REFS_PER_QUERY);
            const rows = await this.selectForProof().where(matchingRefs(chunk));
            // The two IN lists also match crossed pairs: keep exact (token, order id) pairs only.
            const wanted = new Set(chunk.map(refKey));
            for (const { externalId, purchaseToken, ...row } of rows) {
                const key = refKey({ token: purchaseToken ?? "", externalPurchaseId: externalId });
                if (wanted.has(key)) found.set(key, row);
            }
        }
        return found;
    }

    /** The products of the refs' known purchases (canonical ids, each once; no proof is built). */
    async productIdsOf(refs: readonly PurchaseRef[]): Promise<Hex[]> {
        const ids = new Set<Hex>();
        for (let start = 0; start < refs.length; start += REFS_PER_QUERY) {
            const chunk = refs.slice(start, start + REFS_PER_QUERY);
            const rows = await this.db
                .select({
                    externalId: purchase.externalId,
                    purchaseToken: purchase.purchaseToken,
                    productId: productOracleTable.productId,
                })
                .from(purchase)
                .innerJoin(productOracleTable, eq(productOracleTable.id, purchase.oracleId))
                .where(matchingRefs(chunk));
            const wanted = new Set(chunk.map(refKey));
            for (const row of rows) {
                const key = refKey({
                    token: row.purchaseToken ?? "",
                    externalPurchaseId: row.externalId,
                });
                if (wanted.has(key)) ids.add(row.productId);
            }
        }
        return [...ids];
    }

    private selectForProof() {
        return this.db
            .select({
                externalId: purchase.externalId,
                purchaseToken: purchase.purchaseToken,
                oracleId: purchase.oracleId,
                purchaseId: purchase.purchaseId,
                status: purchase.status,
                leaf: purchase.leaf,
                leafIndex: purchase.leafIndex,
                leafPending: purchase.leafPending,
                productId: productOracleTable.productId,
                merkleRoot: productOracleTable.merkleRoot,
                synced: productOracleTable.synced,
            })
            .from(purchase)
            .innerJoin(productOracleTable, eq(productOracleTable.id, purchase.oracleId));
    }

    private async findForProof(where: ReturnType<typeof eq> | undefined) {
        const [row] = await this.selectForProof().where(where).limit(1);
        return row;
    }

    /**
     * Gives new purchases of the oracle their tree position, once, in insertion order (after the
     * highest position already given). Runs under the root job's lock.
     */
    async assignLeafIndexes(tx: Executor, oracleId: number): Promise<void> {
        const next = tx
            .select({ next: sql`coalesce(max(${purchase.leafIndex}) + 1, 0)` })
            .from(purchase)
            .where(eq(purchase.oracleId, oracleId));
        const fresh = tx.$with("fresh").as(
            tx
                .select({
                    id: purchase.id,
                    position:
                        sql<number>`(${next}) + row_number() over (order by ${purchase.id}) - 1`.as(
                            "position",
                        ),
                })
                .from(purchase)
                .where(and(eq(purchase.oracleId, oracleId), isNull(purchase.leafIndex))),
        );
        await tx
            .with(fresh)
            .update(purchase)
            .set({ leafIndex: sql`${fresh.position}` })
            .from(fresh)
            .where(eq(purchase.id, fresh.id));
    }

    /**
     * Commits the leaf of every pending purchase that has a position: leaf = purchase_id ++
     * status byte, computed from the row as it is when updated (a status written concurrently is
     * either included or leaves the row pending for the next run).
     */
    async commitPendingLeaves(tx: Executor, oracleId: number): Promise<CommittedLeaf[]> {
        const rows = await tx
            .update(purchase)
            .set({
                leaf: sql`${purchase.purchaseId} || ${statusByteSql}`,
                leafPending: false,
            })
            .where(
                and(
                    eq(purchase.oracleId, oracleId),
                    eq(purchase.leafPending, true),
                    isNotNull(purchase.leafIndex),
                ),
            )
            .returning({ leafIndex: purchase.leafIndex, leaf: purchase.leaf });
        return rows
            .map((row) => ({ leafIndex: row.leafIndex as number, leaf: row.leaf as Uint8Array }))
            .sort((a, b) => a.leafIndex - b.leafIndex);
    }

    /** Every committed leaf of the oracle, back to back (PURCHASE_LEAF_BYTES each) in position order. */
    async loadLeaves(
        executor: Executor,
        oracleId: number,
    ): Promise<{ count: number; preimages: Uint8Array }> {
        const rows = await executor
            .select({ leafIndex: purchase.leafIndex, leaf: purchase.leaf })
            .from(purchase)
            .where(
                and(
                    eq(purchase.oracleId, oracleId),
                    isNotNull(purchase.leafIndex),
                    isNotNull(purchase.leaf),
                ),
            )
            .orderBy(asc(purchase.leafIndex));
        const preimages = new Uint8Array(rows.length * PURCHASE_LEAF_BYTES);
        rows.forEach((row, position) => {
            if (row.leafIndex !== position || row.leaf?.length !== PURCHASE_LEAF_BYTES) {
                throw new Error(`oracle ${oracleId}: leaf positions are not dense at ${position}`);
            }
            preimages.set(row.leaf, position * PURCHASE_LEAF_BYTES);
        });
        return { count: rows.length, preimages };
    }
}

/** The identity of a ref in maps (a NUL cannot occur in either part: JSON strings reject it). */
export const refKey = (ref: PurchaseRef): string => `${ref.externalPurchaseId}\u0000${ref.token}`;

/** Rows whose token and order id are among the refs' (also crossed pairs: callers keep exact ones). */
function matchingRefs(refs: readonly PurchaseRef[]) {
    return and(
        inArray(purchase.purchaseToken, [...new Set(refs.map((r) => r.token))]),
        inArray(purchase.externalId, [...new Set(refs.map((r) => r.externalPurchaseId))]),
    );
}
