/**
 * Webhook ingest: signed Shopify order deliveries per second into the real PostgreSQL
 * (DATABASE_URL), each a new order (verify HMAC, inbox row + purchase + item in one
 * transaction), with p99, against `/health` on the same server. autocannon runs in a node
 * subprocess and signs each request itself; loopback only, 5 s per run.
 */
import { createRequire } from "node:module";
import { startOracleFixture } from "../test/oracle/helpers";
import type { BenchRow } from "./bench-row";
import { formatRate, type LoadResult, loadTest, ratio } from "./load";

const autocannon = createRequire(import.meta.url).resolve("autocannon");

/** autocannon with a per-request body: a fresh Shopify order id, signed with the shop secret. */
async function signedShopifyLoad(
    url: string,
    secret: string,
    seconds: number,
): Promise<LoadResult> {
    const script = `
const autocannon = require(${JSON.stringify(autocannon)});
const { createHmac } = require("node:crypto");
let next = Date.now() * 1000;
const instance = autocannon({
  url: ${JSON.stringify(url)}, connections: 50, duration: ${seconds},
  requests: [{ method: "POST", setupRequest(req) {
    const id = next++;
    const body = JSON.stringify({ id, financial_status: "paid", total_price: "19.90", currency: "EUR",
      test: false, customer: { id: 42 }, token: "t" + id, checkout_token: "c" + id,
      line_items: [{ id: 1, product_id: 7, quantity: 1, price: "19.90", name: "Tee", title: "Tee" }] });
    req.body = body;
    req.headers = { "content-type": "application/json", "x-shopify-topic": "orders/paid",
      "x-shopify-order-id": String(id),
      "x-shopify-hmac-sha256": createHmac("sha256", ${JSON.stringify(secret)}).update(body).digest("base64") };
    return req;
  } }],
}, (err, result) => {
  if (err) { console.error(err); process.exit(1); }
  console.log(JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx }));
});
`;
    const child = Bun.spawn(["node", "-e", script], { stdout: "pipe", stderr: "pipe" });
    const [output] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    const report = JSON.parse(output.trim().split("\n").at(-1) as string) as {
        rps: number;
        p50: number;
        p99: number;
        errors: number;
    };
    return {
        requestsPerSecond: report.rps,
        p50Ms: report.p50,
        p99Ms: report.p99,
        errors: report.errors,
    };
}

/** Deliveries at a fixed rate from another process (bench/support/open-loop-shopify.ts). */
async function openLoopShopify(
    url: string,
    secret: string,
    rate: number,
    seconds: number,
): Promise<LoadResult> {
    const script = new URL("./support/open-loop-shopify.ts", import.meta.url).pathname;
    const child = Bun.spawn(
        [process.execPath, script, url, secret, String(rate), String(seconds)],
        {
            stdout: "pipe",
            stderr: "inherit",
        },
    );
    const [output] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    const report = JSON.parse(output.trim().split("\n").at(-1) as string) as {
        rate: number;
        p50: number;
        p99: number;
        failures: number;
    };
    return {
        requestsPerSecond: report.rate,
        p50Ms: report.p50,
        p99Ms: report.p99,
        errors: report.failures,
    };
}

export async function runWebhookIngestBench(): Promise<BenchRow[]> {
    if (!process.env.DATABASE_URL) {
        return [
            {
                area: "webhook ingest",
                metric: "skipped",
                value: "needs DATABASE_URL (real PostgreSQL)",
            },
        ];
    }
    const f = await startOracleFixture({ platform: "shopify", secret: "bench-secret" });
    try {
        const url = `${f.app.url}/ext/products/${f.productId}/webhook/oracle/shopify`;
        await signedShopifyLoad(url, f.secret, 1); // warm-up
        const health = await loadTest(`${f.app.url}/health`, { connections: 50, seconds: 5 });
        const ingest = await signedShopifyLoad(url, f.secret, 5);
        const paced = await openLoopShopify(url, f.secret, 500, 10);
        return [
            {
                area: "webhook ingest",
                metric: "signed Shopify deliveries at 500 req/s, open loop, evenly spaced (PostgreSQL)",
                value: `${formatRate(paced.requestsPerSecond)}, p50 ${paced.p50Ms.toFixed(1)} ms, p99 ${paced.p99Ms.toFixed(1)} ms, non-2xx ${paced.errors}`,
                target: "p99 < 50 ms at 500 req/s",
            },
            {
                area: "webhook ingest",
                metric: "signed Shopify deliveries/s, saturated (PostgreSQL)",
                value: `${formatRate(ingest.requestsPerSecond)}, p50 ${ingest.p50Ms} ms, p99 ${ingest.p99Ms} ms, non-2xx ${ingest.errors}`,
                peer: `/health ${formatRate(health.requestsPerSecond)}, p99 ${health.p99Ms} ms`,
                ratio: ratio(ingest.requestsPerSecond, health.requestsPerSecond),
            },
        ];
    } finally {
        await f.app.stop();
    }
}

if (import.meta.main) {
    console.table(await runWebhookIngestBench());
    process.exit(0);
}
