import { sql } from "drizzle-orm";
import {
    bigint,
    boolean,
    index,
    jsonb,
    pgTable,
    text,
    timestamp,
    varchar,
} from "drizzle-orm/pg-core";
// The column module alone: drizzle-kit loads schemas under Node, without Bun's drivers.
import { hexBytes } from "../../../infrastructure/persistence/columns";

/**
 * WebAuthn / ECDSA login challenges: the ones we issued (32 random bytes, valid 5 minutes) and
 * every challenge spent by a login or registration, issued or client-chosen (`consumed_at` set).
 * Spent rows are kept for good: a login signature carries no date to expire it by.
 */
export const webauthnChallengesTable = pgTable(
    "webauthn_challenges",
    {
        challenge: hexBytes("challenge").primaryKey(),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
        consumedAt: timestamp("consumed_at", { withTimezone: true }),
    },
    (table) => [index("webauthn_challenges_expires_at_idx").on(table.expiresAt)],
);

/**
 * SIWE nonces of the merchant dashboard login: the ones we issued (valid 10 minutes) and every
 * nonce spent by a login, issued or client-chosen (`consumed_at` set). `expires_at` of a spent
 * row is when its message stops being acceptable anyway (issuedAt + 10 minutes at least), so the
 * row may be purged after it.
 */
export const siweNoncesTable = pgTable(
    "siwe_nonces",
    {
        nonce: varchar("nonce", { length: 128 }).primaryKey(),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
        consumedAt: timestamp("consumed_at", { withTimezone: true }),
    },
    (table) => [index("siwe_nonces_expires_at_idx").on(table.expiresAt)],
);

/** One row per registered passkey (the seed's MongoDB `authenticators` document). */
export const authenticatorsTable = pgTable(
    "authenticators",
    {
        /** Credential id, base64url as the browser reports it. */
        credentialId: text("credential_id").primaryKey(),
        smartWalletAddress: hexBytes("smart_wallet_address"),
        userAgent: text("user_agent").notNull(),
        /** P-256 coordinates as the client sent them ({x, y, prefix?}). */
        publicKey: jsonb("public_key").$type<{ x: string; y: string; prefix?: number }>().notNull(),
        /** COSE public key from the attestation. */
        credentialPublicKey: hexBytes("credential_public_key").notNull(),
        counter: bigint("counter", { mode: "number" }).notNull().default(0),
        credentialDeviceType: varchar("credential_device_type", { length: 32 }).notNull(),
        credentialBackedUp: boolean("credential_backed_up").notNull(),
        transports: jsonb("transports").$type<string[]>(),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
        updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
    },
    (table) => [index("authenticators_smart_wallet_address_idx").on(table.smartWalletAddress)],
);
