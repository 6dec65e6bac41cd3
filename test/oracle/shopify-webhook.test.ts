import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { concatHex, keccak256, toHex } from "viem";
import {
    oraclePurchaseItemTable,
    oraclePurchaseTable,
    oracleWebhookInboxTable,
} from "../../src/domain/oracle/db/schema";
import { readJson } from "../support/test-app";
import { type OracleFixture, sendShopify, shopifyOrder, startOracleFixture } from "./helpers";

let f: OracleFixture;
const db = () => f.app.infra.database.db;
const purchasesOf = (externalId: string) =>
    db().select().from(oraclePurchaseTable).where(eq(oraclePurchaseTable.externalId, externalId));

beforeAll(async () => {
    f = await startOracleFixture({ platform: "shopify", env: { ORACLE_UPDATE_THRESHOLD: "1" } });
}, 60_000);
afterAll(async () => {
    await f?.app.stop();
}, 30_000);

describe("Shopify oracle webhook", () => {
    test("an order signed as Shopify signs it is stored, with its items and the raw delivery", async () => {
        const order = shopifyOrder(450789469, "paid");
        const response = await sendShopify(f, order);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("ok");

        const [purchase] = await purchasesOf("450789469");
        // purchaseId = keccak256(productId32 ++ minimal hex of the order id)
        expect(purchase?.purchaseId).toBe(keccak256(concatHex([f.productId, toHex(450789469)])));
        expect(purchase).toMatchObject({
            status: "confirmed",
            totalPrice: "199.00",
            currencyCode: "EUR",
            purchaseToken: "chk-450789469",
            externalCustomerId: "115310627314",
            leafPending: true,
            leaf: null,
        });
        const items = await db()
            .select()
            .from(oraclePurchaseItemTable)
            .where(eq(oraclePurchaseItemTable.purchaseId, purchase!.purchaseId));
        expect(items).toHaveLength(1);
        expect(items[0]).toMatchObject({
            externalId: "632910392",
            quantity: 1,
            price: "199.00",
            title: "IPod Nano",
        });

        const inbox = await db().select().from(oracleWebhookInboxTable);
        expect(inbox).toHaveLength(1);
        expect(inbox[0]).toMatchObject({
            outcome: "processed",
            platform: "shopify",
            purchaseId: purchase!.purchaseId,
        });
        expect(new TextDecoder().decode(inbox[0]!.body)).toBe(JSON.stringify(order));
        expect(inbox[0]!.headers["x-shopify-topic"]).toBe("orders/updated");
    });

    test("wrong or missing HMAC: 401 and nothing written", async () => {
        const before = (await db().select().from(oracleWebhookInboxTable)).length;
        const order = shopifyOrder(1001, "paid");
        const wrong = await sendShopify(f, order, { secret: "not-the-secret" });
        expect(wrong.status).toBe(401);
        expect((await readJson(wrong)).error).toBe("invalid_signature");
        const missing = await sendShopify(f, order, { headers: { "x-shopify-hmac-sha256": "" } });
        expect(missing.status).toBe(401);
        // A valid signature of other bytes (body re-serialised with a space) does not pass either.
        const body = JSON.stringify(order);
        const tampered = await sendShopify(f, order, {
            rawBody: body.replace('"paid"', '"paid" '),
            headers: {
                "x-shopify-hmac-sha256": (await import("./helpers")).hmacBase64(f.secret, body),
            },
        });
        expect(tampered.status).toBe(401);
        expect(await purchasesOf("1001")).toHaveLength(0);
        expect(await db().select().from(oracleWebhookInboxTable)).toHaveLength(before);
    });

    test("the same order delivered twice leaves one purchase and one inbox row", async () => {
        const order = shopifyOrder(2002, "pending");
        expect((await sendShopify(f, order)).status).toBe(200);
        const again = await sendShopify(f, order);
        expect(again.status).toBe(200);
        expect(await again.text()).toBe("ok");
        expect(await purchasesOf("2002")).toHaveLength(1);
        const rows = await db()
            .select()
            .from(oracleWebhookInboxTable)
            .where(
                eq(oracleWebhookInboxTable.purchaseId, (await purchasesOf("2002"))[0]!.purchaseId),
            );
        expect(rows).toHaveLength(1);
    });

    test("a refund updates the status and resets the leaf", async () => {
        const order = shopifyOrder(3003, "paid");
        await sendShopify(f, order);
        await f.app.domains.oracle.jobs.updateMerkleRoot.runNow();
        const [committed] = await purchasesOf("3003");
        expect(committed).toMatchObject({ status: "confirmed", leafPending: false });
        expect(committed?.leaf?.[32]).toBe(1);

        const refund = await sendShopify(f, {
            ...order,
            financial_status: "refunded",
            updated_at: "2026-01-02T10:00:00Z",
        });
        expect(refund.status).toBe(200);
        const [purchase] = await purchasesOf("3003");
        expect(purchase).toMatchObject({ status: "refunded", leafPending: true });
        expect(purchase?.leafIndex).toBe(committed!.leafIndex);
        await f.app.domains.oracle.jobs.updateMerkleRoot.runNow();
        const [recommitted] = await purchasesOf("3003");
        expect(recommitted).toMatchObject({ leafPending: false, leafIndex: committed!.leafIndex });
        expect(recommitted?.leaf?.[32]).toBe(3);
    });

    test("a captured paid body replayed under a new webhook id does not undo a refund", async () => {
        const paid = shopifyOrder(3103, "paid");
        await sendShopify(f, paid, { headers: { "x-shopify-webhook-id": "delivery-1" } });
        const refunded = {
            ...paid,
            financial_status: "refunded",
            updated_at: "2026-01-02T10:00:00Z",
        };
        await sendShopify(f, refunded, { headers: { "x-shopify-webhook-id": "delivery-2" } });
        // The attacker re-sends the captured bytes and signature with a fresh id.
        const replay = await sendShopify(f, paid, {
            headers: { "x-shopify-webhook-id": "attacker-fresh-id" },
        });
        expect(replay.status).toBe(200);
        const [purchase] = await purchasesOf("3103");
        expect(purchase?.status).toBe("refunded");
        const rows = await db()
            .select()
            .from(oracleWebhookInboxTable)
            .where(eq(oracleWebhookInboxTable.purchaseId, purchase!.purchaseId));
        expect(rows).toHaveLength(2);
    });

    test("x-shopify-test absent means false; unsupported topics are kept but not processed", async () => {
        const order = shopifyOrder(4004, "paid");
        const noTestHeader = await sendShopify(f, order);
        expect(noTestHeader.status).toBe(200);
        expect(await purchasesOf("4004")).toHaveLength(1);

        const topic = await sendShopify(f, shopifyOrder(4005, "paid"), {
            headers: { "x-shopify-topic": "products/create" },
        });
        expect(topic.status).toBe(200);
        expect(await readJson(topic)).toMatchObject({ accepted: true, processed: false });
        expect(await purchasesOf("4005")).toHaveLength(0);
        const [kept] = await db()
            .select()
            .from(oracleWebhookInboxTable)
            .where(eq(oracleWebhookInboxTable.outcome, "unprocessable"));
        expect(kept?.reason).toContain("unsupported_topic");

        const mismatch = await sendShopify(f, shopifyOrder(4006, "paid", { test: true }));
        expect(await readJson(mismatch)).toMatchObject({ processed: false });
        expect(await purchasesOf("4006")).toHaveLength(0);
    });

    test("the product id is normalised: the short form reaches the same oracle", async () => {
        const short = `0x${f.productId.slice(2).replace(/^0+/, "")}`;
        const order = shopifyOrder(5005, "paid");
        const body = JSON.stringify(order);
        const response = await f.app.request(
            `/ext/products/${short.toUpperCase().replace("0X", "0x")}/webhook/oracle/shopify`,
            {
                method: "POST",
                headers: {
                    "x-shopify-topic": "orders/paid",
                    "x-shopify-order-id": "5005",
                    "x-shopify-hmac-sha256": (await import("./helpers")).hmacBase64(f.secret, body),
                },
                body,
            },
        );
        expect(response.status).toBe(200);
        const [purchase] = await purchasesOf("5005");
        expect(purchase?.purchaseId).toBe(keccak256(concatHex([f.productId, toHex(5005)])));
    });

    test("unknown product 404, non-hex 422", async () => {
        const unknown = await f.app.request(`/ext/products/0x1234/webhook/oracle/shopify`, {
            method: "POST",
            body: "{}",
        });
        expect(unknown.status).toBe(404);
        const invalid = await f.app.request(`/ext/products/shop/webhook/oracle/shopify`, {
            method: "POST",
            body: "{}",
        });
        expect(invalid.status).toBe(422);
    });
});
