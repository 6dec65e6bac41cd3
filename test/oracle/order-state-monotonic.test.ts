/**
 * An order's status only moves forward in the shop's own time: a late or replayed older state
 * (validly signed, never seen before, so not caught as a duplicate) never overwrites a newer one.
 * It is answered 200 (the shop has nothing to fix) and kept in the inbox as `stale`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { oraclePurchaseTable, oracleWebhookInboxTable } from "../../src/domain/oracle/db/schema";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import {
    type OracleFixture,
    sendShopify,
    sendStandardWebhook,
    sendWoo,
    shopifyOrder,
    startOracleFixture,
    wooOrder,
} from "./helpers";

let app: TestApp;
let shopify: OracleFixture;
let woo: OracleFixture;
let custom: OracleFixture;
const db = () => app.infra.database.db;

const purchaseOf = async (externalId: string) => {
    const rows = await db()
        .select()
        .from(oraclePurchaseTable)
        .where(eq(oraclePurchaseTable.externalId, externalId));
    expect(rows).toHaveLength(1);
    return rows[0]!;
};
const inboxOutcomes = async (purchaseId: `0x${string}`) =>
    (
        await db()
            .select({ outcome: oracleWebhookInboxTable.outcome })
            .from(oracleWebhookInboxTable)
            .where(eq(oracleWebhookInboxTable.purchaseId, purchaseId))
            .orderBy(oracleWebhookInboxTable.id)
    ).map((row) => row.outcome);

beforeAll(async () => {
    app = await startTestApp({ env: { ORACLE_UPDATE_THRESHOLD: "1" } });
    shopify = await startOracleFixture({ app, platform: "shopify" });
    woo = await startOracleFixture({ app, platform: "woocommerce", secret: "wc-secret" });
    custom = await startOracleFixture({ app, platform: "custom", secret: "custom-secret-0123" });
}, 60_000);
afterAll(async () => {
    await app?.stop();
}, 30_000);

describe("order status transitions follow the shop's own updated_at", () => {
    test("Shopify: a paid state older than the stored refund is kept as stale and changes nothing", async () => {
        const refunded = shopifyOrder(9101, "refunded", {
            updated_at: "2026-03-01T12:00:00+01:00",
        });
        expect((await sendShopify(shopify, refunded)).status).toBe(200);
        await app.domains.oracle.jobs.updateMerkleRoot.runNow();
        const committed = await purchaseOf("9101");
        expect(committed).toMatchObject({ status: "refunded", leafPending: false });

        // A delivery that arrives late (or a captured older body replayed): earlier in shop time.
        const latePaid = shopifyOrder(9101, "paid", { updated_at: "2026-03-01T10:30:00+01:00" });
        const response = await sendShopify(shopify, latePaid);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("ok");
        const after = await purchaseOf("9101");
        expect(after).toMatchObject({ status: "refunded", leafPending: false });
        expect(after.sourceUpdatedAt?.toISOString()).toBe("2026-03-01T11:00:00.000Z");
        expect(await inboxOutcomes(after.purchaseId)).toEqual(["processed", "stale"]);

        // A newer state still applies, and resets the leaf.
        const newer = shopifyOrder(9101, "paid", { updated_at: "2026-03-02T08:00:00Z" });
        expect((await sendShopify(shopify, newer)).status).toBe(200);
        expect(await purchaseOf("9101")).toMatchObject({
            status: "confirmed",
            leafPending: true,
        });
    });

    test("Shopify: an updated_at that is not a date is kept unprocessed, never applied", async () => {
        const response = await sendShopify(
            shopify,
            shopifyOrder(9102, "paid", { updated_at: "yesterday-ish" }),
        );
        expect(response.status).toBe(200);
        expect(await readJson(response)).toMatchObject({ accepted: true, processed: false });
        const rows = await db()
            .select()
            .from(oraclePurchaseTable)
            .where(eq(oraclePurchaseTable.externalId, "9102"));
        expect(rows).toHaveLength(0);
    });

    test("a time far ahead of ours (a shop's typo) is refused, so it cannot freeze the order", async () => {
        const paid = shopifyOrder(9104, "paid", { updated_at: "2026-03-01T10:00:00Z" });
        expect((await sendShopify(shopify, paid)).status).toBe(200);
        const typo = shopifyOrder(9104, "paid", { updated_at: "9999-01-01T00:00:00Z", note: "x" });
        expect(await readJson(await sendShopify(shopify, typo))).toMatchObject({
            processed: false,
        });
        // The later refund still applies.
        const refund = shopifyOrder(9104, "refunded", { updated_at: "2026-03-02T10:00:00Z" });
        expect((await sendShopify(shopify, refund)).status).toBe(200);
        expect((await purchaseOf("9104")).status).toBe("refunded");
    });

    test("WooCommerce: date_modified_gmt (UTC without a zone) orders the states", async () => {
        const refunded = {
            ...wooOrder(9201, "refunded"),
            date_modified_gmt: "2026-03-01T12:00:00",
        };
        expect((await sendWoo(woo, refunded)).status).toBe(200);
        const late = { ...wooOrder(9201, "completed"), date_modified_gmt: "2026-03-01T11:59:59" };
        expect((await sendWoo(woo, late)).status).toBe(200);
        const purchase = await purchaseOf("9201");
        expect(purchase.status).toBe("refunded");
        expect(purchase.sourceUpdatedAt?.toISOString()).toBe("2026-03-01T12:00:00.000Z");
        expect(await inboxOutcomes(purchase.purchaseId)).toEqual(["processed", "stale"]);
    });

    test("custom: updatedAt orders the states; a malformed one is a 422 naming it", async () => {
        const order = (status: string, updatedAt: string) => ({
            id: "order-M1",
            customerId: "cust-1",
            status,
            token: "token-order-M1",
            updatedAt,
        });
        expect(
            (await sendStandardWebhook(custom, order("cancelled", "2026-03-01T12:00:00Z"))).status,
        ).toBe(200);
        expect(
            (await sendStandardWebhook(custom, order("confirmed", "2026-03-01T09:00:00Z"))).status,
        ).toBe(200);
        const purchase = await purchaseOf("order-M1");
        expect(purchase.status).toBe("cancelled");
        expect(await inboxOutcomes(purchase.purchaseId)).toEqual(["processed", "stale"]);

        const malformed = await sendStandardWebhook(custom, order("confirmed", "not a date"));
        expect(malformed.status).toBe(422);
        expect((await readJson(malformed)).message).toContain("updatedAt");
        expect((await purchaseOf("order-M1")).status).toBe("cancelled");
    });

    test("without a timestamp on either side, the last delivery wins (as before)", async () => {
        expect((await sendShopify(shopify, shopifyOrder(9103, "refunded"))).status).toBe(200);
        expect((await sendShopify(shopify, shopifyOrder(9103, "paid"))).status).toBe(200);
        const purchase = await purchaseOf("9103");
        expect(purchase.status).toBe("confirmed");
        const stale = await db()
            .select()
            .from(oracleWebhookInboxTable)
            .where(
                and(
                    eq(oracleWebhookInboxTable.purchaseId, purchase.purchaseId),
                    eq(oracleWebhookInboxTable.outcome, "stale"),
                ),
            );
        expect(stale).toHaveLength(0);
    });
});
