/**
 * The SDK on a merchant's website, replayed as sdk/core `trackPurchaseStatus` calls: from the
 * shop's own page (Origin = the shop), `fetch(<backend>/interactions/listenForPurchase, { method:
 * "POST", headers: { Accept: "application/json", "Content-Type": "application/json",
 * "x-wallet-sdk-auth": <token from sessionStorage> }, body: JSON.stringify({ customerId,
 * orderId, token }) })`. Its custom header makes the browser send a CORS preflight first, so the
 * shop's origin must be allowed: it is when the shop's domain is a product minted here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type Address, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { interactionsPurchaseTrackerTable } from "../../src/domain/interactions/db/schema";
import {
    type BusinessFixture,
    expectedTxtRecord,
    type Merchant,
    mintRequest,
    newMerchant,
    startBusinessApp,
} from "../business/helpers";
import { startTestApp, type TestApp } from "../support/test-app";

const SHOP = "tracked-shop.example";
const SHOP_ORIGIN = `https://${SHOP}`;
const SDK_URL_PATH = "/interactions/listenForPurchase";

let fixture: BusinessFixture;
let merchant: Merchant;
let wallet: Address;
let sdkToken: string;

beforeAll(async () => {
    fixture = await startBusinessApp();
    merchant = await newMerchant(fixture.server);
    fixture.dns.records.set(SHOP, [expectedTxtRecord(SHOP, merchant.address)]);
    const minted = await fixture.server.request(
        "/business/product/mint",
        mintRequest(merchant, {
            name: "Tracked shop",
            domain: SHOP,
            currency: "usdc",
            productTypes: ["referral", "purchase"],
        }),
    );
    expect(minted.status).toBe(200);
    wallet = getAddress(privateKeyToAccount(generatePrivateKey()).address);
    sdkToken = (await fixture.server.infra.tokens.signSdk(wallet)).token;
}, 120_000);
afterAll(() => fixture.stop());

/** The browser's preflight before `trackPurchaseStatus`'s POST. */
const preflight = (app: TestApp, origin: string, path = SDK_URL_PATH) =>
    app.request(path, {
        method: "OPTIONS",
        headers: {
            origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type,x-wallet-sdk-auth",
        },
    });

/** `trackPurchaseStatus`'s request, exactly (the browser adds Origin). */
const trackPurchaseStatus = (origin: string, args: Record<string, unknown>) =>
    fetch(`${fixture.server.url}${SDK_URL_PATH}`, {
        method: "POST",
        headers: {
            Accept: "application/json",
            "Content-Type": "application/json",
            "x-wallet-sdk-auth": sdkToken,
            origin,
        },
        body: JSON.stringify(args),
    });

const trackers = (orderId: string) =>
    fixture.server.infra.database.db
        .select()
        .from(interactionsPurchaseTrackerTable)
        .where(eq(interactionsPurchaseTrackerTable.externalPurchaseId, orderId));

describe("trackPurchaseStatus from a minted product's website", () => {
    test("the preflight from the shop's origin (and its www.) is allowed, without credentials", async () => {
        for (const origin of [SHOP_ORIGIN, `https://www.${SHOP}`]) {
            const response = await preflight(fixture.server, origin);
            expect(response.status).toBe(204);
            expect(response.headers.get("access-control-allow-origin")).toBe(origin);
            expect(response.headers.get("access-control-allow-methods")).toContain("POST");
            const allowedHeaders = response.headers.get("access-control-allow-headers") ?? "";
            for (const header of ["content-type", "x-wallet-sdk-auth", "accept"]) {
                expect(allowedHeaders).toContain(header);
            }
            expect(response.headers.get("access-control-allow-credentials")).toBeNull();
            expect(response.headers.get("vary")).toContain("Origin");
        }
    });

    test("the POST itself is readable by the page and records the tracker", async () => {
        const response = await trackPurchaseStatus(SHOP_ORIGIN, {
            customerId: 4242,
            orderId: 1001,
            token: "checkout-token-1001",
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("access-control-allow-origin")).toBe(SHOP_ORIGIN);
        const rows = await trackers("1001");
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ externalCustomerId: "4242", token: "checkout-token-1001" });
    });

    test("the same on today's path", async () => {
        const response = await preflight(
            fixture.server,
            SHOP_ORIGIN,
            "/wallet/interactions/listenForPurchase",
        );
        expect(response.headers.get("access-control-allow-origin")).toBe(SHOP_ORIGIN);
    });

    test("another instance, started after the mint, allows the shop from the database", async () => {
        const other = await startTestApp({ sameDeploymentAs: fixture.server });
        try {
            const response = await preflight(other, SHOP_ORIGIN);
            expect(response.headers.get("access-control-allow-origin")).toBe(SHOP_ORIGIN);
        } finally {
            await other.stop();
        }
    });

    test("the shop's domain is a /common/social target", async () => {
        const response = await fixture.server.request(
            `/common/social?u=${encodeURIComponent(`https://www.${SHOP}/product/1`)}`,
            { redirect: "manual", headers: { "user-agent": "Safari" } },
        );
        expect(response.status).toBe(302);
        expect(response.headers.get("location")).toBe(`https://www.${SHOP}/product/1`);
    });
});

describe("what stays refused", () => {
    test("an unminted shop's origin gets no CORS grant (preflight nor POST)", async () => {
        const origin = "https://unminted-shop.example";
        const response = await preflight(fixture.server, origin);
        expect(response.status).toBe(204);
        expect(response.headers.get("access-control-allow-origin")).toBeNull();
        expect(response.headers.get("access-control-allow-methods")).toBeNull();
        const post = await trackPurchaseStatus(origin, {
            customerId: 1,
            orderId: 2002,
            token: "t",
        });
        expect(post.headers.get("access-control-allow-origin")).toBeNull();
    });

    test("look-alike origins of the minted shop are refused", async () => {
        for (const origin of [
            `http://${SHOP}`,
            `https://${SHOP}:8443`,
            `https://evil.${SHOP}`,
            `https://${SHOP}.evil.example`,
            `https://evil-${SHOP}`,
            "null",
        ]) {
            const response = await preflight(fixture.server, origin);
            expect(response.headers.get("access-control-allow-origin")).toBeNull();
        }
    });

    test("the minted shop gets no CORS on other routes (wallet, merchant, auth)", async () => {
        for (const path of [
            "/wallet/balance",
            "/business/product/mint",
            "/wallet/auth/logout",
            "/wallet/interactions/push",
        ]) {
            const response = await preflight(fixture.server, SHOP_ORIGIN, path);
            expect(response.headers.get("access-control-allow-origin")).toBeNull();
        }
    });
});
