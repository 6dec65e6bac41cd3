/**
 * The database becomes unreachable under load and comes back (a TCP proxy in front of the real
 * PostgreSQL is cut and restored): readiness answers 503 then 200, requests that need the
 * database get 503 (never a 500, never a hang) and the service recovers without a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
    type OracleFixture,
    sendShopify,
    shopifyOrder,
    startOracleFixture,
} from "../oracle/helpers";
import { eventually } from "../support/eventually";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const onPostgres = Boolean(process.env.DATABASE_URL);
if (!onPostgres) console.log("database fault tests skipped: they need DATABASE_URL (PostgreSQL)");

let database: TestDatabase;
let proxy: TcpProxy;
let server: TestApp;
let oracle: OracleFixture;

beforeAll(async () => {
    if (!onPostgres) return;
    database = await createTestDatabase();
    if (database.config.kind !== "postgres") throw new Error("expected PostgreSQL");
    const url = new URL(database.config.url);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(proxy.port);
    server = await startTestApp({
        database: { kind: "postgres", url: url.toString(), poolSize: 4 },
    });
    oracle = await startOracleFixture({ app: server });
});

afterAll(async () => {
    if (!onPostgres) return;
    await server.stop();
    proxy.stop();
    await database.drop();
});

describe.skipIf(!onPostgres)("database stopped and restarted under load", () => {
    test("health and database-backed routes answer 503 while it is down, then recover", async () => {
        // Background load for the whole test: the process must keep answering.
        let running = true;
        const statuses: number[] = [];
        const load = (async () => {
            while (running) {
                const response = await server.request("/health");
                statuses.push(response.status);
                await Bun.sleep(10);
            }
        })();

        expect((await server.request("/health")).status).toBe(200);
        const order = shopifyOrder(7001, "paid");

        proxy.cut();
        await eventually(async () => (await server.request("/health")).status === 503);
        const down = await server.request("/health");
        expect(await readJson(down)).toMatchObject({ status: "error", failed: ["database"] });

        // The shop's delivery gets 503 (so it retries), quickly: never a 500, never a hang.
        const started = Date.now();
        const during = await sendShopify(oracle, order);
        expect(during.status).toBe(503);
        expect(await readJson(during)).toMatchObject({ error: "service_unavailable" });
        expect(during.headers.get("retry-after")).not.toBeNull();
        expect(Date.now() - started).toBeLessThan(10_000);

        // Stay down long enough for the background load to see it.
        await eventually(async () => statuses.slice(-3).every((status) => status === 503));
        proxy.restore();
        await eventually(async () => (await server.request("/health")).status === 200);
        // The load sees the recovery too: its latest answers are all 200 again.
        await eventually(async () => statuses.slice(-5).every((status) => status === 200));
        running = false;
        await load;
        expect(statuses).toContain(503);
        expect(statuses.slice(-5)).toEqual([200, 200, 200, 200, 200]);
        expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);

        // The shop's retry lands, once, and a second retry changes nothing.
        expect((await sendShopify(oracle, order)).status).toBe(200);
        expect((await sendShopify(oracle, order)).status).toBe(200);
        const status = await server.request(
            `/business/product/${oracle.productId}/oracleWebhook/status`,
            { headers: { "x-business-auth": oracle.ownerToken } },
        );
        expect((await readJson(status)).stats.totalPurchaseHandled).toBe(1);
    }, 60_000);
});
