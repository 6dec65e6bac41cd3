import {
    bigint,
    boolean,
    index,
    integer,
    pgEnum,
    pgTable,
    serial,
    timestamp,
    unique,
    uuid,
    varchar,
} from "drizzle-orm/pg-core";
import { hexBytes } from "../../../infrastructure/persistence/columns";

/**
 * The pipeline's states (with the seed's `succeeded` named
 * `simulated` and one extra state, `executing`: the row belongs to a batch whose intent is
 * recorded and whose on-chain outcome is not yet known).
 */
export const interactionStatusEnum = pgEnum("interactions_status", [
    "pending",
    "no_session",
    "failed",
    "simulated",
    "executing",
    "execution_failed",
]);

/**
 * Who an interaction comes from: `wallet` when the wallet took part (its SDK session, its
 * signature, a purchase it linked itself), `merchant` when the product's own server pushed it
 * through the interactions webhook. Only the wallet's own count for a merchant's audience: a
 * merchant cannot make a wallet its audience by pushing made-up interactions.
 */
export const interactionSourceEnum = pgEnum("interaction_source", ["wallet", "merchant"]);

export const interactionArchiveReasonEnum = pgEnum("interactions_archive_reason", [
    "max_retries",
    "expired",
    "manual",
]);

export const interactionsWebhookSourceEnum = pgEnum("backend_interactions_tracker_source", [
    "custom",
]);

export const interactionBatchStatusEnum = pgEnum("interaction_batch_status", [
    "sending",
    "completed",
]);

/** Interactions waiting for simulation / execution. */
export const interactionsPendingTable = pgTable(
    "interactions_pending",
    {
        id: serial("id").primaryKey(),
        /** The on-chain id (32 bytes): ProductInteraction consumes it once, so never pushed twice. */
        interactionId: hexBytes("interaction_id").notNull().unique(),
        wallet: hexBytes("wallet").notNull(),
        /** 32-byte, lower-case product id. */
        productId: hexBytes("product_id").notNull(),
        typeDenominator: hexBytes("type_denominator").notNull(),
        /** The interaction payload: 4-byte type followed by its arguments. */
        interactionData: hexBytes("interaction_data").notNull(),
        /**
         * For a LegacyProductInteraction: the product's derived signer's EIP-712 signature of
         * this item, made in simulation (else at execution). Null for ProductInteraction, whose
         * batches are signed as a whole.
         */
        signature: hexBytes("signature"),
        /**
         * The product's sequential on-chain id for ProductInteraction (its bit in the contract's
         * bitmap), given once, when the row first joins a batch, and never changed.
         */
        sequence: bigint("sequence", { mode: "bigint" }),
        status: interactionStatusEnum("status").notNull().default("pending"),
        source: interactionSourceEnum("source").notNull().default("wallet"),
        failureReason: varchar("failure_reason", { length: 500 }),
        retryCount: integer("retry_count").notNull().default(0),
        lastRetryAt: timestamp("last_retry_at", { withTimezone: true }),
        nextRetryAt: timestamp("next_retry_at", { withTimezone: true }),
        /** The batch whose intent includes this row (status `executing`). */
        batchId: uuid("batch_id"),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
        index("interactions_pending_wallet_idx").on(table.wallet),
        index("interactions_pending_product_idx").on(table.productId),
        index("interactions_pending_status_idx").on(table.status, table.nextRetryAt),
        index("interactions_pending_batch_idx").on(table.batchId),
        unique("interactions_pending_product_sequence").on(table.productId, table.sequence),
    ],
);

/** The next sequential on-chain id of each product (ProductInteraction), taken by the executor. */
export const interactionSequencesTable = pgTable("interaction_sequences", {
    productId: hexBytes("product_id").primaryKey(),
    next: bigint("next", { mode: "bigint" }).notNull(),
});

/**
 * A batch's intent, written (with its nonce and rows) before the transaction is sent, so a crash
 * at any point is reconciled from the chain on the next run (see services/batch-reconciler.ts).
 */
export const interactionBatchesTable = pgTable(
    "interaction_batches",
    {
        id: uuid("id").primaryKey(),
        executor: hexBytes("executor").notNull(),
        nonce: integer("nonce").notNull(),
        /** The interaction contract the batch was sent to (null: recorded before it was kept). */
        contract: hexBytes("contract"),
        /** Chain head when the intent was recorded: reconciliation scans logs from here. */
        fromBlock: bigint("from_block", { mode: "bigint" }).notNull(),
        txHash: hexBytes("tx_hash"),
        size: integer("size").notNull(),
        status: interactionBatchStatusEnum("status").notNull().default("sending"),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        completedAt: timestamp("completed_at", { withTimezone: true }),
    },
    (table) => [index("interaction_batches_status_idx").on(table.status)],
);

/** Interactions accepted on-chain (tx hash from the receipt's InteractionHandled event). */
export const interactionsPushedTable = pgTable(
    "interactions_pushed",
    {
        id: serial("id").primaryKey(),
        interactionId: hexBytes("interaction_id").notNull().unique(),
        wallet: hexBytes("wallet").notNull(),
        productId: hexBytes("product_id").notNull(),
        typeDenominator: hexBytes("type_denominator").notNull(),
        interactionData: hexBytes("interaction_data").notNull(),
        /** The item's signature (legacy contract) or its batch's (ProductInteraction). */
        signature: hexBytes("signature").notNull(),
        /** Its on-chain id on ProductInteraction (null on the legacy contract: interactionId). */
        sequence: bigint("sequence", { mode: "bigint" }),
        source: interactionSourceEnum("source").notNull().default("wallet"),
        txHash: hexBytes("tx_hash").notNull(),
        blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
        /** When the interaction was first received. */
        createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
        pushedAt: timestamp("pushed_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
        index("interactions_pushed_wallet_idx").on(table.wallet),
        index("interactions_pushed_product_idx").on(table.productId),
    ],
);

/** Dead letters: interactions that exhausted their retries. */
export const interactionsArchivedTable = pgTable(
    "interactions_archived",
    {
        id: serial("id").primaryKey(),
        interactionId: hexBytes("interaction_id").notNull().unique(),
        wallet: hexBytes("wallet").notNull(),
        productId: hexBytes("product_id").notNull(),
        typeDenominator: hexBytes("type_denominator").notNull(),
        interactionData: hexBytes("interaction_data").notNull(),
        signature: hexBytes("signature"),
        finalStatus: interactionStatusEnum("final_status").notNull(),
        failureReason: varchar("failure_reason", { length: 500 }),
        totalRetries: integer("total_retries").notNull(),
        archiveReason: interactionArchiveReasonEnum("archive_reason").notNull(),
        archivedAt: timestamp("archived_at", { withTimezone: true }).notNull().defaultNow(),
        originalCreatedAt: timestamp("original_created_at", { withTimezone: true }).notNull(),
    },
    (table) => [
        index("interactions_archived_wallet_idx").on(table.wallet),
        index("interactions_archived_at_idx").on(table.archivedAt),
    ],
);

/** "Push a purchase.completed interaction for this wallet once the oracle can prove the order." */
export const interactionsPurchaseTrackerTable = pgTable(
    "interactions_purchase_tracker",
    {
        id: serial("id").primaryKey(),
        wallet: hexBytes("wallet").notNull(),
        externalPurchaseId: varchar("external_purchase_id").notNull(),
        externalCustomerId: varchar("external_customer_id").notNull(),
        token: varchar("token").notNull(),
        pushed: boolean("pushed").notNull().default(false),
        /** The purchase.completed interaction created for it. */
        interactionId: hexBytes("interaction_id"),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        pushedAt: timestamp("pushed_at", { withTimezone: true }),
    },
    (table) => [
        index("interactions_purchase_tracker_wallet_idx").on(table.wallet),
        index("interactions_purchase_tracker_pushed_idx").on(table.pushed),
        unique("interactions_purchase_tracker_unique_map").on(
            table.externalPurchaseId,
            table.externalCustomerId,
        ),
    ],
);

/**
 * The interactions webhook of a product: its HMAC secret for server-to-server interaction pushes
 * (the table keeps the seed's name).
 */
export const interactionsWebhookTable = pgTable("backend_interactions_tracker", {
    id: serial("id").primaryKey(),
    productId: hexBytes("product_id").notNull().unique(),
    hookSignatureKey: varchar("hook_signature_key").notNull(),
    source: interactionsWebhookSourceEnum("source").notNull().default("custom"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Deliveries of the interactions webhook already accepted, for replay refusal: the signed
 * `webhook-id` of a Standard Webhooks delivery, or the body hash of a legacy `x-hmac-sha256` one,
 * kept for the replay window (docs/decisions.md, webhooks).
 */
export const interactionsWebhookDeliveryTable = pgTable(
    "interactions_webhook_delivery",
    {
        id: serial("id").primaryKey(),
        productId: hexBytes("product_id").notNull(),
        deliveryKey: varchar("delivery_key", { length: 200 }).notNull(),
        receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
        unique("interactions_webhook_delivery_unique").on(table.productId, table.deliveryKey),
        index("interactions_webhook_delivery_received_idx").on(table.receivedAt),
    ],
);
