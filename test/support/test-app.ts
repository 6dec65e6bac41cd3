import type { AnyElysia } from "elysia";
import pino from "pino";
import { type App, createApp } from "../../src/app";
import { closeDomains, createDomains, type Domains } from "../../src/domains";
import { createInfrastructure, type Infrastructure } from "../../src/infrastructure";
import { type DatabaseConfig, loadConfig } from "../../src/infrastructure/config";
import { JobScheduler } from "../../src/infrastructure/jobs";
import { redactedErrorSerializer } from "../../src/infrastructure/logger";
import { ephemeralSecrets } from "../../src/infrastructure/secrets";
import { createTestDatabase } from "./test-database";

export type TestApp = {
    /** Base URL of the app listening on a free port, e.g. `http://127.0.0.1:41234`. */
    url: string;
    app: App;
    infra: Infrastructure;
    domains: Domains;
    /** Jobs are registered but not scheduled: tests run them with `job.runNow()`. */
    jobs: JobScheduler;
    /**
     * `fetch` against the app over real HTTP, with a path relative to `url`. It asks for JSON
     * (`accept: application/json`) unless `init` names another Accept: our own clients do, and
     * error bodies are plain text for callers that do not (the seed's clients).
     */
    request(path: string, init?: RequestInit): Promise<Response>;
    stop(): Promise<void>;
};

export type TestAppOptions = {
    env?: Record<string, string>;
    /**
     * Placeholder routes of a test (a validated body, a crash...), added to the created app as
     * any Elysia plugin is: they get the app's global hooks (errors, bodies, logging), and the
     * legacy catch-all answers only paths that no route matches.
     */
    placeholderRoutes?: (infra: Infrastructure) => AnyElysia;
    /**
     * Another instance of the same deployment: share that app's database and secrets instead of
     * creating new ones (PostgreSQL only: an in-memory PGlite cannot be shared). Stop it last.
     */
    sameDeploymentAs?: TestApp;
    /** Use this database as is (not created nor dropped here), e.g. behind a TCP proxy. */
    database?: DatabaseConfig;
    /** Contract address variables (with `env.RPC_URL`) instead of a fresh anvil per app. */
    chainEnv?: Record<string, string>;
};

/** Starts the real app in-process on its own database and a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
    const peer = options.sameDeploymentAs?.infra;
    if (peer && peer.config.database.kind !== "postgres") {
        throw new Error("sameDeploymentAs needs DATABASE_URL (PGlite in memory is not shared)");
    }
    const database = options.database
        ? { config: options.database, drop: async () => {} }
        : peer
          ? { config: peer.config.database, drop: async () => {} }
          : await createTestDatabase();
    const config = {
        ...loadConfig({ STAGE: "test", CORS_ORIGINS: "http://localhost:3000", ...options.env }),
        database: database.config,
    };
    const logger = pino({
        level: process.env.TEST_LOG_LEVEL ?? "silent",
        serializers: { err: redactedErrorSerializer },
    });
    const infra = await createInfrastructure(config, {
        logger,
        secrets: peer?.secrets ?? ephemeralSecrets(),
        ephemeralChain: true,
        env: options.chainEnv ?? {},
    });
    const jobs = new JobScheduler(infra.database, infra.logger, infra.metrics);
    const domains = createDomains(infra, jobs);
    const app = createApp(infra, domains);
    if (options.placeholderRoutes) app.use(options.placeholderRoutes(infra));
    app.listen({ port: 0, hostname: "127.0.0.1" });
    const url = `http://127.0.0.1:${app.server?.port}`;
    return {
        url,
        app,
        infra,
        domains,
        jobs,
        request: (path, init) => fetch(`${url}${path}`, withJsonAccept(init)),
        async stop() {
            await app.stop(true);
            await jobs.stop();
            await closeDomains(domains).catch(() => {});
            await infra.close().catch(() => {});
            await database.drop();
        },
    };
}

export const jsonHeaders = { "content-type": "application/json" };

/** The parsed JSON body of a response, for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export const readJson = (response: Response): Promise<any> => response.json() as Promise<any>;

/** `init` asking for JSON unless it already names an Accept header. */
export function withJsonAccept(init: RequestInit = {}): RequestInit {
    const headers = new Headers(init.headers);
    if (!headers.has("accept")) headers.set("accept", "application/json");
    return { ...init, headers };
}
