import { type Chain, ChainHealthProbe, connectChain, ProductRolesReader } from "./chain";
import type { AppConfig, DatabaseConfig } from "./config";
import { StartupError } from "./errors/startup-error";
import { createLogger, type Logger } from "./logger";
import { Metrics } from "./metrics";
import { type DatabaseHandle, openDatabase } from "./persistence";
import { createPubSub, type PubSub } from "./pubsub";
import { MemoryRateLimitStore, RateLimiter, RedisRateLimitStore } from "./rate-limit";
import { type DevSecrets, loadOrCreateDevSecrets } from "./secrets";
import {
    BusinessSessionRepository,
    SessionStateCache,
    TokenService,
    WalletSessionRepository,
} from "./sessions";

/** Everything the domains and routes are built on; made once per process (or per test app). */
export type Infrastructure = {
    config: AppConfig;
    logger: Logger;
    database: DatabaseHandle;
    tokens: TokenService;
    secrets: DevSecrets;
    /** Our contracts on the configured chain (a local anvil in development and tests). */
    chain: Chain;
    /** Readiness of the chain node, probed at most every few seconds (for `/health`). */
    chainHealth: ChainHealthProbe;
    /** On-chain product roles (owner + bitmask), cached 60 s. */
    productRoles: ProductRolesReader;
    /** Topic fan-out between instances: Redis when REDIS_URL is set, in-process otherwise. */
    pubsub: PubSub;
    /** Prometheus metrics of this instance. */
    metrics: Metrics;
    /** Per-client-IP limits, shared through Redis when REDIS_URL is set. */
    rateLimiter: RateLimiter;
    /** Closes what this object opened, in reverse order of creation. */
    close(): Promise<void>;
};

export type InfrastructureOverrides = {
    logger?: Logger;
    /** Secrets to use instead of env / `.data/secrets.json` (tests pass ephemeral ones). */
    secrets?: DevSecrets;
    /** Tests: a fresh anvil whose state and deployment are not persisted. */
    ephemeralChain?: boolean;
    /** Environment for the contract address variables (defaults to process.env). */
    env?: Record<string, string | undefined>;
};

export async function createInfrastructure(
    config: AppConfig,
    overrides: InfrastructureOverrides = {},
): Promise<Infrastructure> {
    const logger =
        overrides.logger ??
        createLogger(config.logLevel, {
            format: config.logFormat,
            runningLocally: config.isRunningLocally,
        });
    const secrets = resolveSecrets(config, overrides.secrets);
    const migrationsStartedAt = performance.now();
    const database = await openDatabase(config.database);
    try {
        // A server that cannot be reached fails here in one line; embedded PGlite has no server
        // (and its first query also loads it, which takes long on a busy machine: no timeout).
        if (database.kind === "postgres") {
            await database.ping(15_000).catch((error: unknown) => {
                throw new StartupError(databaseFailure(config.database, error), { cause: error });
            });
        }
        await database.migrate();
    } catch (error) {
        await database.close().catch(() => {});
        throw error;
    }
    logger.info(
        {
            ms: Math.round(performance.now() - migrationsStartedAt),
            at: databaseLocation(config.database),
        },
        `database: ${database.kind === "postgres" ? "PostgreSQL" : "PGlite"} ready, migrations applied`,
    );
    let chain: Chain;
    try {
        chain = await connectChain(config, {
            masterKey: secrets.masterKey,
            env: overrides.env ?? process.env,
            logger,
            ephemeral: overrides.ephemeralChain,
        });
    } catch (error) {
        await database.close().catch(() => {});
        throw error;
    }
    let pubsub: PubSub;
    try {
        pubsub = await createPubSub(config.redisUrl, logger);
    } catch (error) {
        await chain.close().catch(() => {});
        await database.close().catch(() => {});
        throw error;
    }
    const tokens = new TokenService(
        {
            walletSecret: secrets.jwtWallet,
            sdkSecret: secrets.jwtSdk,
            businessSecret: secrets.jwtBusiness,
            walletSessionTtlSeconds: config.jwt.walletSessionTtlSeconds,
            acceptLegacyWalletTokens: config.jwt.acceptLegacyWalletTokens,
            previousSecrets: config.jwt.previousSecrets,
        },
        {
            wallet: new WalletSessionRepository(database.db),
            business: new BusinessSessionRepository(database.db),
            states: new SessionStateCache(pubsub, logger),
        },
    );
    try {
        await tokens.start();
    } catch (error) {
        await pubsub.close().catch(() => {});
        await chain.close().catch(() => {});
        await database.close().catch(() => {});
        throw error;
    }
    const rateLimitStore = config.redisUrl
        ? new RedisRateLimitStore(config.redisUrl, logger)
        : new MemoryRateLimitStore();
    if (rateLimitStore instanceof RedisRateLimitStore) await rateLimitStore.ready();
    const rateLimiter = new RateLimiter(rateLimitStore, config.rateLimits);
    return {
        config,
        logger,
        database,
        tokens,
        secrets,
        chain,
        chainHealth: new ChainHealthProbe(chain.rpcUrl),
        productRoles: new ProductRolesReader(chain.clients, chain.deployment),
        pubsub,
        metrics: new Metrics(),
        rateLimiter,
        close: async () => {
            await rateLimiter.close();
            await tokens.close();
            await pubsub.close();
            await chain.close();
            await database.close();
        },
    };
}

/** Env wins; in development the rest comes from (or is generated into) `.data/secrets.json`. */
function resolveSecrets(config: AppConfig, provided: DevSecrets | undefined): DevSecrets {
    const base =
        provided ??
        (config.isRunningInProd
            ? { jwtWallet: "", jwtSdk: "", jwtBusiness: "", masterKey: "0x" as const }
            : loadOrCreateDevSecrets(config.dataDir));
    return {
        ...base,
        jwtWallet: config.jwt.walletSecret ?? base.jwtWallet,
        jwtSdk: config.jwt.sdkSecret ?? base.jwtSdk,
        jwtBusiness: config.jwt.businessSecret ?? base.jwtBusiness,
        masterKey: config.chain.masterKey ?? base.masterKey,
    };
}

/** `host:port/database` of a PostgreSQL URL (no credentials), or the PGlite directory. */
export function databaseLocation(database: DatabaseConfig): string {
    if (database.kind === "pglite") return database.dataDir ?? "memory://";
    try {
        const url = new URL(database.url);
        return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
    } catch {
        return "(unparsable DATABASE_URL)";
    }
}

/** One line that says which server failed and why. */
function databaseFailure(database: DatabaseConfig, error: unknown): string {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.message ?? (error as Error).message;
    const code = cause?.code ?? (error as { code?: string }).code;
    if (database.kind === "pglite")
        return `PGlite at ${database.dataDir} cannot be opened: ${detail}`;
    const where = databaseLocation(database);
    if (code === "ERR_POSTGRES_SERVER_ERROR") {
        return `database at ${where} refused the connection: ${detail} (check DATABASE_URL)`;
    }
    return `database unreachable at ${where}: ${detail}${code ? ` (${code})` : ""}; check DATABASE_URL and that PostgreSQL is running`;
}
