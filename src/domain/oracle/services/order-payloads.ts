import { type Static, Type as T, type TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { PurchaseStatus } from "../db/schema";
import type { OrderItem, OrderUpsert } from "../repositories/purchase-repository";

export type { OrderItem, OrderUpsert };

/**
 * What a verified delivery turns into: an order to upsert; "unprocessable" (kept in the inbox
 * and answered 200 so the shop neither retries garbage nor disables the hook); or "rejected"
 * (custom webhooks only: the merchant's own backend gets a 400/422 naming the problem).
 */
export type ParsedDelivery =
    | { kind: "order"; order: OrderUpsert }
    | { kind: "unprocessable"; reason: string }
    | { kind: "rejected"; code: "malformed_body" | "validation"; message: string };

export type DeliveryContext = {
    headers: Record<string, string | undefined>;
    body: Uint8Array;
    isRunningInProd: boolean;
};

const DECIMAL = /^-?\d{1,30}(\.\d{1,18})?$/;
const decimalString = T.String({ pattern: DECIMAL.source });
const numericId = T.Integer({ minimum: 0 });

function parseJson(body: Uint8Array): { ok: true; value: unknown } | { ok: false } {
    try {
        return {
            ok: true,
            value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)),
        };
    } catch {
        return { ok: false };
    }
}

function checker<S extends TSchema>(schema: S) {
    const compiled = TypeCompiler.Compile(schema);
    return (value: unknown): { ok: true; value: Static<S> } | { ok: false; error: string } => {
        if (compiled.Check(value)) return { ok: true, value };
        const first = compiled.Errors(value).First();
        return { ok: false, error: `${first?.path || "/"}: ${first?.message ?? "invalid"}` };
    };
}

/** Numbers become decimal strings without float noise (12.5 -> "12.5"). */
function decimalOf(value: number | string): string | null {
    const text = typeof value === "number" ? String(value) : value;
    return DECIMAL.test(text) ? text : null;
}

/**
 * An order's own last-modified time; `undefined` when the shop sent none, `null` when it sent
 * something that is not a date. WooCommerce's `_gmt` fields carry no zone: they are UTC.
 */
function shopTimestamp(
    value: string | null | undefined,
    assumeUtc = false,
): Date | null | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    const zoned = assumeUtc && !/(z|[+-]\d\d:?\d\d)$/i.test(value) ? `${value}Z` : value;
    const time = Date.parse(zoned);
    return Number.isNaN(time) ? null : new Date(time);
}

const truthyHeader = (value: string | undefined) =>
    value !== undefined && ["1", "true", "yes"].includes(value.trim().toLowerCase());

// ---------------------------------------------------------------- Shopify

const ShopifyOrder = T.Object({
    id: numericId,
    financial_status: T.Optional(T.Union([T.String(), T.Null()])),
    total_price: decimalString,
    currency: T.String({ maxLength: 4 }),
    test: T.Optional(T.Union([T.Boolean(), T.Null()])),
    customer: T.Optional(T.Union([T.Object({ id: numericId }), T.Null()])),
    token: T.String(),
    checkout_token: T.Optional(T.Union([T.String(), T.Null()])),
    updated_at: T.Optional(T.Union([T.String({ maxLength: 64 }), T.Null()])),
    line_items: T.Array(
        T.Object({
            id: T.Optional(numericId),
            product_id: T.Optional(T.Union([numericId, T.Null()])),
            quantity: T.Integer({ minimum: 0 }),
            price: decimalString,
            name: T.String(),
            title: T.String(),
        }),
    ),
});
const checkShopifyOrder = checker(ShopifyOrder);

const shopifyStatus = (financialStatus: string | null | undefined): PurchaseStatus => {
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
    const json = parseJson(ctx.body);
    if (!json.ok) return { kind: "unprocessable", reason: "invalid_json" };
    const checked = checkShopifyOrder(json.value);
    if (!checked.ok) return { kind: "unprocessable", reason: `invalid_order: ${checked.error}` };
    const order = checked.value;
    // JSON numbers lose precision past 2^53; the header carries the exact id, so compare the
    // two as parsed numbers and derive the purchase id from the exact header digits.
    if (order.id !== Number(headerOrderId)) {
        return { kind: "unprocessable", reason: "order_id_mismatch: Order id mismatch" };
    }
    const updatedAt = shopTimestamp(order.updated_at);
    if (updatedAt === null) {
        return { kind: "unprocessable", reason: "invalid_order: /updated_at: not a date" };
    }
    const headerTest = headers["x-shopify-test"];
    const isTest = headerTest === undefined ? false : truthyHeader(headerTest);
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
            status: shopifyStatus(order.financial_status),
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

// ---------------------------------------------------------------- WooCommerce

const WooOrder = T.Object({
    id: numericId,
    status: T.String(),
    total: decimalString,
    currency: T.String({ maxLength: 4 }),
    customer_id: T.Optional(T.Union([numericId, T.Null()])),
    order_key: T.Optional(T.Union([T.String(), T.Null()])),
    transaction_id: T.Optional(T.Union([T.String(), T.Null()])),
    date_modified_gmt: T.Optional(T.Union([T.String({ maxLength: 64 }), T.Null()])),
    line_items: T.Array(
        T.Object({
            product_id: numericId,
            quantity: T.Integer({ minimum: 0 }),
            price: T.Union([T.Number(), decimalString]),
            name: T.String(),
            image: T.Optional(
                T.Union([T.Object({ src: T.Optional(T.Union([T.String(), T.Null()])) }), T.Null()]),
            ),
        }),
    ),
});
const checkWooOrder = checker(WooOrder);

const wooStatus = (status: string): PurchaseStatus => {
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
    const json = parseJson(ctx.body);
    if (!json.ok) return { kind: "unprocessable", reason: "invalid_json" };
    const checked = checkWooOrder(json.value);
    if (!checked.ok) return { kind: "unprocessable", reason: `invalid_order: ${checked.error}` };
    const order = checked.value;
    const updatedAt = shopTimestamp(order.date_modified_gmt, true);
    if (updatedAt === null) {
        return { kind: "unprocessable", reason: "invalid_order: /date_modified_gmt: not a date" };
    }
    const items: OrderItem[] = [];
    for (const item of order.line_items) {
        const price = decimalOf(item.price);
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
            status: wooStatus(order.status),
            sourceUpdatedAt: updatedAt ?? null,
            items,
        },
    };
}

// ---------------------------------------------------------------- Custom

const CustomOrder = T.Object({
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
    totalPrice: T.Optional(decimalString),
    /** ISO 8601: when the order last changed; an older state than the stored one is ignored. */
    updatedAt: T.Optional(T.String({ maxLength: 64 })),
    items: T.Optional(
        T.Array(
            T.Object({
                productId: T.String(),
                quantity: T.Integer({ minimum: 0 }),
                price: decimalString,
                name: T.String(),
                title: T.String(),
                image: T.Optional(T.String()),
            }),
        ),
    ),
});
const checkCustomOrder = checker(CustomOrder);

export function parseCustomDelivery(ctx: DeliveryContext): ParsedDelivery {
    const json = parseJson(ctx.body);
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
    if (ctx.isRunningInProd && truthyHeader(ctx.headers["x-test"])) {
        return {
            kind: "unprocessable",
            reason: "test_in_production: Test webhooks aren't accepted in production",
        };
    }
    const order = checked.value;
    const updatedAt = shopTimestamp(order.updatedAt);
    if (updatedAt === null) {
        return {
            kind: "rejected",
            code: "validation",
            message: "Invalid body /updatedAt: expected an ISO 8601 date",
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
