import { type Static, Type as T } from "@sinclair/typebox";

/**
 * Every environment variable the service reads, as raw strings. Each one is validated here at
 * start-up so a bad value stops the process with the variable's name instead of failing later.
 */
const integer = (description: string) => T.String({ pattern: "^[0-9]+$", description });
const boolean = (description: string) =>
    T.Union([T.Literal("true"), T.Literal("false"), T.Literal("1"), T.Literal("0")], {
        description,
    });

export const envSchema = T.Object({
    PORT: T.Optional(integer("HTTP port")),
    HOSTNAME: T.Optional(T.String({ description: "Instance name echoed by /health" })),
    STAGE: T.Optional(T.String({ description: "Deployment stage (dev, staging, prod...)" })),
    LOG_LEVEL: T.Optional(
        T.Union(
            ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((l) => T.Literal(l)),
        ),
    ),
    DATA_DIR: T.Optional(T.String({ minLength: 1 })),
    DATABASE_URL: T.Optional(T.String({ pattern: "^postgres(ql)?://" })),
    DATABASE_POOL_SIZE: T.Optional(integer("PostgreSQL pool size")),
    PGLITE_DATA_DIR: T.Optional(T.String({ minLength: 1 })),
    JWT_SECRET: T.Optional(T.String({ minLength: 32 })),
    JWT_SDK_SECRET: T.Optional(T.String({ minLength: 32 })),
    JWT_BUSINESS_SECRET: T.Optional(T.String({ minLength: 32 })),
    WALLET_SESSION_TTL_DAYS: T.Optional(integer("Wallet JWT lifetime in days")),
    LEGACY_WALLET_TOKENS: T.Optional(boolean("Accept seed-era wallet JWTs without exp/jti")),
    CORS_ORIGINS: T.Optional(T.String({ description: "Comma separated allowed origins" })),
    SHUTDOWN_TIMEOUT_MS: T.Optional(integer("Grace period for in-flight requests")),
    WEBAUTHN_RP_IDS: T.Optional(
        T.String({ minLength: 1, description: "Comma separated WebAuthn relying-party ids" }),
    ),
    WEBAUTHN_ORIGINS: T.Optional(
        T.String({
            minLength: 1,
            description: "Comma separated WebAuthn origins; a `:*` port matches any port",
        }),
    ),
    AUTHENTICATOR_STORE: T.Optional(T.Union([T.Literal("postgres"), T.Literal("mongo")])),
    MONGODB_URL: T.Optional(T.String({ pattern: "^mongodb(\\+srv)?://" })),
    RPC_URL: T.Optional(T.String({ pattern: "^(https?|wss?)://" })),
    DEPLOYMENT_FILE: T.Optional(T.String({ minLength: 1 })),
    CHAIN_CONFIRMATIONS: T.Optional(integer("Blocks to wait on top of a receipt")),
    MASTER_KEY: T.Optional(T.String({ pattern: "^0x[0-9a-fA-F]{64}$" })),
    MASTER_KEY_SECRET: T.Optional(T.String({ pattern: '^\\s*\\{.*"masterPrivateKey"' })),
    VAPID_PUBLIC_KEY: T.Optional(
        T.String({ pattern: "^[A-Za-z0-9_-]{87}$", description: "Web Push VAPID public key" }),
    ),
    VAPID_PRIVATE_KEY: T.Optional(
        T.String({ pattern: "^[A-Za-z0-9_-]{43}$", description: "Web Push VAPID private key" }),
    ),
    VAPID_SUBJECT: T.Optional(
        T.String({
            pattern: "^(mailto:|https://)",
            description: "VAPID contact (mailto: or https:)",
        }),
    ),
    PUSH_TIMEOUT_MS: T.Optional(integer("Timeout of one request to a push service")),
    PUSH_CONCURRENCY: T.Optional(integer("Push requests in flight at once")),
});

export type RawEnv = Static<typeof envSchema>;
