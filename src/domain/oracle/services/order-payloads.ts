import { type Static, Type as T, type TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { OrderItem, OrderUpsert } from "../repositories/purchase-repository";

export type { OrderItem, OrderUpsert };

/*
 * One parser per platform turns a verified webhook delivery into an order to upsert
 * (shopify-order-payload.ts, woocommerce-order-payload.ts, custom-order-payload.ts); what the
 * three share is here.
 */

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

export const DECIMAL_PATTERN = /^-?\d{1,30}(\.\d{1,18})?$/;
export const DecimalStringSchema = T.String({ pattern: DECIMAL_PATTERN.source });
export const NumericIdSchema = T.Integer({ minimum: 0 });

export function parseJsonBody(body: Uint8Array): { ok: true; value: unknown } | { ok: false } {
    try {
        return {
            ok: true,
            value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)),
        };
    } catch {
        return { ok: false };
    }
}

export function compileChecker<S extends TSchema>(schema: S) {
    const compiled = TypeCompiler.Compile(schema);
    return (value: unknown): { ok: true; value: Static<S> } | { ok: false; error: string } => {
        if (compiled.Check(value)) return { ok: true, value };
        const first = compiled.Errors(value).First();
        return { ok: false, error: `${first?.path || "/"}: ${first?.message ?? "invalid"}` };
    };
}

/** Numbers become decimal strings without float noise (12.5 -> "12.5"). */
export function toDecimalString(value: number | string): string | null {
    const text = typeof value === "number" ? String(value) : value;
    return DECIMAL_PATTERN.test(text) ? text : null;
}

/** How far ahead of our clock a shop's last-modified time may be (skew, not a typo). */
const maxShopClockLeadMs = 24 * 3_600_000;

/**
 * An order's own last-modified time; `undefined` when the shop sent none, `null` when it sent
 * something that is not a date, or a date more than a day ahead (stored, it would make every
 * later real update of the order, a refund included, look older: the order would be frozen).
 * WooCommerce's `_gmt` fields carry no zone: they are UTC.
 */
export function parseShopTimestamp(
    value: string | null | undefined,
    assumeUtc = false,
): Date | null | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    const zoned = assumeUtc && !/(z|[+-]\d\d:?\d\d)$/i.test(value) ? `${value}Z` : value;
    const time = Date.parse(zoned);
    if (Number.isNaN(time) || time > Date.now() + maxShopClockLeadMs) return null;
    return new Date(time);
}

export const isTruthyHeader = (value: string | undefined) =>
    value !== undefined && ["1", "true", "yes"].includes(value.trim().toLowerCase());
