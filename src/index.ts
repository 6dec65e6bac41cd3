import { createApp } from "./app";
import { closeDomains, createDomains } from "./domains";
import { createInfrastructure } from "./infrastructure";
import { ConfigError, loadConfig } from "./infrastructure/config";
import { JobScheduler } from "./infrastructure/jobs";

/**
 * Start-up: config -> infrastructure (database + migrations) -> app -> listen.
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish (bounded), stop the jobs, close
 * the database.
 */
async function main() {
    let config: ReturnType<typeof loadConfig>;
    try {
        config = loadConfig(process.env);
    } catch (error) {
        if (error instanceof ConfigError) {
            console.error(error.message);
            process.exit(1);
        }
        throw error;
    }
    const infra = await createInfrastructure(config);
    const jobs = new JobScheduler(infra.database, infra.logger, infra.metrics);
    const domains = createDomains(infra, jobs);
    const app = createApp(infra, domains).listen({ port: config.port, hostname: "0.0.0.0" });
    jobs.start();
    infra.logger.info(
        { port: config.port, database: infra.database.kind, stage: config.stage ?? "local" },
        "listening",
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
        infra.logger.info("stopped");
        process.exit(0);
    };
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
    console.error("start-up failed:", error);
    process.exit(1);
});
