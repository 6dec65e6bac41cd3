import { Type as T } from "@sinclair/typebox";
import {
    compileChecker,
    DecimalStringSchema,
    type DeliveryContext,
    isTruthyHeader,
    type ParsedDelivery,
    parseJsonBody,
    parseShopTimestamp,
} from "./order-payloads";

/* A merchant's own backend posting its orders: unlike the shops, it is told what is wrong (400/422). */

const CustomOrderSchema = T.Object({
    id: T.String({ minLength: 1, maxLength: 256 }),
    customerId: T.String(),
    status: T.Union([
        T.Literal("pending"),
        T.Literal("confirmed"),
        T.Literal("cancelled"),
        T.Literal("refunded"),
    ]),
    token: T.String(),
    currency: T.Optional(T.String({ maxLength: 4 })),
    totalPrice: T.Optional(DecimalStringSchema),
    /** ISO 8601: when the order last changed; an older state than the stored one is ignored. */
    updatedAt: T.Optional(T.String({ maxLength: 64 })),
    items: T.Optional(
        T.Array(
            T.Object({
                productId: T.String(),
                quantity: T.Integer({ minimum: 0 }),
                price: DecimalStringSchema,
                name: T.String(),
                title: T.String(),
                image: T.Optional(T.String()),
            }),
        ),
    ),
});
const checkCustomOrder = compileChecker(CustomOrderSchema);

export function parseCustomDelivery(ctx: DeliveryContext): ParsedDelivery {
    const json = parseJsonBody(ctx.body);
    if (!json.ok) {
        return {
            kind: "rejected",
            code: "malformed_body",
            message: "The request body is not valid JSON",
        };
    }
    const checked = checkCustomOrder(json.value);
    if (!checked.ok) {
        return {
            kind: "rejected",
            code: "validation",
            message: `Invalid body ${checked.error}`,
        };
    }
    if (ctx.isRunningInProd && isTruthyHeader(ctx.headers["x-test"])) {
        return {
            kind: "unprocessable",
            reason: "test_in_production: Test webhooks aren't accepted in production",
        };
    }
    const order = checked.value;
    const updatedAt = parseShopTimestamp(order.updatedAt);
    if (updatedAt === null) {
        return {
            kind: "rejected",
            code: "validation",
            message: "Invalid body /updatedAt: expected an ISO 8601 date, at most a day ahead",
        };
    }
    return {
        kind: "order",
        order: {
            orderId: order.id,
            externalCustomerId: order.customerId,
            purchaseToken: order.token || null,
            totalPrice: order.totalPrice ?? "0",
            currencyCode: order.currency ?? "",
            status: order.status,
            sourceUpdatedAt: updatedAt ?? null,
            items: (order.items ?? []).map((item) => ({
                externalId: item.productId,
                price: item.price,
                name: item.name,
                title: item.title,
                imageUrl: item.image ?? null,
                quantity: item.quantity,
            })),
        },
    };
}
