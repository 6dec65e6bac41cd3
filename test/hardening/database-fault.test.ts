/**
 * The database becomes unreachable under load and comes back (a TCP proxy in front of the real
 * PostgreSQL is cut and restored): readiness answers 503 then 200, requests that need the
 * database get 503 (never a 500, never a hang) and the service recovers without a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
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

/** Opens an initiating pairing socket and resolves with its close code (0 if it stays open). */
function pairingCloseCode(): Promise<number> {
    const url = `${server.url.replace("http", "ws")}/wallet/pairings/ws?action=initiate`;
    return new Promise((resolve) => {
        const socket = new WebSocket(url);
        const timer = setTimeout(() => {
            socket.close();
            resolve(0);
        }, 10_000);
        socket.onmessage = () => {
            clearTimeout(timer);
            socket.close();
            resolve(0);
        };
        socket.onclose = (event) => {
            clearTimeout(timer);
            resolve(event.code);
        };
    });
}

describe.skipIf(!onPostgres)("the server terminates or refuses our connections", () => {
    const admin = () =>
        postgres(process.env.DATABASE_URL as string, { max: 2, onnotice: () => {} });
    const databaseName = () => new URL((database.config as { url: string }).url).pathname.slice(1);

    test("a query in flight when its backend is terminated (57P01) is a 503 with Retry-After", async () => {
        // On the test's own database (directly, not through the proxy): the lock is taken there.
        const sql = postgres((database.config as { url: string }).url, {
            max: 2,
            onnotice: () => {},
        });
        try {
            const order = shopifyOrder(7101, "paid");
            // Hold the oracle table so the webhook's first query waits, in flight, on our lock.
            const holder = await sql.reserve();
            await holder`begin`;
            await holder`lock table product_oracle in access exclusive mode`;
            const pending = sendShopify(oracle, order);
            await eventually(async () => {
                const waiting = await sql`
                    select pid from pg_stat_activity
                    where datname = ${databaseName()} and wait_event_type = 'Lock'`;
                return waiting.length > 0;
            });
            await sql`
                select pg_terminate_backend(pid) from pg_stat_activity
                where datname = ${databaseName()} and wait_event_type = 'Lock'`;
            await holder`commit`;
            holder.release();
            const during = await pending;
            expect(during.status).toBe(503);
            expect(during.headers.get("retry-after")).toBe("5");
            expect(await readJson(during)).toMatchObject({ error: "service_unavailable" });
            // The shop's retry is stored once the pool has replaced the connection.
            await eventually(async () => (await sendShopify(oracle, order)).status === 200);
        } finally {
            await sql.end();
        }
    }, 60_000);

    test("a database that refuses connections (55000) answers 503 on every route, then recovers", async () => {
        const sql = admin();
        const name = databaseName();
        try {
            await sql.unsafe(`alter database "${name}" allow_connections false`);
            await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`;
            const health = await server.request("/health");
            expect(health.status).toBe(503);
            const webhook = await sendShopify(oracle, shopifyOrder(7102, "paid"));
            expect(webhook.status).toBe(503);
            expect(webhook.headers.get("retry-after")).toBe("5");
            expect(await readJson(webhook)).toMatchObject({ error: "service_unavailable" });
            const status = await server.request(
                `/business/product/${oracle.productId}/oracleWebhook/status`,
                { headers: { "x-business-auth": oracle.ownerToken } },
            );
            expect(status.status).toBe(503);
            expect(status.headers.get("retry-after")).toBe("5");
            // The pairing socket says "try again later" (1013), not "internal error" (1011).
            expect(await pairingCloseCode()).toBe(1013);
        } finally {
            await sql.unsafe(`alter database "${name}" allow_connections true`);
            await sql.end();
        }
        await eventually(async () => (await server.request("/health")).status === 200);
        expect((await sendShopify(oracle, shopifyOrder(7102, "paid"))).status).toBe(200);
    }, 60_000);
});
