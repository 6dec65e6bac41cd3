import { pgTable, timestamp, varchar } from "drizzle-orm/pg-core";
// The column module alone: drizzle-kit loads schemas under Node, without Bun's drivers.
import { hexBytes } from "../../../infrastructure/persistence/columns";

/**
 * Products this backend minted, with their normalised domain: the merchant sites whose pages may
 * call the SDK routes cross-origin, and the hosts `/common/social` may send a visitor to. Written
 * once the mint's receipt is in (the chain stays the source of truth for everything else).
 */
export const mintedProductsTable = pgTable("business_minted_products", {
    productId: hexBytes("product_id").primaryKey(),
    domain: varchar("domain", { length: 253 }).notNull().unique(),
    owner: hexBytes("owner").notNull(),
    mintTxHash: hexBytes("mint_tx_hash").notNull(),
    mintedAt: timestamp("minted_at", { withTimezone: true }).notNull().defaultNow(),
});
