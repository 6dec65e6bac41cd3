import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { concatHex, keccak256, stringToHex, toHex } from "viem";
import {
    oraclePurchaseItemTable,
    oraclePurchaseTable,
    oracleWebhookInboxTable,
} from "../../src/domain/oracle/db/schema";
import { jsonHeaders, readJson, startTestApp, type TestApp } from "../support/test-app";
import {
    hmacBase64,
    type OracleFixture,
    sendStandardWebhook,
    sendWoo,
    startOracleFixture,
    wooOrder,
} from "./helpers";

let app: TestApp;
let woo: OracleFixture;
let custom: OracleFixture;
const db = () => app.infra.database.db;
const purchasesOf = (externalId: string) =>
    db().select().from(oraclePurchaseTable).where(eq(oraclePurchaseTable.externalId, externalId));
const inboxCount = async () => (await db().select().from(oracleWebhookInboxTable)).length;

beforeAll(async () => {
    app = await startTestApp();
    woo = await startOracleFixture({ app, platform: "woocommerce", secret: "wc-secret" });
    custom = await startOracleFixture({
        app,
        platform: "custom",
        secret: `whsec_${Buffer.from("a-32-byte-standard-webhooks-key!").toString("base64")}`,
    });
}, 60_000);
afterAll(async () => {
    await app?.stop();
}, 30_000);

describe("WooCommerce oracle webhook", () => {
    test("a signed order is stored; a wrong signature is 401 with nothing written", async () => {
        const before = await inboxCount();
        expect((await sendWoo(woo, wooOrder(77, "completed"), "wrong")).status).toBe(401);
        expect(await purchasesOf("77")).toHaveLength(0);
        expect(await inboxCount()).toBe(before);

        const response = await sendWoo(woo, wooOrder(77, "processing"));
        expect(response.status).toBe(200);
        const [purchase] = await purchasesOf("77");
        expect(purchase).toMatchObject({
            purchaseId: keccak256(concatHex([woo.productId, toHex(77, { size: 1 })])),
            status: "pending",
            totalPrice: "42.50",
            purchaseToken: "wc_order_77",
            externalCustomerId: "7",
        });
        const [item] = await db()
            .select()
            .from(oraclePurchaseItemTable)
            .where(eq(oraclePurchaseItemTable.purchaseId, purchase!.purchaseId));
        expect(item).toMatchObject({
            externalId: "93",
            price: "21.25",
            title: "Hoodie",
            imageUrl: "https://example.com/h.png",
        });
    });

    test("redelivery is idempotent; completed then refunded update the status", async () => {
        await sendWoo(woo, wooOrder(78, "completed"));
        await sendWoo(woo, wooOrder(78, "completed"));
        expect(await purchasesOf("78")).toHaveLength(1);
        expect((await purchasesOf("78"))[0]?.status).toBe("confirmed");
        await sendWoo(woo, wooOrder(78, "refunded"));
        expect((await purchasesOf("78"))[0]).toMatchObject({
            status: "refunded",
            leafPending: true,
        });
        await sendWoo(woo, wooOrder(78, "cancelled"));
        expect((await purchasesOf("78"))[0]?.status).toBe("cancelled");
    });

    test("a non-order resource is kept and answered 200 processed:false", async () => {
        const body = JSON.stringify({ id: 5, name: "coupon" });
        const response = await app.request(
            `/ext/products/${woo.productId}/webhook/oracle/woocommerce`,
            {
                method: "POST",
                headers: {
                    "x-wc-webhook-resource": "coupon",
                    "x-wc-webhook-signature": hmacBase64("wc-secret", body),
                },
                body,
            },
        );
        expect(response.status).toBe(200);
        expect(await readJson(response)).toMatchObject({ accepted: true, processed: false });
    });
});

describe("custom oracle webhook", () => {
    const order = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
        id,
        customerId: "cust-1",
        status,
        token: `token-${id}`,
        currency: "EUR",
        ...extra,
    });

    test("Standard Webhooks delivery stored; string ids hash their UTF-8 bytes; missing totalPrice is 0", async () => {
        const response = await sendStandardWebhook(custom, order("order-A1", "confirmed"));
        expect(response.status).toBe(200);
        const [purchase] = await purchasesOf("order-A1");
        expect(purchase).toMatchObject({
            purchaseId: keccak256(concatHex([custom.productId, stringToHex("order-A1")])),
            status: "confirmed",
            totalPrice: "0",
            purchaseToken: "token-order-A1",
        });
    });

    test("x-hmac-sha256 (the seed's header) is accepted too; wrong is 401", async () => {
        const body = JSON.stringify(order("order-B1", "pending", { totalPrice: "10.5" }));
        const send = (signature: string) =>
            app.request(`/ext/products/${custom.productId}/webhook/oracle/custom`, {
                method: "POST",
                headers: { ...jsonHeaders, "x-hmac-sha256": signature },
                body,
            });
        expect((await send(hmacBase64("nope", body))).status).toBe(401);
        expect((await send(hmacBase64(custom.secret, body))).status).toBe(200);
        expect((await purchasesOf("order-B1"))[0]?.totalPrice).toBe("10.5");
    });

    test("replays are refused: an old timestamp is 401, a reused webhook-id changes nothing", async () => {
        const before = await inboxCount();
        const old = await sendStandardWebhook(custom, order("order-C1", "confirmed"), {
            timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
        });
        expect(old.status).toBe(401);
        expect(await purchasesOf("order-C1")).toHaveLength(0);
        expect(await inboxCount()).toBe(before);

        const id = "msg_replayed";
        expect(
            (await sendStandardWebhook(custom, order("order-C2", "confirmed"), { id })).status,
        ).toBe(200);
        // Same id, validly signed, different content: idempotent, nothing written.
        const replay = await sendStandardWebhook(custom, order("order-C2", "refunded"), { id });
        expect(replay.status).toBe(200);
        expect((await purchasesOf("order-C2"))[0]?.status).toBe("confirmed");
        expect(await inboxCount()).toBe(before + 1);
    });

    test("a long webhook-id is a delivery like any other (stored hashed), never a 500", async () => {
        const id = `msg_${"y".repeat(400)}`;
        const first = await sendStandardWebhook(custom, order("order-L1", "confirmed"), { id });
        expect(first.status).toBe(200);
        const again = await sendStandardWebhook(custom, order("order-L1", "refunded"), { id });
        expect(again.status).toBe(200);
        expect((await purchasesOf("order-L1"))[0]?.status).toBe("confirmed");
    });

    test("status and amounts are validated (422) and the delivery kept as rejected", async () => {
        const badStatus = await sendStandardWebhook(custom, order("order-D1", "shipped"));
        expect(badStatus.status).toBe(422);
        const badAmount = await sendStandardWebhook(
            custom,
            order("order-D2", "pending", { totalPrice: "12,50" }),
        );
        expect(badAmount.status).toBe(422);
        expect((await readJson(badAmount)).message).toContain("totalPrice");
        expect(await purchasesOf("order-D1")).toHaveLength(0);
        const rejected = await db()
            .select()
            .from(oracleWebhookInboxTable)
            .where(eq(oracleWebhookInboxTable.outcome, "rejected"));
        expect(rejected.length).toBeGreaterThanOrEqual(2);
    });
});
