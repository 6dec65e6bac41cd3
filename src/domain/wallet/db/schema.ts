import {
    bigint,
    boolean,
    index,
    integer,
    jsonb,
    numeric,
    pgEnum,
    pgTable,
    primaryKey,
    serial,
    text,
    timestamp,
    unique,
    varchar,
} from "drizzle-orm/pg-core";
import { hexBytes } from "../../../infrastructure/persistence/columns";

/**
 * The reward index: our own copy of the campaign banks' events, replacing the seed's external
 * indexer. Every event row carries its block number so a reorg rewinds by deleting rows above a
 * block; (tx hash, log index) makes re-indexing a range idempotent.
 */

/** Where the index stands: the last block whose events are stored, and its hash (reorg check). */
export const rewardIndexCursorTable = pgTable("reward_index_cursor", {
    name: varchar("name", { length: 64 }).primaryKey(),
    lastBlock: bigint("last_block", { mode: "bigint" }).notNull(),
    lastBlockHash: hexBytes("last_block_hash").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Campaign banks created by our CampaignBankFactory (one per product and reward token). */
export const rewardBanksTable = pgTable(
    "reward_banks",
    {
        bank: hexBytes("bank").primaryKey(),
        /** 32-byte, lower-case product id. */
        productId: hexBytes("product_id").notNull(),
        token: hexBytes("token").notNull(),
        blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
        txHash: hexBytes("tx_hash").notNull(),
        logIndex: integer("log_index").notNull(),
    },
    (table) => [index("reward_banks_block_idx").on(table.blockNumber)],
);

/** Campaigns allowed (or disallowed) to credit a bank; the latest event per pair wins. */
export const rewardCampaignEventsTable = pgTable(
    "reward_campaign_events",
    {
        txHash: hexBytes("tx_hash").notNull(),
        logIndex: integer("log_index").notNull(),
        bank: hexBytes("bank").notNull(),
        campaign: hexBytes("campaign").notNull(),
        allowed: boolean("allowed").notNull(),
        blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    },
    (table) => [
        primaryKey({ columns: [table.txHash, table.logIndex] }),
        index("reward_campaign_events_bank_idx").on(table.bank, table.campaign),
        index("reward_campaign_events_block_idx").on(table.blockNumber),
    ],
);

export const rewardEventKindEnum = pgEnum("reward_event_kind", ["added", "claimed"]);

/** RewardAdded and RewardClaimed events of known banks, amounts in raw token units. */
export const rewardEventsTable = pgTable(
    "reward_events",
    {
        txHash: hexBytes("tx_hash").notNull(),
        logIndex: integer("log_index").notNull(),
        kind: rewardEventKindEnum("kind").notNull(),
        bank: hexBytes("bank").notNull(),
        wallet: hexBytes("wallet").notNull(),
        token: hexBytes("token").notNull(),
        amount: numeric("amount", { precision: 78, scale: 0, mode: "bigint" }).notNull(),
        /** The crediting campaign (added only). */
        campaign: hexBytes("campaign"),
        blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    },
    (table) => [
        primaryKey({ columns: [table.txHash, table.logIndex] }),
        index("reward_events_wallet_idx").on(table.wallet, table.kind),
        index("reward_events_block_idx").on(table.blockNumber),
    ],
);

/**
 * Leads captured by `POST /common/airtable`: stored here first (the source of truth), then
 * forwarded to Airtable and Slack by the `wallet.forwardLeads` job (an outbox: never lose a lead).
 */
export const leadForwardStatusEnum = pgEnum("lead_forward_status", [
    "pending",
    "forwarded",
    "failed",
]);

export const leadsTable = pgTable(
    "leads",
    {
        id: serial("id").primaryKey(),
        /** `demo_request` or `simulation`. */
        tableName: varchar("table_name", { length: 32 }).notNull(),
        /** Trimmed, lower-cased: the duplicate check ignores case. */
        email: varchar("email", { length: 320 }).notNull(),
        /** The request body as received. */
        fields: jsonb("fields").notNull(),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        forwardStatus: leadForwardStatusEnum("forward_status").notNull().default("pending"),
        forwardAttempts: integer("forward_attempts").notNull().default(0),
        nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
        lastError: text("last_error"),
        airtableRecordId: varchar("airtable_record_id", { length: 64 }),
        slackNotifiedAt: timestamp("slack_notified_at", { withTimezone: true }),
        forwardedAt: timestamp("forwarded_at", { withTimezone: true }),
    },
    (table) => [
        unique("leads_table_email_unique").on(table.tableName, table.email),
        index("leads_forward_idx").on(table.forwardStatus, table.nextAttemptAt),
    ],
);
