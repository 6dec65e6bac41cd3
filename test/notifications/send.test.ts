import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Address } from "viem";
import webpush from "web-push";
import { SIGNATURE_REQUEST_NOTIFICATION } from "../../src/domain/notifications";
import { pushTokensTable } from "../../src/domain/notifications/db/schema";
import { requireCanonicalProductId } from "../../src/utils/product-id";
import { mintProduct } from "../support/mint-product";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { startTestPushService, type TestPushService } from "./push-service";
import { randomWallet, subscribe, walletToken } from "./support";

let server: TestApp;
let push: TestPushService;
let merchant: Address;
let merchantToken: string;
let productId: bigint;

const PUSH_TIMEOUT_MS = 1_000;

beforeAll(async () => {
    const vapid = webpush.generateVAPIDKeys();
    server = await startTestApp({
        env: {
            VAPID_PUBLIC_KEY: vapid.publicKey,
            // The local push service listens on loopback: exempt it from the public-address rule.
            PUSH_ENDPOINT_ALLOWLIST: "127.0.0.1",
            VAPID_PRIVATE_KEY: vapid.privateKey,
            PUSH_TIMEOUT_MS: String(PUSH_TIMEOUT_MS),
        },
    });
    push = startTestPushService({ vapidPublicKey: vapid.publicKey });
    merchant = randomWallet();
    merchantToken = (await server.infra.tokens.signBusiness(merchant)).token;
    const { chain } = server.infra;
    ({ productId } = await mintProduct({
        clients: chain.clients,
        signers: chain.signers,
        deployment: chain.deployment,
        productTypes: 1n << 3n,
        name: "Notified shop",
        domain: `shop-${merchant.slice(2, 10)}.example.com`,
        owner: merchant,
    }));
});
afterAll(async () => {
    push?.stop();
    await server?.stop();
});

const send = (body: unknown, token: string | null = merchantToken) =>
    server.request("/business/notifications/send", {
        method: "POST",
        headers: {
            "content-type": "application/json",
            ...(token ? { "x-business-auth": token } : {}),
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
    });

const payload = { title: "Spring sale", body: "20% off this week" };

const endpointsOf = async (wallet: Address) =>
    (
        await server.infra.database.db
            .select({ endpoint: pushTokensTable.endpoint })
            .from(pushTokensTable)
            .where(eq(pushTokensTable.wallet, wallet.toLowerCase() as `0x${string}`))
    ).map((row) => row.endpoint);

describe("delivery (pairing's signature request alert)", () => {
    test("encrypted for each subscription, signed with our VAPID key; dead ones removed; slow and failing ones isolated", async () => {
        const wallet = randomWallet();
        const token = await walletToken(server, wallet);
        const accepted = [push.subscriber(), push.subscriber()];
        const gone = push.subscriber("gone");
        const notFound = push.subscriber("not-found");
        const failing = push.subscriber("error");
        const slow = push.subscriber("slow");
        const expired = { ...push.subscriber(), expirationTime: Date.now() - 1_000 };
        for (const subscription of [...accepted, gone, notFound, failing, slow, expired]) {
            expect((await subscribe(server, token, subscription)).status).toBe(200);
        }
        // Someone else's subscription must not hear about it.
        const bystander = push.subscriber();
        await subscribe(server, await walletToken(server, randomWallet()), bystander);

        const startedAt = performance.now();
        await server.domains.notifications.signatureRequestNotifier.notifySignatureRequest(wallet);
        const elapsed = performance.now() - startedAt;

        // The slow endpoint cost its own timeout, not a stall of the others.
        expect(elapsed).toBeLessThan(PUSH_TIMEOUT_MS + 1_500);
        expect(push.rejections).toEqual([]);
        const delivered = push.deliveries.filter((d) =>
            accepted.some((s) => s.endpoint === d.endpoint),
        );
        expect(delivered.map((d) => d.endpoint).sort()).toEqual(
            accepted.map((s) => s.endpoint).sort(),
        );
        for (const delivery of delivered) {
            expect(delivery.payload).toEqual({
                title: "Signature request",
                body: "A biometric signature is requested from your desktop device",
            });
            expect(delivery.vapidSubject).toBe("mailto:hello@frak.id");
        }
        expect(SIGNATURE_REQUEST_NOTIFICATION.title).toBe("Signature request");
        expect(push.hits.get(bystander.endpoint)).toBeUndefined();
        expect(push.hits.get(expired.endpoint)).toBeUndefined();
        expect(push.hits.get(slow.endpoint)).toBe(1);

        // 404 and 410 mean the browser dropped the subscription: we forget it. Transient
        // failures (500, timeout) keep theirs for the next message.
        const remaining = await endpointsOf(wallet);
        expect(remaining).not.toContain(gone.endpoint);
        expect(remaining).not.toContain(notFound.endpoint);
        expect(remaining).toEqual(
            expect.arrayContaining([
                ...accepted.map((s) => s.endpoint),
                failing.endpoint,
                slow.endpoint,
            ]),
        );
    });

    test("a wallet without subscriptions sends nothing and removes nothing", async () => {
        const other = randomWallet();
        const subscription = push.subscriber();
        expect((await subscribe(server, await walletToken(server, other), subscription)).ok).toBe(
            true,
        );
        const requestsBefore = [...push.hits.values()].reduce((a, b) => a + b, 0);
        await server.domains.notifications.signatureRequestNotifier.notifySignatureRequest(
            randomWallet(),
        );
        const requestsAfter = [...push.hits.values()].reduce((a, b) => a + b, 0);
        expect(requestsAfter).toBe(requestsBefore);
        expect(await endpointsOf(other)).toEqual([subscription.endpoint]);
    });
});

describe("POST /business/notifications/send", () => {
    test("401 without a business session, or with a wallet token", async () => {
        const wallet = randomWallet();
        const anonymous = await send({ targets: { wallets: [wallet] }, payload }, null);
        expect(anonymous.status).toBe(401);
        expect(await readJson(anonymous)).toEqual({
            error: "unauthorized",
            message: "Unauthorized",
        });
        const walletJwt = await walletToken(server, wallet);
        expect((await send({ targets: { wallets: [wallet] }, payload }, walletJwt)).status).toBe(
            401,
        );
    });

    test("422 for missing or invalid targets and payload; 400 for bad JSON", async () => {
        const wallets = [randomWallet()];
        const cases: unknown[] = [
            { payload },
            { targets: { wallets } },
            { targets: { wallets }, payload: { body: "no title" } },
            { targets: { wallets }, payload: { title: "no body" } },
            { targets: { wallets: ["0x123"] }, payload },
            { targets: { wallets: ["0x52908400098527886E0F7030069857D2E4169Ee7"] }, payload },
            { targets: {}, payload },
            { targets: { wallets, filter: {} }, payload },
            { targets: { filter: { productIds: ["not-hex"] } }, payload },
        ];
        for (const body of cases) {
            const response = await send(body);
            expect({ body, status: response.status }).toEqual({ body, status: 422 });
        }
        expect((await send("{oops")).status).toBe(400);
    });

    test("a merchant cannot reach a wallet that never interacted with its products", async () => {
        const stranger = randomWallet();
        const subscription = push.subscriber();
        await subscribe(server, await walletToken(server, stranger), subscription);

        const response = await send({ targets: { wallets: [stranger, stranger] }, payload });
        expect(response.status).toBe(200);
        expect(await readJson(response)).toEqual({ queued: 0, skipped: 1 });

        const byFilter = await send({
            targets: { filter: { productIds: [requireCanonicalProductId(productId)] } },
            payload,
        });
        expect(await readJson(byFilter)).toEqual({ queued: 0, skipped: 0 });

        // A merchant with no product at all reaches nobody either.
        const nobody = (await server.infra.tokens.signBusiness(randomWallet())).token;
        const none = await send({ targets: { wallets: [stranger] }, payload }, nobody);
        expect(await readJson(none)).toEqual({ queued: 0, skipped: 1 });
        expect(push.hits.get(subscription.endpoint)).toBeUndefined();
    });
});
