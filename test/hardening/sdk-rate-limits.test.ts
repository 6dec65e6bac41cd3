/**
 * The SDK routes and lead capture are quota'd like the auth routes: `listenForPurchase` and SDK
 * interaction pushes per wallet and per client IP, `/common/airtable` per client IP. Past the
 * quota: 429 JSON `rate_limited` with Retry-After, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type Address, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { interactionsPurchaseTrackerTable } from "../../src/domain/interactions/db/schema";
import { sdkHeaders } from "../interactions/helpers";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;
beforeAll(async () => {
    server = await startTestApp({
        env: {
            TRUSTED_PROXY_HOPS: "1",
            RATE_LIMIT_PURCHASE_LISTEN: "3/60",
            RATE_LIMIT_PURCHASE_LISTEN_IP: "5/60",
            RATE_LIMIT_INTERACTIONS_PUSH: "2/60",
            RATE_LIMIT_AIRTABLE: "2/60",
        },
    });
}, 120_000);
afterAll(() => server?.stop());

const newWallet = () => privateKeyToAccount(generatePrivateKey()).address;
const sdkToken = async (wallet: Address) =>
    (await server.infra.tokens.signSdk(getAddress(wallet))).token;

async function listen(wallet: Address, orderId: string, ip: string) {
    return server.request("/wallet/interactions/listenForPurchase", {
        method: "POST",
        headers: { ...sdkHeaders(await sdkToken(wallet)), "x-forwarded-for": ip },
        body: JSON.stringify({ customerId: 1, orderId, token: `tok-${orderId}` }),
    });
}

async function expectLimited(response: Response) {
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await readJson(response)).toMatchObject({ error: "rate_limited" });
}

const trackerCount = async (orderId: string) =>
    (
        await server.infra.database.db
            .select()
            .from(interactionsPurchaseTrackerTable)
            .where(eq(interactionsPurchaseTrackerTable.externalPurchaseId, orderId))
    ).length;

describe("SDK and lead capture quotas", () => {
    test("listenForPurchase: one wallet past its quota gets 429 from any IP and writes nothing", async () => {
        const wallet = newWallet();
        for (let i = 0; i < 3; i++) {
            expect((await listen(wallet, `w-${i}`, `198.51.100.${i}`)).status).toBe(200);
        }
        await expectLimited(await listen(wallet, "w-over", "198.51.100.99"));
        expect(await trackerCount("w-over")).toBe(0);
        // Another wallet is not affected.
        expect((await listen(newWallet(), "w-other", "198.51.100.98")).status).toBe(200);
    });

    test("listenForPurchase: one IP cycling through fresh wallets is stopped by the IP quota", async () => {
        for (let i = 0; i < 5; i++) {
            expect((await listen(newWallet(), `ip-${i}`, "203.0.113.50")).status).toBe(200);
        }
        await expectLimited(await listen(newWallet(), "ip-over", "203.0.113.50"));
        expect(await trackerCount("ip-over")).toBe(0);
    });

    test("SDK interaction pushes are limited per wallet", async () => {
        const token = await sdkToken(newWallet());
        const push = () =>
            server.request("/wallet/interactions/push", {
                method: "POST",
                headers: { ...sdkHeaders(token), "x-forwarded-for": "192.0.2.10" },
                body: JSON.stringify({ interactions: [] }),
            });
        expect((await push()).status).toBe(200);
        expect((await push()).status).toBe(200);
        await expectLimited(await push());
    });

    test("/common/airtable is limited per client IP, before the body is even read", async () => {
        const submit = (ip: string) =>
            server.request("/common/airtable?table=demo_request", {
                method: "POST",
                headers: { "content-type": "application/json", "x-forwarded-for": ip },
                body: JSON.stringify({}),
            });
        expect((await submit("192.0.2.77")).status).not.toBe(429);
        expect((await submit("192.0.2.77")).status).not.toBe(429);
        await expectLimited(await submit("192.0.2.77"));
        expect((await submit("192.0.2.78")).status).not.toBe(429);
    });
});
