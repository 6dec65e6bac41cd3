import { sql } from "drizzle-orm";
import {
    boolean,
    customType,
    foreignKey,
    index,
    integer,
    jsonb,
    numeric,
    pgEnum,
    pgTable,
    serial,
    timestamp,
    unique,
    varchar,
} from "drizzle-orm/pg-core";
// The column module alone: drizzle-kit loads schemas under Node, without Bun's drivers.
import { hexBytes } from "../../../infrastructure/persistence/columns";

/**
 * Raw bytes kept as `Uint8Array` end to end: the Merkle tree reads a million leaves at once
 * and must not pay a hex round trip per row.
 */
const rawBytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
    dataType: () => "bytea",
    toDriver: (value) => value,
    fromDriver: (value) => new Uint8Array(value),
});

export const oraclePlatformEnum = pgEnum("product_oracle_platform", [
    "shopify",
    "woocommerce",
    "custom",
    "internal",
]);

export const purchaseStatusEnum = pgEnum("purchase_status", [
    "pending",
    "confirmed",
    "cancelled",
    "refunded",
]);
export type PurchaseStatus = (typeof purchaseStatusEnum.enumValues)[number];

/** One purchase oracle per product (32-byte product id). `enabled = false` is the seed's delete. */
export const productOracleTable = pgTable("product_oracle", {
    id: serial("id").primaryKey(),
    productId: hexBytes("product_id").notNull().unique(),
    hookSignatureKey: varchar("hook_signature_key").notNull(),
    platform: oraclePlatformEnum("platform").notNull().default("shopify"),
    enabled: boolean("enabled").notNull().default(true),
    /** Root of the tree over the committed leaves; `synced` once it is on-chain (after the receipt). */
    merkleRoot: hexBytes("merkle_root"),
    synced: boolean("synced").notNull().default(false),
    lastSyncTxHash: hexBytes("last_sync_tx_hash"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per shop order. `leaf` is the committed tree leaf preimage (encodePacked(uint256
 * purchaseId, uint8 status), 33 bytes) at position `leaf_index`; `leaf_pending` means the status
 * changed since the leaf was committed (the seed's `leaf = NULL`), so the root job must redo it.
 */
export const oraclePurchaseTable = pgTable(
    "product_oracle_purchase",
    {
        id: serial("id").primaryKey(),
        oracleId: integer("oracle_id")
            .notNull()
            .references(() => productOracleTable.id),
        purchaseId: hexBytes("purchase_id").notNull().unique(),
        externalId: varchar("external_id").notNull(),
        externalCustomerId: varchar("external_customer_id").notNull(),
        purchaseToken: varchar("purchase_token"),
        totalPrice: numeric("total_price").notNull(),
        currencyCode: varchar("currency_code", { length: 4 }).notNull(),
        status: purchaseStatusEnum("status").notNull().default("pending"),
        leaf: rawBytes("leaf"),
        leafIndex: integer("leaf_index"),
        leafPending: boolean("leaf_pending").notNull().default(true),
        /** The shop's own last-modified time of the order: status changes only move forward. */
        sourceUpdatedAt: timestamp("source_updated_at", { withTimezone: true }),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
        unique("product_oracle_purchase_external_id_unique").on(table.externalId, table.oracleId),
        unique("product_oracle_purchase_external_token_unique").on(
            table.externalId,
            table.purchaseToken,
        ),
        unique("product_oracle_purchase_leaf_index_unique").on(table.oracleId, table.leafIndex),
        index("product_oracle_purchase_pending_idx")
            .on(table.oracleId, table.updatedAt)
            .where(sql`${table.leafPending}`),
    ],
);

export const oraclePurchaseItemTable = pgTable(
    "product_oracle_purchase_item",
    {
        id: serial("id").primaryKey(),
        purchaseId: hexBytes("purchase_id").notNull(),
        externalId: varchar("external_id").notNull(),
        price: numeric("price").notNull(),
        name: varchar("name").notNull(),
        title: varchar("title").notNull(),
        imageUrl: varchar("image_url"),
        quantity: integer("quantity").notNull(),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
        index("product_oracle_purchase_item_purchase_idx").on(table.purchaseId),
        // Named explicitly: the generated name exceeds PostgreSQL's 63-character limit.
        foreignKey({
            name: "product_oracle_purchase_item_purchase_fk",
            columns: [table.purchaseId],
            foreignColumns: [oraclePurchaseTable.purchaseId],
        }),
        unique("product_oracle_purchase_item_unique").on(table.externalId, table.purchaseId),
    ],
);

/**
 * Every delivery whose signature verified, raw (body bytes + the headers that matter) with its
 * outcome, written in the same transaction as its processing (`stale`: an older state of an order
 * than the one stored, which changed nothing). `delivery_key` (the sender's
 * delivery id, else a hash of the body) makes redelivery idempotent; rejected deliveries keep no
 * key so that the sender can fix and resend them.
 */
export const oracleWebhookInboxTable = pgTable(
    "oracle_webhook_inbox",
    {
        id: serial("id").primaryKey(),
        oracleId: integer("oracle_id")
            .notNull()
            .references(() => productOracleTable.id),
        platform: oraclePlatformEnum("platform").notNull(),
        deliveryKey: varchar("delivery_key", { length: 200 }),
        headers: jsonb("headers").$type<Record<string, string>>().notNull(),
        body: rawBytes("body").notNull(),
        outcome: varchar("outcome", { length: 16 })
            .$type<"processed" | "unprocessable" | "rejected" | "stale">()
            .notNull(),
        reason: varchar("reason", { length: 500 }),
        purchaseId: hexBytes("purchase_id"),
        receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
        unique("oracle_webhook_inbox_delivery_unique").on(table.oracleId, table.deliveryKey),
        index("oracle_webhook_inbox_outcome_idx").on(table.outcome, table.receivedAt),
    ],
);
