/**
 * Who a merchant's broadcast reaches, end to end: products minted on anvil, interactions queued
 * through the SDK route, subscriptions registered through the wallet route, deliveries decrypted
 * by the local push service.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type Address, type Hex, type PrivateKeyAccount, parseEther, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import webpush from "web-push";
import { interactionsPendingTable } from "../../src/domain/interactions/db/schema";
import {
    encodeReferralCreateLink,
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
} from "../../src/infrastructure/blockchain";
import { requireCanonicalProductId } from "../../src/utils/product-id";
import { hmacBase64 } from "../oracle/helpers";
import { mintProduct } from "../support/mint-product";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { setUpReferral } from "../wallet/helpers";
import { type Subscriber, startTestPushService, type TestPushService } from "./push-service";
import { randomWallet, subscribe, walletToken } from "./support";

let server: TestApp;
let push: TestPushService;
let merchant: PrivateKeyAccount;
let merchantToken: string;
let otherMerchant: Address;
let ownProduct: Hex;
let otherProduct: Hex;
const users: Record<
    "loyal" | "elsewhere" | "never",
    { wallet: Address; subscription: Subscriber }
> = {} as never;

async function mint(owner: Address, label: string): Promise<Hex> {
    const { chain } = server.infra;
    const { productId } = await mintProduct({
        clients: chain.clients,
        signers: chain.signers,
        deployment: chain.deployment,
        productTypes: 1n << 30n,
        name: label,
        domain: `${label}-${owner.slice(2, 10).toLowerCase()}.example.com`,
        owner,
    });
    return requireCanonicalProductId(productId);
}

/** Queues referral "create link" interactions through the SDK route, as the SDK does. */
async function interact(wallet: Address, productId: Hex, times: number) {
    const { token } = await server.infra.tokens.signSdk(wallet);
    const interactions = Array.from({ length: times }, () => ({
        wallet,
        productId,
        interaction: {
            handlerTypeDenominator: toHex(30),
            interactionData: encodeReferralCreateLink(),
        },
    }));
    const response = await server.request("/wallet/interactions/push", {
        method: "POST",
        headers: { "content-type": "application/json", "x-wallet-sdk-auth": token },
        body: JSON.stringify({ interactions }),
    });
    expect(response.status).toBe(200);
    expect(await readJson(response)).toHaveLength(times);
}

const send = (token: string, targets: unknown) =>
    server
        .request("/business/notifications/send", {
            method: "POST",
            headers: { "content-type": "application/json", "x-business-auth": token },
            body: JSON.stringify({ targets, payload: { title: "Hello", body: "From your shop" } }),
        })
        .then(async (response) => {
            expect(response.status).toBe(200);
            const body = await readJson(response);
            // The answer comes before the delivery: wait for it to assert who was reached.
            await server.domains.notifications.delivery.idle();
            return body;
        });

const reached = (since: number) =>
    push.deliveries.slice(since).map((delivery) => {
        expect(delivery.payload).toEqual({ title: "Hello", body: "From your shop" });
        const user = Object.entries(users).find(
            ([, u]) => u.subscription.endpoint === delivery.endpoint,
        );
        return user?.[0];
    });

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
    merchant = privateKeyToAccount(generatePrivateKey());
    await server.infra.chain.clients.publicClient.request({
        method: "anvil_setBalance",
        params: [merchant.address, toHex(parseEther("10"))],
    } as never);
    merchantToken = (await server.infra.tokens.signBusiness(merchant.address)).token;
    otherMerchant = randomWallet();
    ownProduct = await mint(merchant.address, "own");
    otherProduct = await mint(otherMerchant, "other");

    for (const name of ["loyal", "elsewhere", "never"] as const) {
        const wallet = randomWallet();
        const subscription = push.subscriber();
        expect(
            (await subscribe(server, await walletToken(server, wallet), subscription)).status,
        ).toBe(200);
        users[name] = { wallet, subscription };
    }
    await interact(users.loyal.wallet, ownProduct, 2);
    await interact(users.elsewhere.wallet, otherProduct, 1);
});
afterAll(async () => {
    push?.stop();
    await server?.stop();
});

describe("a merchant reaches only wallets that interacted with its products", () => {
    test("explicit wallets: the others are skipped, never sent to", async () => {
        const since = push.deliveries.length;
        const result = await send(merchantToken, {
            wallets: [users.loyal.wallet, users.elsewhere.wallet, users.never.wallet],
        });
        expect(result).toEqual({ queued: 1, skipped: 2 });
        expect(reached(since)).toEqual(["loyal"]);
    });

    test("filters: within the merchant's own products only", async () => {
        let since = push.deliveries.length;
        expect(await send(merchantToken, { filter: {} })).toEqual({ queued: 1, skipped: 0 });
        expect(reached(since)).toEqual(["loyal"]);

        // Someone else's product: nobody, even though a wallet interacted with it.
        since = push.deliveries.length;
        expect(await send(merchantToken, { filter: { productIds: [otherProduct] } })).toEqual({
            queued: 0,
            skipped: 0,
        });
        expect(reached(since)).toEqual([]);

        // The short form of the product id is the same product.
        const short = toHex(BigInt(ownProduct));
        expect(
            await send(merchantToken, {
                filter: { productIds: [short], interactions: { min: 2 } },
            }),
        ).toEqual({ queued: 1, skipped: 0 });
        expect(await send(merchantToken, { filter: { interactions: { min: 3 } } })).toEqual({
            queued: 0,
            skipped: 0,
        });
        const now = Math.floor(Date.now() / 1000);
        expect(
            await send(merchantToken, {
                filter: { firstInteractionTimestamp: { max: now - 3600 } },
            }),
        ).toEqual({ queued: 0, skipped: 0 });
        expect(
            await send(merchantToken, {
                filter: { firstInteractionTimestamp: { min: now - 3600 } },
            }),
        ).toEqual({ queued: 1, skipped: 0 });
    });

    test("an administrator of the product reaches its audience; another merchant does not", async () => {
        const admin = randomWallet();
        const { chain } = server.infra;
        const hash = await chain.clients.walletClient(merchant).writeContract({
            address: chain.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "grantRoles",
            args: [BigInt(ownProduct), admin, PRODUCT_ROLES.admin],
        });
        await chain.clients.waitForReceipt(hash);
        const adminToken = (await server.infra.tokens.signBusiness(admin)).token;
        expect(await send(adminToken, { wallets: [users.loyal.wallet] })).toEqual({
            queued: 1,
            skipped: 0,
        });

        const otherToken = (await server.infra.tokens.signBusiness(otherMerchant)).token;
        expect(await send(otherToken, { wallets: [users.loyal.wallet] })).toEqual({
            queued: 0,
            skipped: 1,
        });
        expect(await send(otherToken, { wallets: [users.elsewhere.wallet] })).toEqual({
            queued: 1,
            skipped: 0,
        });
    });
});

describe("rewards filter (the reward index)", () => {
    test("keeps the wallets whose rewards on the merchant's products fall in the range", async () => {
        const referral = await setUpReferral(server.infra.chain, "rewarded-shop.example.com");
        // Pays the referrer 10 and the referee 5 usde (18 decimals) on-chain.
        await referral.purchase(1n);
        await server.domains.wallet.jobs.rewardIndex.runNow();
        const productId = requireCanonicalProductId(referral.product.productId);
        const subscriptions = new Map<string, Subscriber>();
        for (const account of [referral.referrer, referral.referee]) {
            const subscription = push.subscriber();
            const token = await walletToken(server, account.address);
            expect((await subscribe(server, token, subscription)).status).toBe(200);
            subscriptions.set(subscription.endpoint, subscription);
            await interact(account.address, productId, 1);
        }
        const token = (await server.infra.tokens.signBusiness(referral.merchant.address)).token;
        const endpointsReached = async (rewards: { min?: Hex; max?: Hex }) => {
            const since = push.deliveries.length;
            const result = await send(token, { filter: { rewards } });
            const endpoints = push.deliveries.slice(since).map((d) => d.endpoint);
            expect(result.queued).toBe(endpoints.length);
            return endpoints;
        };
        const [referrerEndpoint, refereeEndpoint] = [...subscriptions.keys()] as [string, string];
        expect(await endpointsReached({ min: toHex(parseEther("6")) })).toEqual([referrerEndpoint]);
        expect(await endpointsReached({ max: toHex(parseEther("5")) })).toEqual([refereeEndpoint]);
        expect((await endpointsReached({ min: toHex(parseEther("5")) })).sort()).toEqual(
            [referrerEndpoint, refereeEndpoint].sort(),
        );
        expect(await endpointsReached({ min: toHex(parseEther("11")) })).toEqual([]);
    });
});

describe("a merchant cannot make a wallet its audience", () => {
    test("interactions the merchant pushes through its own webhook do not count", async () => {
        const key = "audience-webhook-key";
        const setup = await server.request(
            `/business/product/${ownProduct}/interactionsWebhook/setup`,
            {
                method: "POST",
                headers: { "content-type": "application/json", "x-business-auth": merchantToken },
                body: JSON.stringify({ hookSignatureKey: key, source: "custom" }),
            },
        );
        expect(setup.status).toBe(200);
        // The made-up interaction is accepted and queued for the chain, as the seed does...
        const body = JSON.stringify({
            wallet: users.never.wallet,
            interaction: { handlerTypeDenominator: "0x1e", interactionData: "0xb2c0f17c" },
        });
        const pushed = await server.request(
            `/ext/products/${ownProduct}/webhook/interactions/push`,
            {
                method: "POST",
                headers: { "content-type": "text/plain", "x-hmac-sha256": hmacBase64(key, body) },
                body,
            },
        );
        expect(pushed.status).toBe(200);
        const queued = await server.infra.database.db
            .select()
            .from(interactionsPendingTable)
            .where(eq(interactionsPendingTable.wallet, users.never.wallet.toLowerCase() as Hex));
        expect(queued.map((row) => row.source)).toEqual(["merchant"]);

        // ...but it does not put that wallet in the merchant's audience.
        const since = push.deliveries.length;
        expect(await send(merchantToken, { wallets: [users.never.wallet] })).toEqual({
            queued: 0,
            skipped: 1,
        });
        expect(await send(merchantToken, { filter: {} })).toEqual({ queued: 1, skipped: 0 });
        expect(reached(since)).toEqual(["loyal"]);
    });
});
