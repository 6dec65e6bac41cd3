import { index, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { hexBytes } from "../../persistence/columns";

/** One row per wallet JWT we issue, so that logout can revoke it before it expires. */
export const walletSessionsTable = pgTable(
    "wallet_sessions",
    {
        jti: uuid("jti").primaryKey(),
        wallet: hexBytes("wallet").notNull(),
        type: varchar("type", { length: 32 }).notNull(),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
        revokedAt: timestamp("revoked_at", { withTimezone: true }),
    },
    (table) => [index("wallet_sessions_wallet_idx").on(table.wallet)],
);
