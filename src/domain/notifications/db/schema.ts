import { index, pgTable, serial, timestamp, unique, varchar } from "drizzle-orm/pg-core";
import { hexBytes } from "../../../infrastructure/persistence/columns";

/** One row per browser Web Push subscription a wallet registered (the seed's `push_tokens`). */
export const pushTokensTable = pgTable(
    "push_tokens",
    {
        id: serial("id").primaryKey(),
        wallet: hexBytes("wallet").notNull(),
        endpoint: varchar("endpoint").notNull(),
        keyP256dh: varchar("key_p256dh").notNull(),
        keyAuth: varchar("key_auth").notNull(),
        expireAt: timestamp("expire_at", { withTimezone: true }),
        createdAt: timestamp("created_at", { withTimezone: true }).defaultNow(),
    },
    (table) => [
        index("wallet_push_tokens_idx").on(table.wallet),
        unique("unique_push_token").on(table.wallet, table.endpoint, table.keyP256dh),
    ],
);

export type PushTokenRow = typeof pushTokensTable.$inferSelect;
