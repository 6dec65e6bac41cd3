import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;
beforeAll(async () => {
    server = await startTestApp({
        env: { RATE_LIMIT_CHALLENGE: "3/60", RATE_LIMIT_NONCE: "2/60", TRUSTED_PROXY_HOPS: "1" },
    });
});
afterAll(() => server.stop());

const challenge = (forwardedFor: string) =>
    server.request("/wallet/auth/challenge", {
        method: "POST",
        headers: { "x-forwarded-for": forwardedFor },
    });

describe("rate limits", () => {
    test("past the limit a client gets 429 with Retry-After, other clients are unaffected", async () => {
        for (let i = 0; i < 3; i++) expect((await challenge("203.0.113.7")).status).not.toBe(429);
        const limited = await challenge("203.0.113.7");
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await readJson(limited)).toMatchObject({ error: "rate_limited" });
        expect((await challenge("203.0.113.8")).status).not.toBe(429);
    });

    test("the client IP is right-anchored: a spoofed left-most X-Forwarded-For does not help", async () => {
        for (let i = 0; i < 3; i++) await challenge(`10.0.0.${i}, 198.51.100.9`);
        // Same last hop (the one our trusted proxy saw), different spoofed prefixes: still limited.
        expect((await challenge("10.9.9.9, 198.51.100.9")).status).toBe(429);
    });

    test("buckets are separate: nonces have their own quota", async () => {
        const nonce = () =>
            server.request("/business/auth/nonce", {
                headers: { "x-forwarded-for": "192.0.2.44" },
            });
        expect((await nonce()).status).not.toBe(429);
        expect((await nonce()).status).not.toBe(429);
        expect((await nonce()).status).toBe(429);
    });

    test("inbound commerce webhooks are never rate limited", async () => {
        const productId = `0x${"12".repeat(32)}`;
        for (let i = 0; i < 10; i++) {
            const response = await server.request(
                `/ext/products/${productId}/webhook/oracle/custom`,
                { method: "POST", headers: { "x-forwarded-for": "203.0.113.7" }, body: "{}" },
            );
            expect(response.status).not.toBe(429);
        }
    });
});

describe("metrics", () => {
    test("/metrics exposes request counts per matched route in the Prometheus format", async () => {
        await server.request("/health/live");
        const response = await server.request("/metrics");
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toContain("text/plain");
        const text = await response.text();
        expect(text).toMatch(
            /http_requests_total\{method="GET",route="\/health\/live",status="200"\} \d+/,
        );
        expect(text).toContain("http_request_duration_seconds_bucket");
        expect(text).toContain("process_cpu_user_seconds_total");
        // Queue depths registered by the domains, read at scrape time from the database.
        expect(text).toMatch(/interactions_queue_depth \d+/);
        expect(text).toMatch(/oracle_unsynced_roots \d+/);
    });

    test("webhook outcomes are counted per source", async () => {
        const productId = `0x${"34".repeat(32)}`;
        await server.request(`/ext/products/${productId}/webhook/oracle/shopify`, {
            method: "POST",
            body: "{}",
        });
        const text = await (await server.request("/metrics")).text();
        expect(text).toMatch(
            /webhook_deliveries_total\{source="shopify",outcome="unknown_oracle"\} 1/,
        );
    });
});

describe("rate limits across instances", () => {
    test("with REDIS_URL two instances share one quota per client", async () => {
        const env = {
            REDIS_URL: "redis://127.0.0.1:6379",
            RATE_LIMIT_CHALLENGE: "3/60",
            TRUSTED_PROXY_HOPS: "1",
        };
        const first = await startTestApp({ env });
        const second = await startTestApp({ env });
        try {
            // A client address no other run uses, since the Redis counters outlive this test.
            const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
            const askAs = (app: TestApp) =>
                app.request("/wallet/auth/challenge", {
                    method: "POST",
                    headers: { "x-forwarded-for": ip },
                });
            expect((await askAs(first)).status).not.toBe(429);
            expect((await askAs(second)).status).not.toBe(429);
            expect((await askAs(first)).status).not.toBe(429);
            expect((await askAs(second)).status).toBe(429);
        } finally {
            await first.stop();
            await second.stop();
        }
    });
});
