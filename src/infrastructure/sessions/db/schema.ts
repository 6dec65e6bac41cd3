import { index, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { hexBytes } from "../../persistence/columns";

/** One row per wallet JWT we issue, so that logout can revoke it before it expires. */
export const walletSessionsTable = pgTable(
    "wallet_sessions",
    {
        jti: uuid("jti").primaryKey(),
        wallet: hexBytes("wallet").notNull(),
        type: varchar("type", { length: 32 }).notNull(),
        /** The pairing a `distant-webauthn` (desktop) session was issued through. */
        pairingId: varchar("pairing_id", { length: 128 }),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
        revokedAt: timestamp("revoked_at", { withTimezone: true }),
    },
    (table) => [
        index("wallet_sessions_wallet_idx").on(table.wallet),
        index("wallet_sessions_pairing_idx").on(table.pairingId),
    ],
);

/** One row per merchant (SIWE) JWT we issue, so that `/business/auth/logout` can revoke it. */
export const businessSessionsTable = pgTable(
    "business_sessions",
    {
        jti: uuid("jti").primaryKey(),
        wallet: hexBytes("wallet").notNull(),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
        revokedAt: timestamp("revoked_at", { withTimezone: true }),
    },
    (table) => [index("business_sessions_wallet_idx").on(table.wallet)],
);
