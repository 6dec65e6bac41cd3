import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { encodeFunctionData, getAddress, type Hex, pad, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    interactionsPendingTable,
    interactionsPurchaseTrackerTable,
    interactionsWebhookTable,
} from "../../src/domain/interactions/db/schema";
import {
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
} from "../../src/infrastructure/blockchain";
import { hmacBase64 } from "../oracle/helpers";
import { jsonHeaders, readJson, startTestApp, type TestApp } from "../support/test-app";
import {
    attachReferralCampaign,
    mintTestProduct,
    sdkHeaders,
    send,
    type TestProduct,
} from "./helpers";

let t: TestApp;
let legacy: TestApp;
let product: TestProduct;
const wallet = privateKeyToAccount(generatePrivateKey()).address;
const KEY = "merchant-hook-secret";

const pendingCount = async () =>
    (await t.infra.database.db.select().from(interactionsPendingTable)).length;

beforeAll(async () => {
    t = await startTestApp();
    legacy = await startTestApp({ env: { LEGACY_RAW_ADDRESS_AUTH: "true" } });
    product = await mintTestProduct(t.infra.chain, [t.infra.chain.deployment.tokens.usde]);
}, 90_000);
afterAll(async () => {
    await legacy?.stop();
    await t?.stop();
});

const businessHeaders = async (address: Hex) => ({
    ...jsonHeaders,
    "x-business-auth": (await t.infra.tokens.signBusiness(address as never)).token,
});

describe("POST /wallet/interactions/push", () => {
    const body = (w: string) =>
        JSON.stringify({
            interactions: [
                {
                    wallet: w,
                    productId: product.productIdHex,
                    interaction: { handlerTypeDenominator: "0x1e", interactionData: "0xb2c0f17c" },
                    signature: null,
                },
            ],
        });
    test("401 without or with a bad SDK JWT", async () => {
        for (const headers of [jsonHeaders, sdkHeaders("nope")]) {
            const response = await t.request("/wallet/interactions/push", {
                method: "POST",
                headers,
                body: body(wallet),
            });
            expect(response.status).toBe(401);
        }
    });
    test("403 for another wallet, 422 without interactions, [] for an empty list", async () => {
        const { token } = await t.infra.tokens.signSdk(wallet);
        const other = privateKeyToAccount(generatePrivateKey()).address;
        const forbidden = await t.request("/wallet/interactions/push", {
            method: "POST",
            headers: sdkHeaders(token),
            body: body(other),
        });
        expect(forbidden.status).toBe(403);
        expect(await readJson(forbidden)).toEqual({
            error: "invalid_wallet",
            message: "Invalid wallet address",
        });
        const invalid = await t.request("/wallet/interactions/push", {
            method: "POST",
            headers: sdkHeaders(token),
            body: "{}",
        });
        expect(invalid.status).toBe(422);
        const empty = await t.request("/wallet/interactions/push", {
            method: "POST",
            headers: sdkHeaders(token),
            body: JSON.stringify({ interactions: [] }),
        });
        expect(await readJson(empty)).toEqual([]);
        expect(await pendingCount()).toBe(0);
    });
});

describe("interactionsWebhook setup / status / delete", () => {
    const path = (p: string) =>
        `/business/product/${product.productIdHex}/interactionsWebhook/${p}`;
    test("401 without a session or without the role; 422 for missing fields", async () => {
        const setupBody = JSON.stringify({ hookSignatureKey: KEY, source: "custom" });
        expect(
            (
                await t.request(path("setup"), {
                    method: "POST",
                    headers: jsonHeaders,
                    body: setupBody,
                })
            ).status,
        ).toBe(401);
        const stranger = await businessHeaders(privateKeyToAccount(generatePrivateKey()).address);
        expect(
            (await t.request(path("setup"), { method: "POST", headers: stranger, body: setupBody }))
                .status,
        ).toBe(401);
        expect(
            (await t.request(path("delete"), { method: "POST", headers: stranger })).status,
        ).toBe(401);
        const owner = await businessHeaders(product.owner.address);
        expect(
            (await t.request(path("setup"), { method: "POST", headers: owner, body: "{}" })).status,
        ).toBe(422);
        expect((await t.request("/business/product/xyz/interactionsWebhook/status")).status).toBe(
            422,
        );
    });
    test("the owner and an interactionManager manage it; the key is shown only to them", async () => {
        const owner = await businessHeaders(product.owner.address);
        expect(await readJson(await t.request(path("status")))).toEqual({ setup: false });
        const noTracker = await t.request(path("delete"), { method: "POST", headers: owner });
        expect(noTracker.status).toBe(404);
        expect((await readJson(noTracker)).message).toBe(
            `Product ${product.productIdHex} have no current tracker setup`,
        );

        const manager = privateKeyToAccount(generatePrivateKey());
        await send(
            t.infra.chain,
            product.owner,
            t.infra.chain.deployment.productAdministratorRegistry,
            encodeFunctionData({
                abi: productAdministratorRegistryAbi,
                functionName: "grantRoles",
                args: [product.productId, manager.address, PRODUCT_ROLES.interactionManager],
            }),
        );
        const managerHeaders = await businessHeaders(manager.address);
        const setup = await t.request(path("setup"), {
            method: "POST",
            headers: managerHeaders,
            body: JSON.stringify({ hookSignatureKey: KEY, source: "custom" }),
        });
        expect(setup.status).toBe(200);
        expect(await readJson(await t.request(path("status")))).toEqual({
            setup: true,
            source: "custom",
        });
        expect(await readJson(await t.request(path("status"), { headers: owner }))).toEqual({
            setup: true,
            source: "custom",
            webhookSigninKey: KEY,
        });
    });
});

describe("POST /ext/products/:id/webhook/interactions/push|pushRaw", () => {
    const url = (kind: string, productId: string = product.productIdHex) =>
        `/ext/products/${productId}/webhook/interactions/${kind}`;
    const pushBody = JSON.stringify({
        wallet,
        interaction: { handlerTypeDenominator: "0x1e", interactionData: "0xb2c0f17c" },
    });
    const signed = (body: string, key = KEY) => ({
        "content-type": "text/plain",
        "x-hmac-sha256": hmacBase64(key, body),
    });

    test("400 Missing hmac, 404 without tracker, 422 non-hex product", async () => {
        const missing = await t.request(url("push"), { method: "POST", body: pushBody });
        expect(missing.status).toBe(400);
        expect((await readJson(missing)).message).toBe("Missing hmac");
        const unknown = await t.request(url("push", "0xdead"), {
            method: "POST",
            headers: signed(pushBody),
            body: pushBody,
        });
        expect(unknown.status).toBe(404);
        expect((await readJson(unknown)).message).toBe("Product backend tracker not found");
        expect(
            (
                await t.request(url("push", "nothex"), {
                    method: "POST",
                    headers: signed(pushBody),
                    body: pushBody,
                })
            ).status,
        ).toBe(422);
    });
    test("401 for a wrong HMAC and nothing written", async () => {
        const before = await pendingCount();
        const bad = await t.request(url("push"), {
            method: "POST",
            headers: signed(pushBody, "wrong"),
            body: pushBody,
        });
        expect(bad.status).toBe(401);
        const tampered = await t.request(url("push"), {
            method: "POST",
            headers: signed(pushBody),
            body: `${pushBody} `,
        });
        expect(tampered.status).toBe(401);
        expect(await pendingCount()).toBe(before);
    });
    test("400 for invalid JSON, invalid body, invalid raw interaction", async () => {
        for (const [kind, body, message] of [
            ["push", "{not json", "The request body is not valid JSON"],
            ["push", JSON.stringify({ wallet: "0x1234" }), "Invalid body"],
            ["pushRaw", JSON.stringify({ wallet, key: "0x74489004" }), "Invalid body"],
            [
                "pushRaw",
                JSON.stringify({ wallet, key: "0x12345678", data: ["x"] }),
                "Invalid raw interaction",
            ],
            [
                "pushRaw",
                JSON.stringify({ wallet, key: "0x74489004", data: ["a", "b"] }),
                "Invalid raw interaction",
            ],
        ] as const) {
            const response = await t.request(url(kind), {
                method: "POST",
                headers: signed(body),
                body,
            });
            expect(response.status).toBe(400);
            expect((await readJson(response)).message).toBe(message);
        }
    });
    test("signed push and pushRaw are queued", async () => {
        const before = await pendingCount();
        expect(
            (
                await t.request(url("push"), {
                    method: "POST",
                    headers: signed(pushBody),
                    body: pushBody,
                })
            ).status,
        ).toBe(200);
        const raw = JSON.stringify({ wallet, key: "0x4d5b14e0", data: ["order-42"] });
        expect(
            (await t.request(url("pushRaw"), { method: "POST", headers: signed(raw), body: raw }))
                .status,
        ).toBe(200);
        expect(await pendingCount()).toBe(before + 2);
        await t.infra.database.db.delete(interactionsPendingTable);
    });
    test("400 when the product has no interaction contract", async () => {
        const orphan = pad("0xabcdef", { size: 32 });
        await t.infra.database.db
            .insert(interactionsWebhookTable)
            .values({ productId: orphan, hookSignatureKey: KEY, source: "custom" });
        const response = await t.request(url("push", orphan), {
            method: "POST",
            headers: signed(pushBody),
            body: pushBody,
        });
        expect(response.status).toBe(400);
        expect((await readJson(response)).message).toBe("No diamond found for the product");
    });
});

describe("POST /wallet/interactions/listenForPurchase", () => {
    const order = JSON.stringify({ customerId: 12, orderId: "A-1", token: "tok" });
    test("401 Missing / Invalid wallet SDK JWT; raw address refused unless the legacy mode is on", async () => {
        const missing = await t.request("/wallet/interactions/listenForPurchase", {
            method: "POST",
            headers: jsonHeaders,
            body: order,
        });
        expect(missing.status).toBe(401);
        expect((await readJson(missing)).message).toBe("Missing wallet SDK JWT");
        const raw = await t.request("/wallet/interactions/listenForPurchase", {
            method: "POST",
            headers: sdkHeaders(wallet),
            body: order,
        });
        expect(raw.status).toBe(401);
        expect((await readJson(raw)).message).toBe("Invalid wallet SDK JWT");
        const legacyOk = await legacy.request("/wallet/interactions/listenForPurchase", {
            method: "POST",
            headers: sdkHeaders(wallet),
            body: order,
        });
        expect(legacyOk.status).toBe(200);
    });
    test("422 for each missing field; string and number ids; duplicates are fine", async () => {
        const { token } = await t.infra.tokens.signSdk(wallet);
        for (const field of ["customerId", "orderId", "token"]) {
            const body = { customerId: 12, orderId: "A-1", token: "tok" } as Record<
                string,
                unknown
            >;
            delete body[field];
            const response = await t.request("/wallet/interactions/listenForPurchase", {
                method: "POST",
                headers: sdkHeaders(token),
                body: JSON.stringify(body),
            });
            expect(response.status).toBe(422);
        }
        // Ids and tokens are bounded (an order id past ~2.7 KB overflowed the unique index: 500).
        for (const field of ["customerId", "orderId", "token"]) {
            const body = {
                customerId: 12,
                orderId: "A-1",
                token: "tok",
                [field]: "x".repeat(5_000),
            };
            const response = await t.request("/wallet/interactions/listenForPurchase", {
                method: "POST",
                headers: sdkHeaders(token),
                body: JSON.stringify(body),
            });
            expect(response.status).toBe(422);
            expect((await readJson(response)).property).toBe(`/${field}`);
        }
        for (let i = 0; i < 2; i++) {
            const response = await t.request("/wallet/interactions/listenForPurchase", {
                method: "POST",
                headers: { "x-wallet-sdk-auth": token, "content-type": "text/plain" },
                body: order,
            });
            expect(response.status).toBe(200);
        }
        const rows = await t.infra.database.db.select().from(interactionsPurchaseTrackerTable);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
            externalCustomerId: "12",
            externalPurchaseId: "A-1",
            pushed: false,
        });
    });
});

describe("GET /wallet/interactions/estimate", () => {
    test("422 without or with a bad productId; empty body without campaigns", async () => {
        expect((await t.request("/wallet/interactions/estimate")).status).toBe(422);
        expect((await t.request("/wallet/interactions/estimate?productId=xyz")).status).toBe(422);
        const none = await t.request(
            `/wallet/interactions/estimate?productId=${product.productIdHex}`,
        );
        expect(none.status).toBe(200);
        expect(await none.text()).toBe("");
    });
    test("rewards from the campaign contract's triggers, priced at the fixed rates", async () => {
        const { campaign } = await attachReferralCampaign(
            t.infra.chain,
            product,
            t.infra.chain.deployment.tokens.usde,
            {
                referrer: parseEther("10"),
                referee: parseEther("5"),
                funding: parseEther("100"),
            },
        );
        const response = await t.request(
            `/wallet/interactions/estimate?productId=${product.productIdHex}`,
        );
        const body = await readJson(response);
        expect(body.maxReferrer).toEqual({
            amount: 10,
            eurAmount: 8.5,
            usdAmount: 10,
            gbpAmount: 7.5,
        });
        expect(body.maxReferee).toEqual({
            amount: 5,
            eurAmount: 4.25,
            usdAmount: 5,
            gbpAmount: 3.75,
        });
        expect(body.activeRewards).toHaveLength(1);
        expect(body.activeRewards[0]).toMatchObject({
            campaign: getAddress(campaign),
            interactionTypeKey: "purchase.completed",
            triggerData: { baseReward: 15 },
        });
        expect(body.totalReferrerEur).toBe(8.5);
        const filtered = await t.request(
            `/wallet/interactions/estimate?productId=${product.productIdHex}&interactionKey=referral.referred`,
        );
        expect(await filtered.text()).toBe("");
    });
});
