import { Type as T } from "@sinclair/typebox";
import type { PurchaseStatus } from "../db/schema";
import {
    compileChecker,
    DecimalStringSchema,
    type DeliveryContext,
    isTruthyHeader,
    NumericIdSchema,
    type ParsedDelivery,
    parseJsonBody,
    parseShopTimestamp,
} from "./order-payloads";

/* Shopify's `orders/*` webhooks: the topic, the exact order id and the test flag in headers. */

const ShopifyOrderSchema = T.Object({
    id: NumericIdSchema,
    financial_status: T.Optional(T.Union([T.String(), T.Null()])),
    total_price: DecimalStringSchema,
    currency: T.String({ maxLength: 4 }),
    test: T.Optional(T.Union([T.Boolean(), T.Null()])),
    customer: T.Optional(T.Union([T.Object({ id: NumericIdSchema }), T.Null()])),
    token: T.String(),
    checkout_token: T.Optional(T.Union([T.String(), T.Null()])),
    updated_at: T.Optional(T.Union([T.String({ maxLength: 64 }), T.Null()])),
    line_items: T.Array(
        T.Object({
            id: T.Optional(NumericIdSchema),
            product_id: T.Optional(T.Union([NumericIdSchema, T.Null()])),
            quantity: T.Integer({ minimum: 0 }),
            price: DecimalStringSchema,
            name: T.String(),
            title: T.String(),
        }),
    ),
});
const checkShopifyOrder = compileChecker(ShopifyOrderSchema);

const mapShopifyStatus = (financialStatus: string | null | undefined): PurchaseStatus => {
    if (financialStatus === "paid") return "confirmed";
    if (financialStatus === "refunded") return "refunded";
    if (financialStatus === "voided") return "cancelled";
    return "pending";
};

export function parseShopifyDelivery(ctx: DeliveryContext): ParsedDelivery {
    const { headers } = ctx;
    if (!headers["x-shopify-topic"]?.startsWith("orders/")) {
        return { kind: "unprocessable", reason: "unsupported_topic: Unsupported shopify topic" };
    }
    const headerOrderId = headers["x-shopify-order-id"]?.trim();
    if (!headerOrderId || !/^\d{1,30}$/.test(headerOrderId)) {
        return { kind: "unprocessable", reason: "missing_order_id: Missing order id" };
    }
    const json = parseJsonBody(ctx.body);
    if (!json.ok) return { kind: "unprocessable", reason: "invalid_json" };
    const checked = checkShopifyOrder(json.value);
    if (!checked.ok) return { kind: "unprocessable", reason: `invalid_order: ${checked.error}` };
    const order = checked.value;
    // JSON numbers lose precision past 2^53; the header carries the exact id, so compare the
    // two as parsed numbers and derive the purchase id from the exact header digits.
    if (order.id !== Number(headerOrderId)) {
        return { kind: "unprocessable", reason: "order_id_mismatch: Order id mismatch" };
    }
    const updatedAt = parseShopTimestamp(order.updated_at);
    if (updatedAt === null) {
        return {
            kind: "unprocessable",
            reason: "invalid_order: /updated_at: not a date, or more than a day ahead",
        };
    }
    const headerTest = headers["x-shopify-test"];
    const isTest = headerTest === undefined ? false : isTruthyHeader(headerTest);
    if (isTest !== (order.test ?? false)) {
        return { kind: "unprocessable", reason: "test_mismatch: Test field mismatch" };
    }
    if (isTest && ctx.isRunningInProd) {
        return {
            kind: "unprocessable",
            reason: "test_in_production: Shopify test aren't accepted in production",
        };
    }
    return {
        kind: "order",
        order: {
            orderId: BigInt(headerOrderId),
            externalCustomerId: order.customer ? String(order.customer.id) : "",
            purchaseToken: order.checkout_token || order.token || null,
            totalPrice: order.total_price,
            currencyCode: order.currency,
            status: mapShopifyStatus(order.financial_status),
            sourceUpdatedAt: updatedAt ?? null,
            items: order.line_items.map((item) => ({
                externalId: String(item.product_id ?? item.id ?? ""),
                price: item.price,
                name: item.name,
                title: item.title,
                imageUrl: null,
                quantity: item.quantity,
            })),
        },
    };
}
