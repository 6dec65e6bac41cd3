import type { AppConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { type DatabaseHandle, openDatabase } from "./persistence";
import { type DevSecrets, loadOrCreateDevSecrets } from "./secrets";
import { TokenService, WalletSessionRepository } from "./sessions";

/** Everything the domains and routes are built on; made once per process (or per test app). */
export type Infrastructure = {
    config: AppConfig;
    logger: Logger;
    database: DatabaseHandle;
    tokens: TokenService;
    secrets: DevSecrets;
    /** Closes what this object opened, in reverse order of creation. */
    close(): Promise<void>;
};

export type InfrastructureOverrides = {
    logger?: Logger;
    /** Secrets to use instead of env / `.data/secrets.json` (tests pass ephemeral ones). */
    secrets?: DevSecrets;
};

export async function createInfrastructure(
    config: AppConfig,
    overrides: InfrastructureOverrides = {},
): Promise<Infrastructure> {
    const logger = overrides.logger ?? createLogger(config.logLevel);
    const secrets = resolveSecrets(config, overrides.secrets);
    const database = await openDatabase(config.database);
    try {
        await database.migrate();
    } catch (error) {
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
        },
        new WalletSessionRepository(database.db),
    );
    return {
        config,
        logger,
        database,
        tokens,
        secrets,
        close: () => database.close(),
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
    };
}
