/**
 * A merchant server's signed interaction push is accepted once: a captured delivery posted again
 * (five times, or concurrently) queues one interaction. Standard Webhooks deliveries are keyed on
 * their signed `webhook-id` and refused outside the 5-minute tolerance; the seed's `x-hmac-sha256`
 * form is keyed on the body within INTERACTIONS_WEBHOOK_REPLAY_WINDOW_HOURS.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    interactionsPendingTable,
    interactionsWebhookDeliveryTable,
    interactionsWebhookTable,
} from "../../src/domain/interactions/db/schema";
import { hmacBase64 } from "../oracle/helpers";
import { standardWebhookHeaders } from "../support/standard-webhooks";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { mintTestProduct, type TestProduct } from "./helpers";

let t: TestApp;
let product: TestProduct;
const KEY = `whsec_${Buffer.from("interactions-webhook-key-32bytes").toString("base64")}`;

const db = () => t.infra.database.db;
const queuedFor = async (wallet: string) =>
    (
        await db()
            .select()
            .from(interactionsPendingTable)
            .where(eq(interactionsPendingTable.wallet, wallet.toLowerCase() as `0x${string}`))
    ).length;

const url = (kind: "push" | "pushRaw") =>
    `/ext/products/${product.productIdHex}/webhook/interactions/${kind}`;
const bodyFor = (wallet: string) =>
    JSON.stringify({
        wallet,
        interaction: { handlerTypeDenominator: "0x1e", interactionData: "0xb2c0f17c" },
    });

const legacyPush = (body: string) =>
    t.request(url("push"), {
        method: "POST",
        headers: { "content-type": "text/plain", "x-hmac-sha256": hmacBase64(KEY, body) },
        body,
    });

const standardPush = (
    body: string,
    options: { id?: string; timestamp?: number; signWith?: Uint8Array } = {},
) =>
    t.request(url("push"), {
        method: "POST",
        headers: {
            "content-type": "application/json",
            ...standardWebhookHeaders(options.signWith ?? KEY, body, options),
        },
        body,
    });

beforeAll(async () => {
    t = await startTestApp();
    product = await mintTestProduct(t.infra.chain, [t.infra.chain.deployment.tokens.usde]);
    await db()
        .insert(interactionsWebhookTable)
        .values({ productId: product.productIdHex, hookSignatureKey: KEY, source: "custom" });
}, 90_000);
afterAll(async () => {
    await t?.stop();
});

describe("interactions webhook replay", () => {
    test("the seed's x-hmac-sha256 form: one signed body posted five times queues one interaction", async () => {
        const wallet = privateKeyToAccount(generatePrivateKey()).address;
        const body = bodyFor(wallet);
        for (let i = 0; i < 5; i++) expect((await legacyPush(body)).status).toBe(200);
        expect(await queuedFor(wallet)).toBe(1);
    });

    test("the same body sent concurrently: exactly one is queued", async () => {
        const wallet = privateKeyToAccount(generatePrivateKey()).address;
        const body = bodyFor(wallet);
        const answers = await Promise.all(Array.from({ length: 8 }, () => legacyPush(body)));
        expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
        expect(await queuedFor(wallet)).toBe(1);
    });

    test("Standard Webhooks: each webhook-id once; distinct ids are distinct events", async () => {
        const wallet = privateKeyToAccount(generatePrivateKey()).address;
        const body = bodyFor(wallet);
        for (let i = 0; i < 3; i++) {
            expect((await standardPush(body, { id: "msg_same" })).status).toBe(200);
        }
        expect(await queuedFor(wallet)).toBe(1);
        // The same interaction sent again as a new message is a new event (a second visit).
        expect((await standardPush(body, { id: "msg_other" })).status).toBe(200);
        expect(await queuedFor(wallet)).toBe(2);
    });

    test("a long webhook-id the sender chose is accepted once, never a database error", async () => {
        const wallet = privateKeyToAccount(generatePrivateKey()).address;
        const id = `msg_${"x".repeat(300)}`;
        for (let i = 0; i < 2; i++) {
            expect((await standardPush(bodyFor(wallet), { id })).status).toBe(200);
        }
        expect(await queuedFor(wallet)).toBe(1);
    });

    test("Standard Webhooks: a timestamp outside 5 minutes or a wrong signature is 401, nothing queued", async () => {
        const wallet = privateKeyToAccount(generatePrivateKey()).address;
        const body = bodyFor(wallet);
        const deliveriesBefore = (await db().select().from(interactionsWebhookDeliveryTable))
            .length;
        const old = await standardPush(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
        expect(old.status).toBe(401);
        expect(await readJson(old)).toMatchObject({ error: "invalid_signature" });
        const future = await standardPush(body, {
            timestamp: Math.floor(Date.now() / 1000) + 6 * 60,
        });
        expect(future.status).toBe(401);
        const forged = await standardPush(body, { signWith: new TextEncoder().encode("nope") });
        expect(forged.status).toBe(401);
        expect(await queuedFor(wallet)).toBe(0);
        // A refused delivery takes no place: the sender may fix and resend it under its id.
        expect(await db().select().from(interactionsWebhookDeliveryTable)).toHaveLength(
            deliveriesBefore,
        );
    });

    test("a legacy body outside the replay window is accepted again; the pruning job forgets it", async () => {
        const wallet = privateKeyToAccount(generatePrivateKey()).address;
        const body = bodyFor(wallet);
        expect((await legacyPush(body)).status).toBe(200);
        // Age the record past the 24 h window, as if the day had gone by.
        await db()
            .update(interactionsWebhookDeliveryTable)
            .set({ receivedAt: new Date(Date.now() - 25 * 3_600_000) });
        expect((await legacyPush(body)).status).toBe(200);
        expect(await queuedFor(wallet)).toBe(2);
        expect((await legacyPush(body)).status).toBe(200);
        expect(await queuedFor(wallet)).toBe(2);

        await db()
            .update(interactionsWebhookDeliveryTable)
            .set({ receivedAt: new Date(Date.now() - 25 * 3_600_000) });
        await t.domains.interactions.jobs.pruneWebhookDeliveries.runNow();
        expect(await db().select().from(interactionsWebhookDeliveryTable)).toHaveLength(0);
    });
});
