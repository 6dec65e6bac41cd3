import { createApp } from "./app";
import { closeDomains, createDomains } from "./domains";
import { createInfrastructure, type Infrastructure } from "./infrastructure";
import { AnvilNotFoundError } from "./infrastructure/blockchain";
import { type AppConfig, ConfigError, loadConfig } from "./infrastructure/config";
import { acquireDataDirLock, DataDirInUseError, type DataDirLock } from "./infrastructure/data-dir";
import { StartupError } from "./infrastructure/errors/startup-error";
import { JobScheduler } from "./infrastructure/jobs";
import { createLogger } from "./infrastructure/logger";

/**
 * Start-up: config -> data-dir lock -> infrastructure (database + migrations, chain) -> app ->
 * listen -> jobs, one log line per step, then the URLs a person needs.
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish (bounded), stop the jobs, close
 * the database and the local chain (saving its state), release the lock.
 */
async function main() {
    const startedAt = performance.now();
    let config: AppConfig;
    try {
        config = loadConfig(process.env);
    } catch (error) {
        if (error instanceof ConfigError) exitWith(error.message);
        throw error;
    }
    const logger = createLogger(config.logLevel, {
        format: config.logFormat,
        runningLocally: config.isRunningLocally,
    });
    logger.info(
        { stage: config.stage ?? "local", dataDir: config.dataDir },
        `starting (${config.database.kind === "postgres" ? "PostgreSQL" : "PGlite"}, ${config.chain.rpcUrl ? "RPC_URL" : "local anvil"})`,
    );

    let lock: DataDirLock | undefined;
    if (usesDataDirState(config)) {
        try {
            lock = acquireDataDirLock(config.dataDir, process.argv.slice(1).join(" "));
        } catch (error) {
            if (error instanceof DataDirInUseError) exitWith(error.message);
            throw error;
        }
    }
    let infra: Infrastructure;
    try {
        infra = await createInfrastructure(config, { logger });
    } catch (error) {
        lock?.release();
        if (error instanceof StartupError || error instanceof AnvilNotFoundError) {
            exitWith(error.message);
        }
        throw error;
    }
    const jobs = new JobScheduler(infra.database, infra.logger, infra.metrics);
    const domains = createDomains(infra, jobs);
    const app = createApp(infra, domains).listen({ port: config.port, hostname: "0.0.0.0" });
    jobs.start();
    logger.info({ jobs: jobs.names }, `jobs: ${jobs.names.length} scheduled`);
    const base = `http://localhost:${app.server?.port ?? config.port}`;
    const urls: [string, string][] = [
        ["API", base],
        ["OpenAPI UI", `${base}/openapi`],
        ["OpenAPI JSON", `${base}/openapi/json`],
        ["Health", `${base}/health`],
        [
            infra.chain.anvil ? "Local RPC" : "RPC",
            infra.chain.anvil ? infra.chain.rpcUrl : "RPC_URL",
        ],
        [
            "Drizzle Studio",
            infra.database.kind === "pglite"
                ? "npm run db:studio (PGlite has one user: stop this server first)"
                : "npm run db:studio",
        ],
    ];
    const readyInSeconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    logger.info(
        { port: config.port, urls: Object.fromEntries(urls) },
        `ready in ${readyInSeconds} s\n${urls.map(([label, url]) => `    ${label.padEnd(15)} ${url}`).join("\n")}`,
    );

    let stopping = false;
    const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        infra.logger.info({ signal }, "shutting down");
        const forced = setTimeout(() => {
            infra.logger.warn("in-flight requests did not finish in time, closing them");
            void app.server?.stop(true);
        }, config.shutdownTimeoutMs);
        try {
            // stop(false) stops accepting and resolves once in-flight requests are done.
            await app.server?.stop(false);
        } finally {
            clearTimeout(forced);
        }
        await jobs.stop();
        await closeDomains(domains);
        await infra.close();
        lock?.release();
        infra.logger.info("stopped");
        process.exit(0);
    };
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    process.on("SIGINT", () => void shutdown("SIGINT"));
}

/** PGlite on disk or the local anvil's state: files only one process may write. */
function usesDataDirState(config: AppConfig): boolean {
    const pgliteOnDisk =
        config.database.kind === "pglite" && !config.database.dataDir?.startsWith("memory://");
    return pgliteOnDisk || !config.chain.rpcUrl;
}

/** A failure a person can act on: its message on one line, no stack. */
function exitWith(message: string): never {
    console.error(message);
    process.exit(1);
}

main().catch((error) => {
    console.error("start-up failed:", error);
    process.exit(1);
});
