import { Type as T } from "@sinclair/typebox";
import type { PurchaseStatus } from "../db/schema";
import {
    compileChecker,
    DecimalStringSchema,
    type DeliveryContext,
    NumericIdSchema,
    type OrderItem,
    type ParsedDelivery,
    parseJsonBody,
    parseShopTimestamp,
    toDecimalString,
} from "./order-payloads";

/* WooCommerce's order webhooks (`x-wc-webhook-resource: order`). */

const WooCommerceOrderSchema = T.Object({
    id: NumericIdSchema,
    status: T.String(),
    total: DecimalStringSchema,
    currency: T.String({ maxLength: 4 }),
    customer_id: T.Optional(T.Union([NumericIdSchema, T.Null()])),
    order_key: T.Optional(T.Union([T.String(), T.Null()])),
    transaction_id: T.Optional(T.Union([T.String(), T.Null()])),
    date_modified_gmt: T.Optional(T.Union([T.String({ maxLength: 64 }), T.Null()])),
    line_items: T.Array(
        T.Object({
            product_id: NumericIdSchema,
            quantity: T.Integer({ minimum: 0 }),
            price: T.Union([T.Number(), DecimalStringSchema]),
            name: T.String(),
            image: T.Optional(
                T.Union([T.Object({ src: T.Optional(T.Union([T.String(), T.Null()])) }), T.Null()]),
            ),
        }),
    ),
});
const checkWooCommerceOrder = compileChecker(WooCommerceOrderSchema);

const mapWooCommerceStatus = (status: string): PurchaseStatus => {
    if (status === "completed") return "confirmed";
    if (status === "refunded") return "refunded";
    if (status === "cancelled") return "cancelled";
    return "pending";
};

export function parseWooCommerceDelivery(ctx: DeliveryContext): ParsedDelivery {
    if (ctx.headers["x-wc-webhook-resource"] !== "order") {
        return {
            kind: "unprocessable",
            reason: "unsupported_resource: Unsupported woo commerce webhook",
        };
    }
    const json = parseJsonBody(ctx.body);
    if (!json.ok) return { kind: "unprocessable", reason: "invalid_json" };
    const checked = checkWooCommerceOrder(json.value);
    if (!checked.ok) return { kind: "unprocessable", reason: `invalid_order: ${checked.error}` };
    const order = checked.value;
    const updatedAt = parseShopTimestamp(order.date_modified_gmt, true);
    if (updatedAt === null) {
        return {
            kind: "unprocessable",
            reason: "invalid_order: /date_modified_gmt: not a date, or more than a day ahead",
        };
    }
    const items: OrderItem[] = [];
    for (const item of order.line_items) {
        const price = toDecimalString(item.price);
        if (price === null) return { kind: "unprocessable", reason: "invalid_order: item price" };
        items.push({
            externalId: String(item.product_id),
            price,
            name: item.name,
            title: item.name,
            imageUrl: item.image?.src ? item.image.src : null,
            quantity: item.quantity,
        });
    }
    return {
        kind: "order",
        order: {
            orderId: BigInt(order.id),
            externalCustomerId: String(order.customer_id ?? ""),
            purchaseToken: order.order_key || order.transaction_id || null,
            totalPrice: order.total,
            currencyCode: order.currency,
            status: mapWooCommerceStatus(order.status),
            sourceUpdatedAt: updatedAt ?? null,
            items,
        },
    };
}
