import {
    index,
    integer,
    json,
    pgTable,
    serial,
    timestamp,
    uniqueIndex,
    varchar,
} from "drizzle-orm/pg-core";
// The column module alone: drizzle-kit loads schemas under Node, without Bun's drivers.
import { hexBytes } from "../../../infrastructure/persistence/columns";

/**
 * A desktop ("origin") paired with a phone ("target") whose passkey signs for it. `wallet` stays
 * null until the phone joins with the 6-digit code.
 */
export const devicePairingTable = pgTable(
    "device_pairing",
    {
        id: serial("id").primaryKey(),
        pairingId: varchar("pairing_id").notNull(),
        wallet: hexBytes("wallet"),
        originUserAgent: varchar("origin_user_agent").notNull(),
        originName: varchar("origin_name").notNull(),
        targetUserAgent: varchar("target_user_agent"),
        targetName: varchar("target_name"),
        pairingCode: varchar("pairing_code").notNull(),
        /** Join attempts spent on this pairing; at five wrong codes it can no longer be joined. */
        codeAttempts: integer("code_attempts").notNull().default(0),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        resolvedAt: timestamp("resolved_at", { withTimezone: true }),
        lastActiveAt: timestamp("last_active_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
        uniqueIndex("pairing_id_idx").on(table.pairingId),
        uniqueIndex("pairing_code_idx").on(table.pairingCode),
        index("wallet_id_idx").on(table.wallet),
    ],
);

/**
 * A signature the origin asked the target for. Kept until answered so a target that reconnects
 * gets it again; the answer (signature or rejection) is kept until the origin has received it.
 */
export const pairingSignatureRequestTable = pgTable(
    "pairing_signature_request",
    {
        id: serial("id").primaryKey(),
        requestId: varchar("request_id").notNull(),
        pairingId: varchar("pairing_id").notNull(),
        request: hexBytes("request").notNull(),
        context: json("context"),
        createdAt: timestamp("created_at", { withTimezone: true }).defaultNow(),
        processedAt: timestamp("processed_at", { withTimezone: true }),
        signature: hexBytes("signature"),
        /** Set instead of deleting the row on reject, so an offline origin still learns of it. */
        rejectReason: varchar("reject_reason"),
        /** When the answer reached an origin socket; unanswered-to-origin rows are replayed. */
        deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    },
    (table) => [
        index("request_id_idx").on(table.requestId),
        index("signature_pairing_id_idx").on(table.pairingId),
    ],
);

export type DevicePairingRow = typeof devicePairingTable.$inferSelect;
export type SignatureRequestRow = typeof pairingSignatureRequestTable.$inferSelect;
