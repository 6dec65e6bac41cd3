import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import webpush from "web-push";
import { pushTokensTable } from "../../src/domain/notifications/db/schema";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { startTestPushService, type TestPushService } from "./push-service";
import { randomWallet, subscribe, walletToken } from "./support";

let server: TestApp;
let push: TestPushService;

beforeAll(async () => {
    const vapid = webpush.generateVAPIDKeys();
    server = await startTestApp({
        env: {
            VAPID_PUBLIC_KEY: vapid.publicKey,
            VAPID_PRIVATE_KEY: vapid.privateKey,
            // The local push service listens on loopback: exempt it from the public-address rule.
            PUSH_ENDPOINT_ALLOWLIST: "127.0.0.1",
        },
    });
    push = startTestPushService({ vapidPublicKey: vapid.publicKey });
});
afterAll(async () => {
    push?.stop();
    await server?.stop();
});

const hasAny = async (token: string) => {
    const response = await server.request("/wallet/notifications/tokens/hasAny", {
        headers: { "x-wallet-auth": token },
    });
    expect(response.status).toBe(200);
    return response.text();
};

const rowsOf = (wallet: string) =>
    server.infra.database.db
        .select()
        .from(pushTokensTable)
        .where(eq(pushTokensTable.wallet, wallet.toLowerCase() as `0x${string}`));

describe("PUT /wallet/notifications/tokens", () => {
    test("registers a subscription, with or without an expiration; a duplicate is fine", async () => {
        const wallet = randomWallet();
        const token = await walletToken(server, wallet);
        expect(await hasAny(token)).toBe("false");

        const first = push.subscriber();
        const response = await subscribe(server, token, first);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("");
        expect((await subscribe(server, token, first)).status).toBe(200);
        const withExpiry = { ...push.subscriber(), expirationTime: Date.now() + 3_600_000 };
        expect((await subscribe(server, token, withExpiry)).status).toBe(200);

        expect(await hasAny(token)).toBe("true");
        const rows = await rowsOf(wallet);
        expect(rows).toHaveLength(2);
        expect(rows.find((row) => row.endpoint === withExpiry.endpoint)?.expireAt?.getTime()).toBe(
            withExpiry.expirationTime,
        );
    });

    test("an expired subscription does not count and is cleaned up", async () => {
        const wallet = randomWallet();
        const token = await walletToken(server, wallet);
        const expired = { ...push.subscriber(), expirationTime: Date.now() - 1_000 };
        expect((await subscribe(server, token, expired)).status).toBe(200);
        expect(await hasAny(token)).toBe("false");
        await server.domains.notifications.jobs.cleanupExpiredPushTokens.runNow();
        expect(await rowsOf(wallet)).toHaveLength(0);
    });

    test("401 without a wallet session or with another kind of token", async () => {
        const subscription = push.subscriber();
        const anonymous = await server.request("/wallet/notifications/tokens", {
            method: "PUT",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ subscription }),
        });
        expect(anonymous.status).toBe(401);
        expect(await readJson(anonymous)).toEqual({
            error: "unauthorized",
            message: "Unauthorized",
        });

        const business = await server.infra.tokens.signBusiness(randomWallet());
        expect((await subscribe(server, business.token, subscription)).status).toBe(401);
    });

    test("422 naming the missing or invalid field", async () => {
        const token = await walletToken(server, randomWallet());
        const valid = push.subscriber();
        const cases: Array<[unknown, string]> = [
            [{}, "/subscription"],
            [{ subscription: { keys: valid.keys } }, "/subscription/endpoint"],
            [
                { subscription: { ...valid, keys: { auth: valid.keys.auth } } },
                "/subscription/keys/p256dh",
            ],
            [
                { subscription: { ...valid, keys: { p256dh: valid.keys.p256dh } } },
                "/subscription/keys/auth",
            ],
            [{ subscription: { ...valid, endpoint: "not a url" } }, "/subscription/endpoint"],
            [
                { subscription: { ...valid, expirationTime: "tomorrow" } },
                "/subscription/expirationTime",
            ],
        ];
        for (const [body, property] of cases) {
            const response = await server.request("/wallet/notifications/tokens", {
                method: "PUT",
                headers: { "content-type": "application/json", "x-wallet-auth": token },
                body: JSON.stringify(body),
            });
            expect(response.status).toBe(422);
            const json = await readJson(response);
            expect(json.on).toBe("body");
            expect(json.property).toBe(property);
        }
    });

    test("400 for a body that is not JSON", async () => {
        const token = await walletToken(server, randomWallet());
        const response = await server.request("/wallet/notifications/tokens", {
            method: "PUT",
            headers: { "content-type": "application/json", "x-wallet-auth": token },
            body: "{not json",
        });
        expect(response.status).toBe(400);
    });
});

describe("DELETE /wallet/notifications/tokens", () => {
    test("removes every subscription of the caller only", async () => {
        const wallet = randomWallet();
        const other = randomWallet();
        const token = await walletToken(server, wallet);
        const otherToken = await walletToken(server, other);
        await subscribe(server, token, push.subscriber());
        await subscribe(server, token, push.subscriber());
        await subscribe(server, otherToken, push.subscriber());

        const response = await server.request("/wallet/notifications/tokens", {
            method: "DELETE",
            headers: { "x-wallet-auth": token },
        });
        expect(response.status).toBe(200);
        expect(await hasAny(token)).toBe("false");
        expect(await hasAny(otherToken)).toBe("true");
    });

    test("401 without a wallet session", async () => {
        const response = await server.request("/wallet/notifications/tokens", { method: "DELETE" });
        expect(response.status).toBe(401);
    });
});

describe("GET /wallet/notifications/tokens/hasAny", () => {
    test("401 without a wallet session, or with a revoked one", async () => {
        expect((await server.request("/wallet/notifications/tokens/hasAny")).status).toBe(401);
        const token = await walletToken(server, randomWallet());
        await server.infra.tokens.revokeWallet(token);
        const revoked = await server.request("/wallet/notifications/tokens/hasAny", {
            headers: { "x-wallet-auth": token },
        });
        expect(revoked.status).toBe(401);
    });
});
