import { isIP } from "node:net";
import { Value } from "@sinclair/typebox/value";
import type { RateLimitRule } from "../rate-limit";
import { EnvSchema, type RawEnv } from "./env-schema";
import { type StageFlags, stageFlags } from "./stage";

export class ConfigError extends Error {
    /** The first variable at fault; `variables` has them all. */
    readonly variable: string;
    constructor(
        variable: string,
        detail: string,
        readonly variables: string[] = [variable],
        message = `Invalid environment variable ${variable}: ${detail}`,
    ) {
        super(message);
        this.name = "ConfigError";
        this.variable = variable;
    }
}

/**
 * What production must bring itself (development generates or starts it): one entry per need,
 * alternatives in the same entry.
 */
export const productionRequiredVariables: readonly (readonly string[])[] = [
    ["JWT_SECRET"],
    ["JWT_SDK_SECRET"],
    ["JWT_BUSINESS_SECRET"],
    ["DATABASE_URL"],
    ["RPC_URL"],
    ["MASTER_KEY", "MASTER_KEY_SECRET"],
    // A generated VAPID pair would orphan every browser subscription on the next instance.
    ["VAPID_PUBLIC_KEY"],
    ["VAPID_PRIVATE_KEY"],
];

export type RateLimitBucket =
    | "auth"
    | "challenge"
    | "nonce"
    | "pairing"
    | "purchaseListen"
    | "purchaseListenWallet"
    | "interactionsPush"
    | "interactionsPushWallet"
    | "airtable";

export type DatabaseConfig =
    | { kind: "postgres"; url: string; poolSize: number }
    | { kind: "pglite"; dataDir: string | undefined };

export type AppConfig = StageFlags & {
    port: number;
    hostname: string | undefined;
    logLevel: string;
    /** `auto`: readable in a terminal when running locally, JSON otherwise. */
    logFormat: "json" | "pretty" | "auto";
    dataDir: string;
    database: DatabaseConfig;
    jwt: {
        walletSecret: string | undefined;
        sdkSecret: string | undefined;
        businessSecret: string | undefined;
        walletSessionTtlSeconds: number;
        acceptLegacyWalletTokens: boolean;
        /** Secrets being rotated out: still accepted for verification. */
        previousSecrets: { wallet?: string; sdk?: string; business?: string };
    };
    corsOrigins: string[];
    shutdownTimeoutMs: number;
    /** Limits checked before a request body is parsed (one place for every route). */
    http: HttpLimits;
    /** Merchant products: the DNS TXT proof's resolver and the setup-code salt. */
    business: {
        /** Without it the setup-code path is off (only the DNS TXT proof works). */
        productSetupCodeSalt: string | undefined;
        /** `ip` or `ip:port` servers for the TXT lookup; empty: the system resolver. */
        dnsResolvers: string[];
        dnsTimeoutMs: number;
    };
    /** Redis pub/sub between instances (pairing sockets); absent: in-process only. */
    redisUrl: string | undefined;
    /**
     * Relying-party ids and origins accepted in WebAuthn registrations and assertions, and
     * whether the authenticator must have verified the user (PIN, biometrics) or only seen them.
     */
    webauthn: { rpIds: string[]; origins: string[]; requireUserVerification: boolean };
    /** Merchant dashboard SIWE login: hosts its messages may name (`host:*` any port). */
    businessSiweDomains: string[];
    /** Where WebAuthn authenticators live: our PostgreSQL (default) or the seed's MongoDB. */
    authenticatorStore: { kind: "postgres" } | { kind: "mongo"; url: string };
    /** Reverse proxies whose X-Forwarded-For entries we trust (right-anchored). */
    trustedProxyHops: number;
    /**
     * Per-client-IP limits of the auth, challenge, nonce, pairing-initiation, SDK and lead
     * routes, and per-wallet limits of the SDK routes (`*Wallet`).
     */
    rateLimits: Record<RateLimitBucket, RateLimitRule>;
    /** WebSocket bounds (per instance: each instance's file descriptors are its own). */
    sockets: { maxPerWallet: number; maxPerIp: number; idleTimeoutSeconds: number };
    /** Bearer token required by /metrics when set. */
    metricsToken: string | undefined;
    chain: {
        /** Absent: a local anvil is started (development and tests). */
        rpcUrl: string | undefined;
        deploymentFile: string | undefined;
        confirmations: number;
        /** Hex master key of the derived backend signers, when given by env. */
        masterKey: `0x${string}` | undefined;
    };
    /** Web Push: VAPID keys (generated into `<DATA_DIR>/vapid.json` outside production). */
    push: {
        vapidPublicKey: string | undefined;
        vapidPrivateKey: string | undefined;
        vapidSubject: string;
        timeoutMs: number;
        concurrency: number;
        /** Subscriptions kept per wallet: registering one more drops the oldest. */
        maxSubscriptionsPerWallet: number;
        /** Lower-case hosts (`host` or `host:port`) exempt from the https / public-address rule. */
        endpointAllowlist: string[];
    };
    /** Purchase oracle: when the root job pushes a root, tree cache size, Shopify app secret. */
    oracle: {
        updateThreshold: number;
        updateMaxAgeMinutes: number;
        treeCacheBytes: number;
        shopifyApiSecret: string | undefined;
    };
    /** Wallet domain: reward index, pricing provider, lead forwarding. */
    wallet: WalletConfig;
    /** Interactions pipeline: batch size on-chain, legacy listenForPurchase auth. */
    interactions: {
        batchSize: number;
        legacyRawAddressAuth: boolean;
        /** An unpushed purchase tracker older than this is dropped (its purchase never came). */
        purchaseTrackerTtlMs: number;
        /** An identical legacy-signed interactions webhook body is refused this long. */
        webhookReplayWindowMs: number;
    };
};

export type HttpLimits = {
    /** Largest body of a route that parses JSON, text or a form. */
    maxBodyBytes: number;
    /** Largest body of a raw webhook route (shop orders with thousands of lines). */
    webhookMaxBodyBytes: number;
    /** Largest total size of the request headers (names and values). */
    maxHeaderBytes: number;
    /** Deepest nesting of arrays and objects in a JSON body. */
    maxJsonDepth: number;
    /** Most values (array items, object members) in a JSON body: parsing costs per value. */
    maxJsonValues: number;
};

export type WalletConfig = {
    rewardIndex: {
        /** Blocks behind the head; 0 on a local anvil (no reorgs), 12 otherwise unless set. */
        confirmations: number | undefined;
        startBlock: bigint;
        blockRange: number;
    };
    /** CoinGecko is off unless its URL or key is set. */
    coingecko:
        | { apiUrl: string; apiKey: string | undefined; platform: string; timeoutMs: number }
        | undefined;
    /** Airtable forwarding is off without an API key; Slack without a bot token. */
    airtable:
        | {
              apiUrl: string;
              apiKey: string;
              baseId: string;
              tables: { demo_request: string; simulation: string };
          }
        | undefined;
    slack: { apiUrl: string; token: string; channel: string } | undefined;
    /** Hosts `/common/social` may send a visitor to besides minted products' domains. */
    socialRedirectHosts: string[];
};

/** Origins of the wallet (web and Tauri app), the merchant dashboard and local development. */
const defaultCorsOrigins = [
    "https://wallet.frak.id",
    "https://business.frak.id",
    "https://wallet-dev.frak.id",
    "https://business-dev.frak.id",
    "http://localhost:3000",
    "https://localhost:3000",
    "http://localhost:3010",
    "https://localhost:3010",
    // The seed's local dashboard and listener (the wallet iframe on merchants' pages).
    "http://localhost:3022",
    "https://localhost:3022",
    "http://localhost:3002",
    "https://localhost:3002",
    // The wallet's Tauri app (macOS/iOS/Linux webviews, then Windows/Android).
    "tauri://localhost",
    "http://tauri.localhost",
];

/** Parses and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
    const raw = pickKnownVariables(env);
    const invalid = new Map<string, string>();
    for (const error of Value.Errors(EnvSchema, raw)) {
        const variable = error.path.replace(/^\//, "") || "environment";
        if (!invalid.has(variable)) invalid.set(variable, error.message);
    }
    if (invalid.size > 0) {
        const [[first, detail]] = [...invalid] as [[string, string]];
        const message =
            invalid.size === 1
                ? undefined
                : `Invalid environment variables:\n${[...invalid].map(([name, why]) => `  ${name}: ${why}`).join("\n")}`;
        throw new ConfigError(first, detail, [...invalid.keys()], message);
    }
    const flags = stageFlags(raw.STAGE);
    const dataDir = raw.DATA_DIR ?? "./.data";
    const port = Number(raw.PORT ?? 3030);
    if (port > 65535) throw new ConfigError("PORT", "must be at most 65535");

    const jwt = {
        walletSecret: raw.JWT_SECRET,
        sdkSecret: raw.JWT_SDK_SECRET,
        businessSecret: raw.JWT_BUSINESS_SECRET,
        walletSessionTtlSeconds: Number(raw.WALLET_SESSION_TTL_DAYS ?? 30) * 86_400,
        acceptLegacyWalletTokens: isTrue(raw.LEGACY_WALLET_TOKENS),
        previousSecrets: {
            wallet: raw.JWT_SECRET_PREVIOUS,
            sdk: raw.JWT_SDK_SECRET_PREVIOUS,
            business: raw.JWT_BUSINESS_SECRET_PREVIOUS,
        },
    };
    if (flags.isRunningInProd) {
        // Generated secrets and a local chain are development conveniences: list every missing
        // variable at once so one deployment attempt is enough to fix them all.
        const rawValues = raw as Record<string, string | undefined>;
        const missing = productionRequiredVariables.filter((names) =>
            names.every((name) => !rawValues[name]),
        );
        if (missing.length > 0) {
            const labels = missing.map((names) => names.join(" or "));
            throw new ConfigError(
                missing[0]?.[0] ?? "environment",
                "is required when STAGE is production",
                missing.map((names) => names[0] ?? ""),
                `Missing environment variables for STAGE=${raw.STAGE}: ${labels.join(", ")}`,
            );
        }
    }
    if (Boolean(raw.VAPID_PUBLIC_KEY) !== Boolean(raw.VAPID_PRIVATE_KEY)) {
        const missing = raw.VAPID_PUBLIC_KEY ? "VAPID_PRIVATE_KEY" : "VAPID_PUBLIC_KEY";
        throw new ConfigError(missing, "must be set together with its pair");
    }

    const corsOrigins = raw.CORS_ORIGINS ? listOf(raw.CORS_ORIGINS) : defaultCorsOrigins;
    return {
        ...flags,
        port,
        hostname: raw.HOSTNAME,
        logLevel: raw.LOG_LEVEL ?? (flags.isRunningLocally ? "debug" : "info"),
        logFormat: raw.LOG_FORMAT ?? "auto",
        dataDir,
        database: raw.DATABASE_URL
            ? {
                  kind: "postgres",
                  url: raw.DATABASE_URL,
                  poolSize: Number(raw.DATABASE_POOL_SIZE ?? 10),
              }
            : { kind: "pglite", dataDir: raw.PGLITE_DATA_DIR ?? `${dataDir}/pglite` },
        jwt,
        corsOrigins,
        shutdownTimeoutMs: Number(raw.SHUTDOWN_TIMEOUT_MS ?? 10_000),
        http: {
            maxBodyBytes: Math.max(1, Number(raw.MAX_BODY_BYTES ?? 1024 * 1024)),
            webhookMaxBodyBytes: Math.max(
                1,
                Number(raw.WEBHOOK_MAX_BODY_BYTES ?? 16 * 1024 * 1024),
            ),
            maxHeaderBytes: Math.max(1024, Number(raw.MAX_HEADER_BYTES ?? 8 * 1024)),
            maxJsonDepth: Math.max(1, Number(raw.MAX_JSON_DEPTH ?? 32)),
            maxJsonValues: Math.max(1, Number(raw.MAX_JSON_VALUES ?? 100_000)),
        },
        business: {
            productSetupCodeSalt: raw.PRODUCT_SETUP_CODE_SALT,
            dnsResolvers: raw.DNS_RESOLVER ? dnsServersOf(raw.DNS_RESOLVER) : [],
            dnsTimeoutMs: Number(raw.DNS_TIMEOUT_MS ?? 3000),
        },
        redisUrl: raw.REDIS_URL,
        webauthn: {
            rpIds: raw.WEBAUTHN_RP_IDS
                ? splitList(raw.WEBAUTHN_RP_IDS)
                : defaultWebAuthnRelyingParty(flags).rpIds,
            origins: raw.WEBAUTHN_ORIGINS
                ? splitList(raw.WEBAUTHN_ORIGINS)
                : defaultWebAuthnRelyingParty(flags).origins,
            requireUserVerification: raw.WEBAUTHN_USER_VERIFICATION !== "preferred",
        },
        businessSiweDomains: raw.BUSINESS_SIWE_DOMAINS
            ? splitList(raw.BUSINESS_SIWE_DOMAINS).map((host) => host.toLowerCase())
            : defaultBusinessSiweDomains(flags),
        authenticatorStore: authenticatorStoreOf(raw),
        trustedProxyHops: Number(raw.TRUSTED_PROXY_HOPS ?? 0),
        rateLimits: {
            auth: parseRateLimit(raw.RATE_LIMIT_AUTH ?? "30/60"),
            challenge: parseRateLimit(raw.RATE_LIMIT_CHALLENGE ?? "60/60"),
            nonce: parseRateLimit(raw.RATE_LIMIT_NONCE ?? "60/60"),
            pairing: parseRateLimit(raw.RATE_LIMIT_PAIRING ?? "20/60"),
            purchaseListen: parseRateLimit(raw.RATE_LIMIT_PURCHASE_LISTEN_IP ?? "120/60"),
            purchaseListenWallet: parseRateLimit(raw.RATE_LIMIT_PURCHASE_LISTEN ?? "30/60"),
            interactionsPush: parseRateLimit(raw.RATE_LIMIT_INTERACTIONS_PUSH_IP ?? "600/60"),
            interactionsPushWallet: parseRateLimit(raw.RATE_LIMIT_INTERACTIONS_PUSH ?? "120/60"),
            airtable: parseRateLimit(raw.RATE_LIMIT_AIRTABLE ?? "10/60"),
        },
        sockets: {
            maxPerWallet: Math.max(1, Number(raw.WS_MAX_PER_WALLET ?? 10)),
            maxPerIp: Math.max(1, Number(raw.WS_MAX_PER_IP ?? 50)),
            // Bun sends a ping after this long without traffic and closes one more period later.
            idleTimeoutSeconds: Math.min(
                960,
                Math.max(4, Number(raw.WS_IDLE_TIMEOUT_SECONDS ?? 60)),
            ),
        },
        metricsToken: raw.METRICS_TOKEN,
        chain: {
            rpcUrl: raw.RPC_URL,
            deploymentFile: raw.DEPLOYMENT_FILE,
            confirmations: Number(raw.CHAIN_CONFIRMATIONS ?? 1),
            masterKey: raw.MASTER_KEY
                ? (raw.MASTER_KEY as `0x${string}`)
                : masterKeyFromSeedSecret(raw.MASTER_KEY_SECRET),
        },
        push: {
            vapidPublicKey: raw.VAPID_PUBLIC_KEY,
            vapidPrivateKey: raw.VAPID_PRIVATE_KEY,
            vapidSubject: raw.VAPID_SUBJECT ?? "mailto:hello@frak.id",
            timeoutMs: Number(raw.PUSH_TIMEOUT_MS ?? 10_000),
            concurrency: Math.max(1, Number(raw.PUSH_CONCURRENCY ?? 50)),
            maxSubscriptionsPerWallet: Math.max(
                1,
                Number(raw.PUSH_MAX_SUBSCRIPTIONS_PER_WALLET ?? 20),
            ),
            endpointAllowlist: raw.PUSH_ENDPOINT_ALLOWLIST
                ? splitList(raw.PUSH_ENDPOINT_ALLOWLIST).map((host) => host.toLowerCase())
                : [],
        },
        oracle: {
            updateThreshold: Number(raw.ORACLE_UPDATE_THRESHOLD ?? 50),
            updateMaxAgeMinutes: Number(raw.ORACLE_UPDATE_MAX_AGE_MINUTES ?? 1440),
            treeCacheBytes: Number(raw.ORACLE_TREE_CACHE_MB ?? 256) * 1024 * 1024,
            shopifyApiSecret: raw.SHOPIFY_API_SECRET,
        },
        wallet: walletConfigOf(raw, corsOrigins),
        interactions: {
            batchSize: Math.max(1, Number(raw.INTERACTIONS_BATCH_SIZE ?? 200)),
            legacyRawAddressAuth: isTrue(raw.LEGACY_RAW_ADDRESS_AUTH),
            purchaseTrackerTtlMs:
                Math.max(1, Number(raw.PURCHASE_TRACKER_TTL_DAYS ?? 30)) * 86_400_000,
            webhookReplayWindowMs:
                Math.max(1, Number(raw.INTERACTIONS_WEBHOOK_REPLAY_WINDOW_HOURS ?? 24)) * 3_600_000,
        },
    };
}

function pickKnownVariables(env: Record<string, string | undefined>): RawEnv {
    const raw: Record<string, string> = {};
    for (const key of Object.keys(EnvSchema.properties)) {
        const value = env[key];
        // An empty variable is treated as unset, as shells and compose files often produce them.
        if (value !== undefined && value !== "") raw[key] = value;
    }
    return raw as RawEnv;
}

/** The seed's `MASTER_KEY_SECRET` is JSON `{"masterPrivateKey": "<hex without 0x>"}`. */
function masterKeyFromSeedSecret(secret: string | undefined): `0x${string}` | undefined {
    if (!secret) return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(secret);
    } catch {
        throw new ConfigError("MASTER_KEY_SECRET", "is not valid JSON");
    }
    const key = (parsed as { masterPrivateKey?: unknown }).masterPrivateKey;
    if (typeof key !== "string" || !/^(0x)?[0-9a-fA-F]+$/.test(key)) {
        throw new ConfigError("MASTER_KEY_SECRET", "masterPrivateKey must be a hex string");
    }
    return (key.startsWith("0x") ? key : `0x${key}`) as `0x${string}`;
}

/** The seed's relying-party settings per stage (its Android APK origin is added by env). */
function defaultWebAuthnRelyingParty(flags: StageFlags): { rpIds: string[]; origins: string[] } {
    if (flags.isRunningInProd) {
        return { rpIds: ["frak.id"], origins: ["https://wallet.frak.id", "tauri://localhost"] };
    }
    if (!flags.isRunningLocally) {
        return {
            rpIds: ["wallet-dev.frak.id"],
            origins: ["https://wallet-dev.frak.id", "tauri://localhost"],
        };
    }
    return {
        rpIds: ["localhost", "wallet-dev.frak.id"],
        origins: ["http://localhost:*", "https://localhost:*", "tauri://localhost"],
    };
}

/** The seed's merchant dashboard hosts per stage (its dev server listens on port 3022). */
function defaultBusinessSiweDomains(flags: StageFlags): string[] {
    if (flags.isRunningInProd) return ["business.frak.id"];
    if (!flags.isRunningLocally) return ["business-dev.frak.id"];
    return ["localhost:*"];
}

function authenticatorStoreOf(raw: RawEnv): AppConfig["authenticatorStore"] {
    if (raw.AUTHENTICATOR_STORE !== "mongo") return { kind: "postgres" };
    if (!raw.MONGODB_URL) {
        throw new ConfigError("MONGODB_URL", "is required when AUTHENTICATOR_STORE is mongo");
    }
    return { kind: "mongo", url: raw.MONGODB_URL };
}

/** `ip`, `ip:port` or `[ipv6]:port` entries, as node:dns `setServers` takes them. */
function dnsServersOf(value: string): string[] {
    const servers = splitList(value);
    for (const server of servers) {
        const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(server);
        const hostPort = /^([^:]+):(\d{1,5})$/.exec(server);
        const host = bracketed?.[1] ?? hostPort?.[1] ?? server;
        const port = Number(bracketed?.[2] ?? hostPort?.[2] ?? 53);
        if (isIP(host) === 0 || port < 1 || port > 65535) {
            throw new ConfigError("DNS_RESOLVER", `"${server}" is not an ip or ip:port`);
        }
    }
    return servers;
}

function splitList(value: string): string[] {
    return value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
}

function parseRateLimit(value: string): RateLimitRule {
    const [limit, windowSeconds] = value.split("/").map(Number);
    return { limit: limit ?? 0, windowSeconds: Math.max(windowSeconds ?? 60, 1) };
}

function isTrue(value: string | undefined): boolean {
    return value === "true" || value === "1";
}

function walletConfigOf(raw: RawEnv, corsOrigins: readonly string[]): WalletConfig {
    return {
        socialRedirectHosts: raw.SOCIAL_REDIRECT_HOSTS
            ? listOf(raw.SOCIAL_REDIRECT_HOSTS).map((host) => host.toLowerCase())
            : hostsOf(corsOrigins),
        rewardIndex: {
            confirmations:
                raw.REWARD_INDEX_CONFIRMATIONS === undefined
                    ? undefined
                    : Number(raw.REWARD_INDEX_CONFIRMATIONS),
            startBlock: BigInt(raw.REWARD_INDEX_START_BLOCK ?? 0),
            blockRange: Math.max(1, Number(raw.REWARD_INDEX_BLOCK_RANGE ?? 2000)),
        },
        coingecko:
            raw.COINGECKO_API_URL || raw.COINGECKO_API_KEY
                ? {
                      apiUrl: (raw.COINGECKO_API_URL ?? "https://api.coingecko.com/api/v3").replace(
                          /\/+$/,
                          "",
                      ),
                      apiKey: raw.COINGECKO_API_KEY,
                      platform: raw.COINGECKO_PLATFORM ?? "arbitrum-one",
                      timeoutMs: Number(raw.COINGECKO_TIMEOUT_MS ?? 5000),
                  }
                : undefined,
        airtable: raw.AIRTABLE_API_KEY
            ? {
                  apiUrl: (raw.AIRTABLE_API_URL ?? "https://api.airtable.com").replace(/\/+$/, ""),
                  apiKey: raw.AIRTABLE_API_KEY,
                  baseId: raw.AIRTABLE_BASE_ID ?? "appsfnUHGcLzwO4Bv",
                  tables: {
                      demo_request: raw.AIRTABLE_DEMO_REQUEST_TABLE_ID ?? "tbllje7E1oWyDjzhp",
                      simulation: raw.AIRTABLE_SIMULATION_TABLE_ID ?? "tblrcB9mxuJf6sinh",
                  },
              }
            : undefined,
        slack: raw.SLACK_BOT_TOKEN
            ? {
                  apiUrl: (raw.SLACK_API_URL ?? "https://slack.com/api").replace(/\/+$/, ""),
                  token: raw.SLACK_BOT_TOKEN,
                  channel: raw.SLACK_CHANNEL ?? "crm",
              }
            : undefined,
    };
}

/** A comma separated variable as its trimmed, non-empty entries. */
function listOf(value: string): string[] {
    return value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
}

/** The host names of http(s) origins (other schemes, such as `tauri:`, name no web host). */
function hostsOf(origins: readonly string[]): string[] {
    const hosts = new Set<string>();
    for (const origin of origins) {
        try {
            const url = new URL(origin);
            if (url.protocol === "http:" || url.protocol === "https:") hosts.add(url.hostname);
        } catch {
            // Not a URL: names no host.
        }
    }
    return [...hosts];
}
