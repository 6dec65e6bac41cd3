import { afterAll, describe, expect, test } from "bun:test";
import { connect, createServer, type Server, type Socket } from "node:net";
import { eq } from "drizzle-orm";
import pino from "pino";
import { createApp } from "../../src/app";
import { oraclePurchaseTable } from "../../src/domain/oracle/db/schema";
import { createDomains } from "../../src/domains";
import { createInfrastructure } from "../../src/infrastructure";
import { loadConfig } from "../../src/infrastructure/config";
import { JobScheduler } from "../../src/infrastructure/jobs";
import { ephemeralSecrets } from "../../src/infrastructure/secrets";
import { startTestApp, type TestApp, withJsonAccept } from "../support/test-app";
import { createTestDatabase } from "../support/test-database";
import { sendShopify, shopifyOrder, startOracleFixture } from "./helpers";

/** A TCP relay to the PostgreSQL server that the test can cut and restore (same port). */
async function startRelay(target: { host: string; port: number }, port = 0) {
    const sockets = new Set<Socket>();
    const server: Server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("close", () => sockets.delete(socket));
            socket.on("error", () => {
                client.destroy();
                upstream.destroy();
            });
        }
        client.pipe(upstream);
        upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    const address = server.address();
    return {
        port: typeof address === "object" && address ? address.port : port,
        async cut() {
            for (const socket of sockets) socket.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

const stops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
}, 30_000);

describe("database unreachable", () => {
    test.if(!process.env.DATABASE_URL)(
        "PGlite closed: the webhook gets 503, never a 2xx",
        async () => {
            const f = await startOracleFixture();
            stops.push(() => f.app.stop());
            await f.app.infra.database.close();
            const response = await sendShopify(f, shopifyOrder(1, "paid"));
            expect(response.status).toBe(503);
            expect(response.headers.get("retry-after")).toBe("5");
        },
        60_000,
    );

    test.if(Boolean(process.env.DATABASE_URL))(
        "PostgreSQL cut mid-test: 503, then the shop's redelivery lands once",
        async () => {
            const server = new URL(process.env.DATABASE_URL as string);
            const database = await createTestDatabase();
            let relay = await startRelay({
                host: server.hostname,
                port: Number(server.port || 5432),
            });
            const url = new URL((database.config as { url: string }).url);
            url.port = String(relay.port);
            url.hostname = "127.0.0.1";

            // The app under test talks to its database through the relay; a helper app builds
            // the product (same anvil is not needed: the oracle is set up through this app).
            const config = {
                ...loadConfig({ STAGE: "test", CORS_ORIGINS: "http://localhost:3000" }),
                database: { kind: "postgres" as const, url: url.toString(), poolSize: 2 },
            };
            const infra = await createInfrastructure(config, {
                logger: pino({ level: "silent" }),
                secrets: ephemeralSecrets(),
                ephemeralChain: true,
                env: {},
            });
            const jobs = new JobScheduler(infra.database, infra.logger, infra.metrics);
            const domains = createDomains(infra, jobs);
            const server2 = createApp(infra, domains).listen({ port: 0, hostname: "127.0.0.1" });
            const base = `http://127.0.0.1:${server2.server?.port}`;
            const app = {
                url: base,
                app: server2,
                infra,
                domains,
                jobs,
                request: (path: string, init?: RequestInit) =>
                    fetch(`${base}${path}`, withJsonAccept(init)),
                stop: async () => {
                    await server2.stop(true);
                    await jobs.stop();
                    await infra.close().catch(() => {});
                },
            } as unknown as TestApp;
            stops.push(async () => {
                await app.stop();
                await relay.cut().catch(() => {});
                await database.drop();
            });
            const f = await startOracleFixture({ app });
            const order = shopifyOrder(9001, "paid");

            await relay.cut();
            const down = await sendShopify(f, order);
            expect(down.status).toBe(503);

            relay = await startRelay(
                { host: server.hostname, port: Number(server.port || 5432) },
                relay.port,
            );
            let redelivered = await sendShopify(f, order);
            // The pool may hand out one dead connection before noticing: the shop retries.
            for (let i = 0; i < 5 && redelivered.status === 503; i++) {
                await Bun.sleep(200);
                redelivered = await sendShopify(f, order);
            }
            expect(redelivered.status).toBe(200);
            expect((await sendShopify(f, order)).status).toBe(200);
            const rows = await infra.database.db
                .select()
                .from(oraclePurchaseTable)
                .where(eq(oraclePurchaseTable.externalId, "9001"));
            expect(rows).toHaveLength(1);
        },
        60_000,
    );
});

// Keeps the import used when only one branch runs.
void startTestApp;
