import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import pino from "pino";
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { CoinGeckoPricing } from "../../src/domain/wallet/services/coingecko-pricing";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

const newToken = () => privateKeyToAccount(generatePrivateKey()).address;
const known = newToken();
const slowButFine = newToken();
const rateLimited = newToken();
const tooSlow = newToken();
const unlisted = newToken();
const flaky = newToken();

/** Requests per token (lower-case), and the API key header of the last request. */
const requests = new Map<string, number>();
let lastApiKey: string | null = null;
let flakyFailures = 1;

/** Behaves like CoinGecko's `GET /simple/token_price/{platform}` for our test tokens. */
const coingecko = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
        const url = new URL(request.url);
        if (url.pathname !== "/api/v3/simple/token_price/arbitrum-one") {
            return new Response("not found", { status: 404 });
        }
        lastApiKey = request.headers.get("x-cg-demo-api-key");
        const token = url.searchParams.get("contract_addresses") ?? "";
        if (url.searchParams.get("vs_currencies") !== "usd,eur,gbp") {
            return new Response("bad currencies", { status: 400 });
        }
        requests.set(token, (requests.get(token) ?? 0) + 1);
        const price = { usd: 2.5, eur: 2.3, gbp: 2 };
        switch (token) {
            case known.toLowerCase():
                await Bun.sleep(30);
                return Response.json({ [token]: price });
            case slowButFine.toLowerCase():
                await Bun.sleep(250);
                return Response.json({ [token]: { usd: 1, eur: 0.9, gbp: 0.8 } });
            case rateLimited.toLowerCase():
                return Response.json({ status: { error_code: 429 } }, { status: 429 });
            case tooSlow.toLowerCase():
                await Bun.sleep(2_000);
                return Response.json({ [token]: price });
            case flaky.toLowerCase():
                if (flakyFailures-- > 0) return new Response("busy", { status: 429 });
                return Response.json({ [token]: price });
            default:
                return Response.json({});
        }
    },
});
const apiUrl = `http://127.0.0.1:${coingecko.port}/api/v3`;

let app: TestApp;
const rate = (token: string) => app.request(`/common/rate?token=${token}`);

beforeAll(async () => {
    app = await startTestApp({
        env: {
            COINGECKO_API_URL: apiUrl,
            COINGECKO_API_KEY: "demo-key",
            COINGECKO_TIMEOUT_MS: "400",
        },
    });
});
afterAll(async () => {
    await app?.stop();
    coingecko.stop(true);
});

describe("GET /common/rate", () => {
    test("our stablecoins have the seed's fixed rates, without asking CoinGecko", async () => {
        const { usde, eure, gbpe, mUSD } = app.infra.chain.deployment.tokens;
        expect(await readJson(await rate(usde))).toEqual({ usd: 1, eur: 0.85, gbp: 0.75 });
        expect(await readJson(await rate(eure))).toEqual({ usd: 1.18, eur: 1, gbp: 0.88 });
        expect(await readJson(await rate(gbpe))).toEqual({ usd: 1.33, eur: 1.14, gbp: 1 });
        expect(await readJson(await rate(mUSD))).toEqual({ usd: 1, eur: 0.85, gbp: 0.75 });
        expect([...requests.keys()]).not.toContain(usde.toLowerCase());
    });

    test("a CoinGecko price, cached: one request for many calls, also concurrent ones", async () => {
        const answers = await Promise.all(Array.from({ length: 10 }, () => rate(known)));
        for (const answer of answers) {
            expect(answer.status).toBe(200);
            expect(await readJson(answer)).toEqual({ usd: 2.5, eur: 2.3, gbp: 2 });
        }
        expect(await readJson(await rate(known.toLowerCase()))).toEqual({
            usd: 2.5,
            eur: 2.3,
            gbp: 2,
        });
        expect(requests.get(known.toLowerCase())).toBe(1);
        expect(lastApiKey).toBe("demo-key");
    });

    test("one request in flight per token, not one for all tokens", async () => {
        const startedAt = performance.now();
        const slow = rate(slowButFine);
        await Bun.sleep(20);
        // Another token is answered while the slow one is still in flight.
        const other = await rate(unlisted);
        const otherDoneAt = performance.now() - startedAt;
        expect(other.status).toBe(400);
        expect(otherDoneAt).toBeLessThan(200);
        expect((await slow).status).toBe(200);
        expect(requests.get(slowButFine.toLowerCase())).toBe(1);
    });

    test("unknown token, 429 and timeout give 400 Invalid token, quickly", async () => {
        for (const token of [unlisted, rateLimited, tooSlow]) {
            const startedAt = performance.now();
            const response = await rate(token);
            expect(response.status).toBe(400);
            expect(await readJson(response)).toEqual({
                error: "invalid_token",
                message: "Invalid token",
            });
            expect(performance.now() - startedAt).toBeLessThan(1_000);
        }
        // Failures are kept briefly, so a struggling API is not asked again at once.
        await rate(rateLimited);
        expect(requests.get(rateLimited.toLowerCase())).toBe(1);
    });

    test("422 for a missing, malformed or badly checksummed address; mixed-case checksummed accepted", async () => {
        expect((await app.request("/common/rate")).status).toBe(422);
        expect((await rate("0x1234")).status).toBe(422);
        const { usde } = app.infra.chain.deployment.tokens;
        const letter = usde.slice(2).search(/[a-fA-F]/) + 2;
        const flipped =
            usde[letter] === usde[letter]?.toUpperCase() ? "toLowerCase" : "toUpperCase";
        const badChecksum = `${usde.slice(0, letter)}${usde[letter]?.[flipped]()}${usde.slice(letter + 1)}`;
        expect((await rate(badChecksum)).status).toBe(422);
        expect((await rate(usde.toLowerCase())).status).toBe(200);
        expect((await rate(usde)).status).toBe(200);
    });
});

describe("CoinGecko adapter", () => {
    test("a failure is not cached for long: the next call after the failure TTL asks again", async () => {
        const pricing = new CoinGeckoPricing(
            {
                apiUrl,
                apiKey: undefined,
                platform: "arbitrum-one",
                timeoutMs: 400,
                failureTtlMs: 50,
            },
            pino({ level: "silent" }),
        );
        expect(await pricing.priceOf(flaky as Address)).toBeUndefined();
        expect(await pricing.priceOf(flaky as Address)).toBeUndefined(); // within the failure TTL
        expect(requests.get(flaky.toLowerCase())).toBe(1);
        await Bun.sleep(60);
        expect(await pricing.priceOf(flaky as Address)).toEqual({ usd: 2.5, eur: 2.3, gbp: 2 });
        expect(requests.get(flaky.toLowerCase())).toBe(2);
        // Success is cached for the full TTL.
        await Bun.sleep(60);
        await pricing.priceOf(flaky as Address);
        expect(requests.get(flaky.toLowerCase())).toBe(2);
    });
});
