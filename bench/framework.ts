import { Elysia, t } from "elysia";
import { startTestApp } from "../test/support/test-app";
import type { BenchRow } from "./bench-row";
import { formatRate, type LoadResult, loadTest, ratio } from "./load";

const orderBody = JSON.stringify({ name: "shoes", quantity: 2 });

/**
 * The framework floor: our full app (logger, CORS, error handler, ...) against a bare Bun.serve
 * handler doing the same work, for a trivial route and a TypeBox-validated POST.
 */
export async function runFrameworkBench(): Promise<BenchRow[]> {
    const app = await startTestApp({
        placeholderRoutes: () =>
            new Elysia().post("/bench/orders", ({ body }) => ({ accepted: body.quantity }), {
                body: t.Object({
                    name: t.String({ minLength: 1 }),
                    quantity: t.Integer({ minimum: 1 }),
                }),
            }),
    });
    const bare = Bun.serve({
        port: 0,
        hostname: "127.0.0.1",
        async fetch(request) {
            const { pathname } = new URL(request.url);
            if (pathname === "/health/live") return Response.json({ status: "ok" });
            if (pathname === "/bench/orders" && request.method === "POST") {
                const body = (await request.json()) as { name?: unknown; quantity?: unknown };
                const { name, quantity } = body;
                const valid =
                    typeof name === "string" &&
                    name.length > 0 &&
                    Number.isInteger(quantity) &&
                    (quantity as number) >= 1;
                if (!valid) {
                    return Response.json({ error: "validation" }, { status: 422 });
                }
                return Response.json({ accepted: body.quantity });
            }
            return new Response("Not found", { status: 404 });
        },
    });
    const bareUrl = `http://127.0.0.1:${bare.port}`;
    const post = {
        method: "POST",
        body: orderBody,
        headers: { "content-type": "application/json" },
    };
    try {
        const rows: BenchRow[] = [];
        const compare = (metric: string, ours: LoadResult, peer: LoadResult) => {
            rows.push({
                area: "framework floor",
                metric: `${metric} req/s (p99)`,
                value: `${formatRate(ours.requestsPerSecond)} (${ours.p99Ms} ms)`,
                peer: `bare Bun.serve ${formatRate(peer.requestsPerSecond)} (${peer.p99Ms} ms)`,
                ratio: ratio(ours.requestsPerSecond, peer.requestsPerSecond),
                target: ">= 0.7",
            });
        };
        const oursTrivial = await loadTest(`${app.url}/health/live`);
        const bareTrivial = await loadTest(`${bareUrl}/health/live`);
        compare("GET /health/live", oursTrivial, bareTrivial);
        const oursPost = await loadTest(`${app.url}/bench/orders`, post);
        const barePost = await loadTest(`${bareUrl}/bench/orders`, post);
        compare("validated POST", oursPost, barePost);
        return rows;
    } finally {
        bare.stop(true);
        await app.stop();
    }
}

if (import.meta.main) console.table(await runFrameworkBench());
