/**
 * The auth matrix, generated from the route table of our OpenAPI document: every route that takes
 * a session is called without a token, with a token of another kind, expired, revoked, and as
 * another wallet or merchant. Every such route must have an entry below: adding a protected route
 * without saying how it is protected fails this suite.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { requireCanonicalProductId } from "../../src/utils/product-id";
import { mintProduct } from "../support/mint-product";
import { type Operation, operationsOf } from "../support/openapi-operations";
import { jsonHeaders, readJson, startTestApp, type TestApp } from "../support/test-app";

type Kind = "walletAuth" | "walletSdkAuth" | "businessAuth";
const headerOf: Record<Kind, string> = {
    walletAuth: "x-wallet-auth",
    walletSdkAuth: "x-wallet-sdk-auth",
    businessAuth: "x-business-auth",
};

type Context = {
    productId: Hex;
    merchant: Address;
    otherMerchant: Address;
    wallet: Address;
    otherWallet: Address;
    /** Deleted by the rightful caller of the delete route. */
    pairingOfWallet: string;
    /** Another pairing of the wallet (kept) and its desktop's session. */
    desktopPairing: string;
    desktopToken: string;
};
type Call = { path: string; body?: unknown };
type Entry = {
    session: Kind;
    /** A request the rightful caller may make (valid input, so auth is what is tested). */
    call: (ctx: Context) => Call | Promise<Call>;
    /** What a caller without a valid session gets: 401, or a public answer (status + check). */
    anonymous: 401 | { status: number; check?: (body: unknown) => void };
    /** What an authentic but expired token gets, when it is not the anonymous answer. */
    expired?: { status: number; check: (body: unknown) => void };
    /** The same request as another wallet or merchant; or why there is no such case. */
    otherPrincipal: { status: number; check?: (body: unknown) => void } | { notApplicable: string };
    /**
     * Wallet routes: what the wallet's paired desktop (`distant-webauthn` session) gets: the
     * phone-only routes refuse it with 403, the others serve it.
     */
    desktop?: "served" | 403;
};

const bank = "0x000000000000000000000000000000000000dEaD";
const subscription = {
    subscription: {
        endpoint: "http://127.0.0.1:9/push/matrix",
        keys: {
            p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
            auth: "tBHItJI5svbpez7KI4CCXg",
        },
    },
};
const onlyOwnData =
    "acts on the caller's own wallet only: another wallet's data is not addressable";

const matrix: Record<string, Entry> = {
    "GET /business/product/mint/dnsTxt": {
        session: "businessAuth",
        call: () => ({ path: "/business/product/mint/dnsTxt?domain=shop.example" }),
        anonymous: { status: 200, check: (body) => expect(body).toBe("") },
        otherPrincipal: { notApplicable: "the record is derived from the caller's own wallet" },
    },
    "GET /business/product/mint/verify": {
        session: "businessAuth",
        call: () => ({ path: "/business/product/mint/verify?domain=shop.example" }),
        anonymous: {
            status: 200,
            check: (body) => expect(body).toEqual({ isDomainValid: false, isAlreadyMinted: false }),
        },
        otherPrincipal: { notApplicable: "the proof is checked for the caller's own wallet" },
    },
    "PUT /business/product/mint": {
        session: "businessAuth",
        call: () => ({
            path: "/business/product/mint",
            body: {
                name: "Matrix",
                domain: "matrix.example",
                currency: "eure",
                productTypes: ["webshop"],
            },
        }),
        anonymous: 401,
        otherPrincipal: {
            notApplicable: "mints to the caller's own wallet after its own DNS proof",
        },
    },
    "GET /business/roles": {
        session: "businessAuth",
        call: (ctx) => ({ path: `/business/roles?productId=${ctx.productId}` }),
        anonymous: 401,
        otherPrincipal: {
            status: 200,
            check: (body) => expect(body).toMatchObject({ isOwner: false, isAdministrator: false }),
        },
    },
    "POST /business/funding/getTestToken": {
        session: "businessAuth",
        call: () => ({ path: "/business/funding/getTestToken", body: { bank } }),
        anonymous: 401,
        otherPrincipal: { notApplicable: "test funds for any bank, outside production only" },
    },
    "POST /business/notifications/send": {
        session: "businessAuth",
        call: () => ({
            path: "/business/notifications/send",
            body: { targets: { wallets: [bank] }, payload: { title: "t", body: "b" } },
        }),
        anonymous: 401,
        otherPrincipal: {
            status: 200,
            // Another merchant cannot reach wallets outside its own audience.
            check: (body) => expect(body).toMatchObject({ queued: 0, skipped: 1 }),
        },
    },
    "GET /business/product/{productId}/oracleWebhook/status": {
        session: "businessAuth",
        call: (ctx) => ({ path: `/business/product/${ctx.productId}/oracleWebhook/status` }),
        anonymous: {
            status: 200,
            check: (body) => expect(JSON.stringify(body)).not.toContain("matrix-secret"),
        },
        otherPrincipal: {
            status: 200,
            check: (body) => expect(JSON.stringify(body)).not.toContain("matrix-secret"),
        },
    },
    "POST /business/product/{productId}/oracleWebhook/setup": {
        session: "businessAuth",
        call: (ctx) => ({
            path: `/business/product/${ctx.productId}/oracleWebhook/setup`,
            body: { hookSignatureKey: "matrix-secret", platform: "custom" },
        }),
        anonymous: 401,
        otherPrincipal: { status: 401 },
    },
    "POST /business/product/{productId}/oracleWebhook/delete": {
        session: "businessAuth",
        call: (ctx) => ({ path: `/business/product/${ctx.productId}/oracleWebhook/delete` }),
        anonymous: 401,
        otherPrincipal: { status: 401 },
    },
    "GET /business/product/{productId}/interactionsWebhook/status": {
        session: "businessAuth",
        call: (ctx) => ({ path: `/business/product/${ctx.productId}/interactionsWebhook/status` }),
        anonymous: {
            status: 200,
            check: (body) => expect(JSON.stringify(body)).not.toContain("matrix-secret"),
        },
        otherPrincipal: {
            status: 200,
            check: (body) => expect(JSON.stringify(body)).not.toContain("matrix-secret"),
        },
    },
    "POST /business/product/{productId}/interactionsWebhook/setup": {
        session: "businessAuth",
        call: (ctx) => ({
            path: `/business/product/${ctx.productId}/interactionsWebhook/setup`,
            body: { hookSignatureKey: "matrix-secret", source: "custom" },
        }),
        anonymous: 401,
        otherPrincipal: { status: 401 },
    },
    "POST /business/product/{productId}/interactionsWebhook/delete": {
        session: "businessAuth",
        call: (ctx) => ({ path: `/business/product/${ctx.productId}/interactionsWebhook/delete` }),
        anonymous: 401,
        otherPrincipal: { status: 401 },
    },
    "GET /wallet/auth/sdk/generate": {
        session: "walletAuth",
        call: () => ({ path: "/wallet/auth/sdk/generate" }),
        anonymous: 401,
        otherPrincipal: { notApplicable: onlyOwnData },
        // Served: the token names the desktop session as its parent and ends with the pairing.
        desktop: "served",
    },
    "GET /wallet/auth/sdk/isValid": {
        session: "walletSdkAuth",
        call: () => ({ path: "/wallet/auth/sdk/isValid" }),
        anonymous: 401,
        // The seed's wallet refreshes a lapsed token; a 401 here would log it out instead.
        expired: {
            status: 200,
            check: (body) => expect(body).toEqual({ isValid: false }),
        },
        otherPrincipal: { notApplicable: onlyOwnData },
    },
    "PUT /wallet/notifications/tokens": {
        session: "walletAuth",
        call: () => ({ path: "/wallet/notifications/tokens", body: subscription }),
        anonymous: 401,
        otherPrincipal: { notApplicable: onlyOwnData },
        desktop: 403,
    },
    "DELETE /wallet/notifications/tokens": {
        session: "walletAuth",
        call: () => ({ path: "/wallet/notifications/tokens" }),
        anonymous: 401,
        otherPrincipal: { notApplicable: onlyOwnData },
        desktop: 403,
    },
    "GET /wallet/notifications/tokens/hasAny": {
        session: "walletAuth",
        call: () => ({ path: "/wallet/notifications/tokens/hasAny" }),
        anonymous: 401,
        otherPrincipal: { notApplicable: onlyOwnData },
        desktop: "served",
    },
    "GET /wallet/pairings/find/{id}": {
        session: "walletAuth",
        call: (ctx) => ({ path: `/wallet/pairings/find/${ctx.desktopPairing}` }),
        anonymous: {
            status: 200,
            check: (body) => expect(body).not.toHaveProperty("pairingCode"),
        },
        otherPrincipal: {
            status: 200,
            check: (body) => expect(body).not.toHaveProperty("pairingCode"),
        },
        desktop: "served",
    },
    "GET /wallet/pairings/list": {
        session: "walletAuth",
        call: () => ({ path: "/wallet/pairings/list" }),
        anonymous: 401,
        otherPrincipal: { status: 200, check: (body) => expect(body).toEqual([]) },
        desktop: 403,
    },
    "POST /wallet/pairings/{id}/delete": {
        session: "walletAuth",
        call: (ctx) => ({ path: `/wallet/pairings/${ctx.pairingOfWallet}/delete` }),
        anonymous: 401,
        otherPrincipal: { status: 403 },
        desktop: 403,
    },
    "GET /wallet/balance": {
        session: "walletAuth",
        call: () => ({ path: "/wallet/balance" }),
        anonymous: 401,
        otherPrincipal: { notApplicable: onlyOwnData },
        desktop: "served",
    },
    "GET /wallet/balance/claimable": {
        session: "walletAuth",
        call: () => ({ path: "/wallet/balance/claimable" }),
        anonymous: 401,
        otherPrincipal: { notApplicable: onlyOwnData },
        desktop: "served",
    },
    "GET /wallet/balance/pending": {
        session: "walletAuth",
        call: () => ({ path: "/wallet/balance/pending" }),
        anonymous: 401,
        otherPrincipal: { notApplicable: onlyOwnData },
        desktop: "served",
    },
    "POST /wallet/interactions/push": {
        session: "walletSdkAuth",
        call: (ctx) => ({
            path: "/wallet/interactions/push",
            body: {
                interactions: [
                    {
                        wallet: ctx.wallet,
                        productId: ctx.productId,
                        interaction: {
                            handlerTypeDenominator: "0x1e",
                            interactionData: "0xb2c0f17c",
                        },
                    },
                ],
            },
        }),
        anonymous: 401,
        // Pushing for a wallet other than the session's is refused (seed: 403).
        otherPrincipal: { status: 403 },
    },
    "POST /wallet/interactions/listenForPurchase": {
        session: "walletSdkAuth",
        call: () => ({
            path: "/wallet/interactions/listenForPurchase",
            body: { customerId: 7123456, orderId: "matrix-order", token: "chk-matrix" },
        }),
        // A bare address instead of the JWT is accepted only in the opt-in legacy mode (off).
        anonymous: 401,
        otherPrincipal: { notApplicable: "links the order to the SDK session's own wallet" },
    },
};

let server: TestApp;
let ctx: Context;
let protectedOperations: Operation[] = [];
const tokens = {} as Record<
    "wallet" | "otherWallet" | "sdk" | "otherSdk" | "business" | "otherBusiness",
    string
>;

async function signExpired(secret: string, claims: Record<string, unknown>) {
    return new SignJWT({ ...claims, iss: "frak.id" })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(secret));
}

beforeAll(async () => {
    // The subscription below points at loopback: allowed for this suite.
    server = await startTestApp({ env: { PUSH_ENDPOINT_ALLOWLIST: "127.0.0.1" } });
    const document = await (await server.request("/openapi/json")).json();
    protectedOperations = operationsOf(document as Parameters<typeof operationsOf>[0]).filter(
        (operation) => operation.security.length > 0,
    );
    const merchant = privateKeyToAccount(generatePrivateKey()).address;
    const otherMerchant = privateKeyToAccount(generatePrivateKey()).address;
    const wallet = privateKeyToAccount(generatePrivateKey()).address;
    const otherWallet = privateKeyToAccount(generatePrivateKey()).address;
    const { chain } = server.infra;
    const minted = await mintProduct({
        clients: chain.clients,
        signers: chain.signers,
        deployment: chain.deployment,
        productTypes: (1n << 31n) | (1n << 30n),
        name: "Matrix shop",
        domain: `matrix-${crypto.randomUUID()}.example`,
        owner: merchant,
    });
    const productId = requireCanonicalProductId(minted.productId);
    const publicKey = { x: `0x${"01".repeat(32)}`, y: `0x${"02".repeat(32)}` } as const;
    const walletClaims = (address: Address) =>
        ({ type: "webauthn", address, authenticatorId: `cred-${address}`, publicKey }) as const;
    tokens.wallet = (await server.infra.tokens.signWallet(walletClaims(wallet))).token;
    tokens.otherWallet = (await server.infra.tokens.signWallet(walletClaims(otherWallet))).token;
    tokens.sdk = (await server.infra.tokens.signSdk(wallet)).token;
    tokens.otherSdk = (await server.infra.tokens.signSdk(otherWallet)).token;
    tokens.business = (await server.infra.tokens.signBusiness(merchant)).token;
    tokens.otherBusiness = (await server.infra.tokens.signBusiness(otherMerchant)).token;

    // The merchant's oracle and tracker exist, with secrets other callers must never see.
    for (const [route, body] of [
        ["oracleWebhook/setup", { hookSignatureKey: "matrix-secret", platform: "custom" }],
        ["interactionsWebhook/setup", { hookSignatureKey: "matrix-secret", source: "custom" }],
    ] as const) {
        const response = await server.request(`/business/product/${productId}/${route}`, {
            method: "POST",
            headers: { ...jsonHeaders, "x-business-auth": tokens.business },
            body: JSON.stringify(body),
        });
        if (response.status !== 200) throw new Error(`${route}: ${response.status}`);
    }
    ctx = {
        productId,
        merchant,
        otherMerchant,
        wallet,
        otherWallet,
        pairingOfWallet: (await pairingResolvedBy(tokens.wallet)).pairingId,
        ...(await pairingResolvedBy(tokens.wallet).then(({ pairingId, desktopToken }) => ({
            desktopPairing: pairingId,
            desktopToken,
        }))),
    };
});
afterAll(() => server.stop());

/** A pairing initiated by a desktop and joined by the phone of `walletToken`. */
async function pairingResolvedBy(
    walletToken: string,
): Promise<{ pairingId: string; desktopToken: string }> {
    const base = server.url.replace("http", "ws");
    const origin = new WebSocket(`${base}/wallet/pairings/ws?action=initiate`);
    const initiated = await new Promise<{ pairingId: string; pairingCode: string }>((resolve) => {
        origin.onmessage = (event) => resolve(JSON.parse(String(event.data)).payload);
    });
    const target = new WebSocket(
        `${base}/wallet/pairings/ws?action=join&id=${initiated.pairingId}&pairingCode=${initiated.pairingCode}&wallet=${walletToken}`,
    );
    const desktopToken = await new Promise<string>((resolve) => {
        origin.onmessage = (event) => {
            const message = JSON.parse(String(event.data));
            if (message.type === "authenticated") resolve(message.payload.token);
        };
    });
    origin.close();
    target.close();
    return { pairingId: initiated.pairingId, desktopToken };
}

function tokensFor(kind: Kind, principal: "self" | "other"): string {
    if (kind === "walletAuth") return principal === "self" ? tokens.wallet : tokens.otherWallet;
    if (kind === "walletSdkAuth") return principal === "self" ? tokens.sdk : tokens.otherSdk;
    return principal === "self" ? tokens.business : tokens.otherBusiness;
}

async function call(operation: Operation, entry: Entry, token?: string): Promise<Response> {
    const { path, body } = await entry.call(ctx);
    const headers: Record<string, string> = {};
    if (token) headers[headerOf[entry.session]] = token;
    if (body !== undefined) headers["content-type"] = "application/json";
    return server.request(path, {
        method: operation.method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
    });
}

async function expectUnauthorized(response: Response) {
    expect(response.status).toBe(401);
    expect(await readJson(response)).toMatchObject({ error: "unauthorized" });
}

async function expectAnonymousAnswer(entry: Entry, response: Response) {
    if (entry.anonymous === 401) {
        expect(response.status).toBe(401);
        expect(await readJson(response)).toMatchObject({ error: "unauthorized" });
        return;
    }
    expect(response.status).toBe(entry.anonymous.status);
    const text = await response.text();
    entry.anonymous.check?.(text === "" ? "" : JSON.parse(text));
}

describe("auth matrix", () => {
    test("every route that takes a session has an entry, and every entry a route", () => {
        const routes = protectedOperations.map(
            (operation) => `${operation.method} ${operation.path}`,
        );
        expect(routes.filter((route) => !(route in matrix))).toEqual([]);
        expect(Object.keys(matrix).filter((route) => !routes.includes(route))).toEqual([]);
        // Every wallet route says whether a paired desktop may call it.
        const undecided = Object.entries(matrix).filter(
            ([, entry]) => entry.session === "walletAuth" && entry.desktop === undefined,
        );
        expect(undecided.map(([route]) => route)).toEqual([]);
    });

    test("each route: no token, another kind, expired, revoked, the rightful caller, another principal", async () => {
        const { secrets } = server.infra;
        const secretOf: Record<Kind, string> = {
            walletAuth: secrets.jwtWallet,
            walletSdkAuth: secrets.jwtSdk,
            businessAuth: secrets.jwtBusiness,
        };
        const claimsOf: Record<Kind, Record<string, unknown>> = {
            walletAuth: {
                type: "webauthn",
                address: ctx.wallet,
                authenticatorId: "cred",
                publicKey: { x: `0x${"01".repeat(32)}`, y: `0x${"02".repeat(32)}` },
                jti: crypto.randomUUID(),
            },
            walletSdkAuth: { address: ctx.wallet, scopes: ["interaction"] },
            businessAuth: { wallet: ctx.merchant },
        };
        for (const operation of protectedOperations) {
            const route = `${operation.method} ${operation.path}`;
            const entry = matrix[route] as Entry;
            const step = async (label: string, run: () => Promise<void>) => {
                try {
                    await run();
                } catch (error) {
                    throw new Error(`${route} / ${label}: ${(error as Error).message}`);
                }
            };
            await step("no token", async () =>
                expectAnonymousAnswer(entry, await call(operation, entry)),
            );
            for (const other of Object.keys(headerOf) as Kind[]) {
                if (other === entry.session) continue;
                await step(`token of kind ${other}`, async () =>
                    expectAnonymousAnswer(
                        entry,
                        await call(operation, entry, tokensFor(other, "self")),
                    ),
                );
            }
            await step("expired", async () => {
                const expired = await signExpired(secretOf[entry.session], claimsOf[entry.session]);
                const response = await call(operation, entry, expired);
                if (!entry.expired) return expectAnonymousAnswer(entry, response);
                expect(response.status).toBe(entry.expired.status);
                entry.expired.check(await readJson(response));
            });
            if (entry.session === "walletAuth") {
                await step("revoked", async () => {
                    const { token } = await server.infra.tokens.signWallet({
                        type: "webauthn",
                        address: ctx.wallet,
                        authenticatorId: "revoked",
                        publicKey: { x: `0x${"01".repeat(32)}`, y: `0x${"02".repeat(32)}` },
                    });
                    await server.infra.tokens.revokeWallet(token);
                    // 401 everywhere, also where a session is optional.
                    await expectUnauthorized(await call(operation, entry, token));
                });
            }
            if (entry.session === "walletSdkAuth") {
                await step("its wallet session revoked", async () => {
                    const parent = await server.infra.tokens.signWallet({
                        type: "webauthn",
                        address: ctx.wallet,
                        authenticatorId: "revoked",
                        publicKey: { x: `0x${"01".repeat(32)}`, y: `0x${"02".repeat(32)}` },
                    });
                    const sdk = await server.infra.tokens.signSdk(ctx.wallet, { parent });
                    await server.infra.tokens.revokeWallet(parent.token);
                    await expectAnonymousAnswer(entry, await call(operation, entry, sdk.token));
                });
            }
            if (entry.session === "businessAuth") {
                await step("revoked", async () => {
                    const { token } = await server.infra.tokens.signBusiness(ctx.merchant);
                    await server.infra.tokens.revokeBusiness(token);
                    await expectUnauthorized(await call(operation, entry, token));
                });
            }
            if (entry.desktop !== undefined) {
                const expected = entry.desktop;
                await step("the paired desktop", async () => {
                    const response = await call(operation, entry, ctx.desktopToken);
                    if (expected === 403) {
                        expect(response.status).toBe(403);
                        expect(await readJson(response)).toMatchObject({
                            error: "paired_device_forbidden",
                        });
                    } else {
                        expect(response.status).not.toBe(401);
                        expect(response.status).not.toBe(403);
                        expect(response.status).toBeLessThan(500);
                    }
                });
            }
            if ("status" in entry.otherPrincipal) {
                const expected = entry.otherPrincipal;
                await step("another principal", async () => {
                    const response = await call(
                        operation,
                        entry,
                        tokensFor(entry.session, "other"),
                    );
                    expect(response.status).toBe(expected.status);
                    const text = await response.text();
                    expected.check?.(text === "" ? "" : JSON.parse(text));
                });
            }
            await step("the rightful caller", async () => {
                const response = await call(operation, entry, tokensFor(entry.session, "self"));
                expect(response.status).not.toBe(401);
                expect(response.status).toBeLessThan(500);
            });
        }
    }, 120_000);
});
