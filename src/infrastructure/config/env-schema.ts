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

const rateLimit = (description: string) =>
    T.String({ pattern: "^[0-9]+/[0-9]+$", description: `${description}: <count>/<seconds>` });

export const EnvSchema = T.Object({
    PORT: T.Optional(integer("HTTP port")),
    HOSTNAME: T.Optional(T.String({ description: "Instance name echoed by /health" })),
    STAGE: T.Optional(T.String({ description: "Deployment stage (dev, staging, prod...)" })),
    LOG_LEVEL: T.Optional(
        T.Union(
            ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((l) => T.Literal(l)),
            { description: "Log level (debug when running locally, info otherwise)" },
        ),
    ),
    LOG_FORMAT: T.Optional(
        T.Union([T.Literal("json"), T.Literal("pretty")], {
            description: "Log lines: pretty in a terminal when running locally, JSON otherwise",
        }),
    ),
    DATA_DIR: T.Optional(
        T.String({
            minLength: 1,
            description: "Local state: PGlite, anvil state, dev secrets (default ./.data)",
        }),
    ),
    DATABASE_URL: T.Optional(
        T.String({
            pattern: "^postgres(ql)?://",
            description: "PostgreSQL; embedded PGlite in DATA_DIR when unset",
        }),
    ),
    DATABASE_POOL_SIZE: T.Optional(integer("PostgreSQL pool size")),
    PGLITE_DATA_DIR: T.Optional(
        T.String({ minLength: 1, description: "PGlite directory (default <DATA_DIR>/pglite)" }),
    ),
    JWT_SECRET: T.Optional(T.String({ minLength: 32, description: "Wallet session JWT secret" })),
    JWT_SDK_SECRET: T.Optional(T.String({ minLength: 32, description: "SDK JWT secret" })),
    JWT_BUSINESS_SECRET: T.Optional(
        T.String({ minLength: 32, description: "Merchant dashboard JWT secret" }),
    ),
    JWT_SECRET_PREVIOUS: T.Optional(
        T.String({ minLength: 32, description: "Rotated-out wallet secret, still verified" }),
    ),
    JWT_SDK_SECRET_PREVIOUS: T.Optional(
        T.String({ minLength: 32, description: "Rotated-out SDK secret, still verified" }),
    ),
    JWT_BUSINESS_SECRET_PREVIOUS: T.Optional(
        T.String({ minLength: 32, description: "Rotated-out merchant secret, still verified" }),
    ),
    WALLET_SESSION_TTL_DAYS: T.Optional(integer("Wallet JWT lifetime in days")),
    LEGACY_WALLET_TOKENS: T.Optional(boolean("Accept seed-era wallet JWTs without exp/jti")),
    CORS_ORIGINS: T.Optional(T.String({ description: "Comma separated allowed origins" })),
    SOCIAL_REDIRECT_HOSTS: T.Optional(
        T.String({
            description:
                "Comma separated host names /common/social may redirect to, besides minted products' domains (default: the CORS_ORIGINS hosts)",
        }),
    ),
    SHUTDOWN_TIMEOUT_MS: T.Optional(integer("Grace period for in-flight requests")),
    MAX_BODY_BYTES: T.Optional(integer("Largest request body of a JSON route (default 1 MiB)")),
    WEBHOOK_MAX_BODY_BYTES: T.Optional(
        integer("Largest body of a shop order or server-to-server webhook (default 16 MiB)"),
    ),
    MAX_HEADER_BYTES: T.Optional(integer("Largest total size of request headers (default 8 KiB)")),
    MAX_JSON_DEPTH: T.Optional(integer("Deepest nesting of a JSON body (default 32)")),
    MAX_JSON_VALUES: T.Optional(
        integer("Most array items and object members in a JSON body (default 100000)"),
    ),
    REDIS_URL: T.Optional(
        T.String({ pattern: "^rediss?://", description: "Redis for cross-instance pub/sub" }),
    ),
    WEBAUTHN_RP_IDS: T.Optional(
        T.String({ minLength: 1, description: "Comma separated WebAuthn relying-party ids" }),
    ),
    WEBAUTHN_ORIGINS: T.Optional(
        T.String({
            minLength: 1,
            description: "Comma separated WebAuthn origins; a `:*` port matches any port",
        }),
    ),
    WEBAUTHN_USER_VERIFICATION: T.Optional(
        T.Union([T.Literal("required"), T.Literal("preferred")], {
            description:
                "`required` (default): passkey logins and registrations need the user-verified flag; `preferred` accepts authenticators that only test presence",
        }),
    ),
    BUSINESS_SIWE_DOMAINS: T.Optional(
        T.String({
            minLength: 1,
            description:
                "Comma separated dashboard hosts (host or host:port; `host:*` any port) a SIWE message's domain and uri may name",
        }),
    ),
    AUTHENTICATOR_STORE: T.Optional(
        T.Union([T.Literal("postgres"), T.Literal("mongo")], {
            description: "Where WebAuthn authenticators live (default postgres)",
        }),
    ),
    MONGODB_URL: T.Optional(
        T.String({
            pattern: "^mongodb(\\+srv)?://",
            description: "The seed's MongoDB, when AUTHENTICATOR_STORE is mongo",
        }),
    ),
    TRUSTED_PROXY_HOPS: T.Optional(integer("Reverse proxies in front of the service")),
    RATE_LIMIT_AUTH: T.Optional(rateLimit("Login and registration requests per client IP")),
    RATE_LIMIT_CHALLENGE: T.Optional(rateLimit("WebAuthn challenges per client IP")),
    RATE_LIMIT_NONCE: T.Optional(rateLimit("SIWE nonces per client IP")),
    RATE_LIMIT_PAIRING: T.Optional(rateLimit("Pairing initiations per client IP")),
    RATE_LIMIT_PURCHASE_LISTEN: T.Optional(rateLimit("listenForPurchase calls per wallet")),
    RATE_LIMIT_PURCHASE_LISTEN_IP: T.Optional(rateLimit("listenForPurchase calls per client IP")),
    RATE_LIMIT_INTERACTIONS_PUSH: T.Optional(rateLimit("SDK interaction pushes per wallet")),
    RATE_LIMIT_INTERACTIONS_PUSH_IP: T.Optional(rateLimit("SDK interaction pushes per client IP")),
    RATE_LIMIT_AIRTABLE: T.Optional(rateLimit("Lead captures (/common/airtable) per client IP")),
    WS_MAX_PER_WALLET: T.Optional(integer("Pairing sockets open at once per wallet, per instance")),
    WS_MAX_PER_IP: T.Optional(integer("Pairing sockets open at once per client IP, per instance")),
    WS_IDLE_TIMEOUT_SECONDS: T.Optional(
        integer("A socket that answers neither data nor pings for this long is closed"),
    ),
    PURCHASE_TRACKER_TTL_DAYS: T.Optional(
        integer("Days a purchase tracker waits for its purchase before it is dropped"),
    ),
    INTERACTIONS_WEBHOOK_REPLAY_WINDOW_HOURS: T.Optional(
        integer(
            "Hours an identical x-hmac-sha256 interactions webhook body is refused as a replay (Standard Webhooks deliveries: by webhook-id and timestamp)",
        ),
    ),
    METRICS_TOKEN: T.Optional(
        T.String({ minLength: 16, description: "Bearer token required by /metrics" }),
    ),
    RPC_URL: T.Optional(
        T.String({
            pattern: "^(https?|wss?)://",
            description: "Chain RPC; a local anvil is started when unset",
        }),
    ),
    ANVIL_BINARY: T.Optional(
        T.String({
            minLength: 1,
            description: "anvil executable (default: the npm package of this platform, then PATH)",
        }),
    ),
    DEPLOYMENT_FILE: T.Optional(
        T.String({
            minLength: 1,
            description: "Contract addresses JSON (default <DATA_DIR>/deployment.json)",
        }),
    ),
    CHAIN_CONFIRMATIONS: T.Optional(integer("Blocks to wait on top of a receipt")),
    MASTER_KEY: T.Optional(
        T.String({
            pattern: "^0x[0-9a-fA-F]{64}$",
            description: "Master key of the backend signers (hex)",
        }),
    ),
    MASTER_KEY_SECRET: T.Optional(
        T.String({
            pattern: '^\\s*\\{.*"masterPrivateKey"',
            description: 'The seed\'s form of MASTER_KEY: {"masterPrivateKey": "<hex>"}',
        }),
    ),
    PRODUCT_SETUP_CODE_SALT: T.Optional(
        T.String({ minLength: 1, description: "Salt of merchant setup codes (DNS-free proof)" }),
    ),
    DNS_RESOLVER: T.Optional(
        T.String({
            minLength: 1,
            description: "Comma separated DNS servers (ip or ip:port) for the TXT domain proof",
        }),
    ),
    DNS_TIMEOUT_MS: T.Optional(integer("Timeout of one DNS TXT query")),
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
    PUSH_MAX_SUBSCRIPTIONS_PER_WALLET: T.Optional(
        integer("Web Push subscriptions kept per wallet (the oldest go first)"),
    ),
    PUSH_ENDPOINT_ALLOWLIST: T.Optional(
        T.String({
            minLength: 1,
            description:
                "Comma separated push service hosts exempt from the https and public-address checks (tests, private push services)",
        }),
    ),
    ORACLE_UPDATE_THRESHOLD: T.Optional(
        integer("Pending purchase leaves that trigger a root update"),
    ),
    ORACLE_UPDATE_MAX_AGE_MINUTES: T.Optional(
        integer("Age of the oldest pending leaf that triggers a root update"),
    ),
    ORACLE_TREE_CACHE_MB: T.Optional(integer("Memory for cached purchase Merkle trees")),
    SHOPIFY_API_SECRET: T.Optional(
        T.String({ description: "Shopify app secret (oracle key SHOPIFY_SECRET)" }),
    ),
    REWARD_INDEX_CONFIRMATIONS: T.Optional(
        integer("Blocks behind the head the reward index stays (reorg safety)"),
    ),
    REWARD_INDEX_START_BLOCK: T.Optional(integer("First block the reward index reads")),
    REWARD_INDEX_BLOCK_RANGE: T.Optional(integer("Blocks per getLogs request of the reward index")),
    COINGECKO_API_URL: T.Optional(
        T.String({ pattern: "^https?://", description: "CoinGecko API (pricing off when unset)" }),
    ),
    COINGECKO_API_KEY: T.Optional(T.String({ minLength: 1, description: "CoinGecko API key" })),
    COINGECKO_PLATFORM: T.Optional(
        T.String({ pattern: "^[a-z0-9-]+$", description: "CoinGecko platform of our tokens" }),
    ),
    COINGECKO_TIMEOUT_MS: T.Optional(integer("Timeout of one CoinGecko request")),
    AIRTABLE_API_KEY: T.Optional(
        T.String({ minLength: 1, description: "Airtable key (lead forwarding off when unset)" }),
    ),
    AIRTABLE_API_URL: T.Optional(T.String({ pattern: "^https?://", description: "Airtable API" })),
    AIRTABLE_BASE_ID: T.Optional(
        T.String({ pattern: "^[A-Za-z0-9]+$", description: "Airtable base of the leads" }),
    ),
    AIRTABLE_DEMO_REQUEST_TABLE_ID: T.Optional(
        T.String({ pattern: "^[A-Za-z0-9]+$", description: "Airtable table of demo requests" }),
    ),
    AIRTABLE_SIMULATION_TABLE_ID: T.Optional(
        T.String({ pattern: "^[A-Za-z0-9]+$", description: "Airtable table of simulations" }),
    ),
    SLACK_BOT_TOKEN: T.Optional(
        T.String({ minLength: 1, description: "Slack bot token (lead messages off when unset)" }),
    ),
    SLACK_API_URL: T.Optional(T.String({ pattern: "^https?://", description: "Slack API" })),
    SLACK_CHANNEL: T.Optional(T.String({ minLength: 1, description: "Slack channel of leads" })),
    INTERACTIONS_BATCH_SIZE: T.Optional(integer("Interactions per on-chain batch transaction")),
    LEGACY_RAW_ADDRESS_AUTH: T.Optional(
        boolean("listenForPurchase accepts a bare wallet address instead of an SDK JWT"),
    ),
});

export type RawEnv = Static<typeof EnvSchema>;
