/**
 * Hostile input against a running server (the real app on Bun.serve, on loopback): deep, wide,
 * oversized, chunked and malformed bodies replayed in parallel, bounded in count and time. Every
 * one is refused with a 4xx JSON answer (never a 5xx), `/health/live` keeps answering while they
 * run (95% of probes within 100 ms of its idle worst, none beyond 250 ms), the
 * process's memory stays under a stated bound, and nothing is written to the database.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableParallelism, loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { type OracleFixture, startOracleFixture } from "../oracle/helpers";
import { jsonHeaders, readJson, type TestApp } from "../support/test-app";
import type { Outcome } from "./hostile-client";

/** The process may grow by at most this much while the attacks run (it grew by 840 MB before). */
const rssGrowthBoundBytes = 256 * 1024 * 1024;
/** Latency /health/live may gain while the attacks run, over its worst idle latency. */
const liveBoundMs = 100;

let oracle: OracleFixture;
let server: TestApp;
let tokens: { wallet: string; sdk: string; business: string };

beforeAll(async () => {
    oracle = await startOracleFixture();
    server = oracle.app;
    const wallet = "0x2222222222222222222222222222222222222222";
    tokens = {
        wallet: (
            await server.infra.tokens.signWallet({
                type: "webauthn",
                address: wallet,
                authenticatorId: "hostile-credential",
                publicKey: { x: `0x${"01".repeat(32)}`, y: `0x${"02".repeat(32)}` },
            })
        ).token,
        sdk: (await server.infra.tokens.signSdk(wallet)).token,
        business: (await server.infra.tokens.signBusiness(wallet)).token,
    };
}, 120_000);
afterAll(() => server.stop());

/** Rows of `db.execute` on PGlite (`{ rows }`) and on Bun's SQL client (an array). */
function rowsOf<Row>(result: unknown): Row[] {
    if (Array.isArray(result)) return result as Row[];
    return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

/** Row counts of every table of our schema: the proof that a refusal wrote nothing. */
async function rowCounts(): Promise<Record<string, number>> {
    const db = server.infra.database.db;
    const tables = await db.execute<{ name: string }>(sql`
        select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'`);
    const rows = rowsOf<{ name: string }>(tables);
    const counts: Record<string, number> = {};
    for (const { name } of rows) {
        const result = await db.execute<{ count: number }>(
            sql`select count(*)::int as count from ${sql.identifier(name)}`,
        );
        const [row] = rowsOf<{ count: number }>(result);
        counts[name] = Number(row?.count ?? 0);
    }
    return counts;
}

const asJson = { ...jsonHeaders, accept: "application/json" };
const post = (path: string, body: string) =>
    server.request(path, { method: "POST", headers: asJson, body });

describe("hostile input against a running server", () => {
    test("every attack gets a 4xx JSON answer while /health/live stays fast, memory bounded, nothing written", async () => {
        const before = await rowCounts();
        Bun.gc(true);
        const rssBefore = process.memoryUsage().rss;
        let rssPeak = rssBefore;

        // Liveness probe every 20 ms for as long as the attacks run, and for 2 s before them: the
        // machine's own noise (a loaded CI runner) is measured, the attacks may add 100 ms to it.
        let running = true;
        const liveLatencies: number[] = [];
        const idleLatencies: number[] = [];
        const idleUntil = performance.now() + 2_000;
        while (performance.now() < idleUntil) {
            const started = performance.now();
            await (await server.request("/health/live")).arrayBuffer();
            idleLatencies.push(performance.now() - started);
            await Bun.sleep(20);
        }
        const probe = (async () => {
            while (running) {
                const started = performance.now();
                const response = await server.request("/health/live");
                await response.arrayBuffer();
                liveLatencies.push(performance.now() - started);

                expect(response.status).toBe(200);
                rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
                await Bun.sleep(20);
            }
        })();
        // The attacks, four at a time (the "four in parallel stalled it for 28 s"), from
        // a client process of their own.
        const client = Bun.spawn(
            ["bun", new URL("./hostile-client.ts", import.meta.url).pathname],
            {
                env: {
                    ...process.env,
                    HOSTILE_TARGET: JSON.stringify({
                        url: server.url,
                        productId: oracle.productId,
                        tokens,
                    }),
                },
                stdout: "pipe",
                stderr: "inherit",
            },
        );
        const printed = await new Response(client.stdout).text();
        expect(await client.exited).toBe(0);
        const outcomes = JSON.parse(printed.trim().split("\n").at(-1) ?? "[]") as Outcome[];
        running = false;
        await probe;

        for (const outcome of outcomes) {
            expect({ name: outcome.name, status: outcome.status }).toEqual({
                name: outcome.name,
                status: outcome.expected,
            });
            expect({ name: outcome.name, json: typeof outcome.body }).toEqual({
                name: outcome.name,
                json: "object",
            });
            expect(outcome.body).toHaveProperty("error");
        }
        if (!process.env.HOSTILE_ONLY) expect(outcomes.length).toBeGreaterThan(30);
        expect(liveLatencies.length).toBeGreaterThan(3);
        const idleWorst = Math.max(...idleLatencies);
        const attackedWorst = Math.max(...liveLatencies);
        console.log(
            `/health/live under attack: worst ${attackedWorst.toFixed(1)} ms (idle worst ${idleWorst.toFixed(1)} ms, ${liveLatencies.length} probes); RSS +${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MiB`,
        );
        // A latency bound means nothing on a machine already running more work than it has
        // cores (shared development boxes): there it is reported, not asserted.
        const [load] = loadavg();
        if (load !== undefined && load > availableParallelism()) {
            console.log(`latency bound not asserted: load average ${load.toFixed(1)}`);
        } else {
            // The probe shares two cores with the attackers and the server: one scheduling hiccup
            // can pass 100 ms without anything being stalled. The freeze this guards against
            // lasted seconds, so: 95% of probes within the bound, and none beyond 2.5 times it.
            const sorted = [...liveLatencies].sort((a, b) => a - b);
            const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? attackedWorst;
            expect(p95).toBeLessThan(liveBoundMs + idleWorst);
            expect(attackedWorst).toBeLessThan(2.5 * liveBoundMs + idleWorst);
        }
        expect(rssPeak - rssBefore).toBeLessThan(rssGrowthBoundBytes);
        expect(await rowCounts()).toEqual(before);
    }, 120_000);

    test("a 422 names the field and never echoes the value", async () => {
        const response = await post(
            "/common/airtable",
            JSON.stringify({ type: "demo_request", data: { email: "a\u0000@b.c", name: "x" } }),
        );
        expect(response.status).toBe(422);
        const body = await readJson(response);
        expect(body).toMatchObject({ error: "validation", on: "body", property: "/data/email" });
        let numbers = `[${Array(90_000).fill(1).join(",")}]`;
        for (let level = 0; level < 30; level++) numbers = `[${numbers}]`;
        const wide = await post("/wallet/auth/register", `{"wallet":${numbers}}`);
        expect(wide.status).toBe(422);
        const text = await wide.text();
        expect(text.length).toBeLessThan(4_096);
        expect(text).not.toContain("1,1,1");
    });

    test("a 413 and a 431 are JSON naming the limit", async () => {
        const large = await post("/common/airtable", JSON.stringify({ p: "x".repeat(1_100_000) }));
        expect(large.status).toBe(413);
        expect(large.headers.get("content-type")).toContain("application/json");
        expect(await readJson(large)).toMatchObject({ error: "payload_too_large" });
        const headers = await server.request("/health/live", {
            headers: { accept: "application/json", "x-big": "a".repeat(9_000) },
        });
        expect(headers.status).toBe(431);
        expect(await readJson(headers)).toMatchObject({ error: "headers_too_large" });
    });

    test("a body just under the limit is still accepted as before", async () => {
        const response = await post(
            "/common/airtable",
            JSON.stringify({
                type: "demo_request",
                data: { name: "x", padding: "y".repeat(900_000) },
            }),
        );
        expect(response.status).toBeLessThan(500);
        expect(response.status).not.toBe(413);
    });
});
