import { Elysia, t } from "elysia";
import type { Hex } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import { readBodyWithin } from "../../../infrastructure/http";
import { isDatabaseUnavailable } from "../../../infrastructure/persistence";
import { HexSchema } from "../../../utils/schemas";
import type { WebhookIngestService, WebhookPlatform } from "../services/webhook-ingest-service";

const ProductIdParamsSchema = t.Object({ productId: HexSchema });

const optional = (description: string) => t.Optional(t.String({ description }));

const headersOf = {
    shopify: t.Object(
        {
            "x-shopify-hmac-sha256": optional("base64 HMAC-SHA256 of the raw body"),
            "x-shopify-topic": optional("orders/..."),
            "x-shopify-order-id": optional("Order id (exact digits)"),
            "x-shopify-test": optional("true for test orders; absent means false"),
            "x-shopify-api-version": optional("API version"),
            "x-shopify-webhook-id": optional("Delivery id (idempotency)"),
        },
        { additionalProperties: true },
    ),
    woocommerce: t.Object(
        {
            "x-wc-webhook-signature": optional("base64 HMAC-SHA256 of the raw body"),
            "x-wc-webhook-resource": optional("order"),
        },
        { additionalProperties: true },
    ),
    custom: t.Object(
        {
            "x-hmac-sha256": optional("base64 HMAC-SHA256 of the raw body"),
            "webhook-id": optional("Standard Webhooks delivery id (idempotency)"),
            "webhook-timestamp": optional("Standard Webhooks unix seconds (5 minutes window)"),
            "webhook-signature": optional("Standard Webhooks `v1,<base64>` list"),
            "x-test": optional("Test delivery (refused in production)"),
        },
        { additionalProperties: true },
    ),
} as const;

const UnprocessedSchema = t.Object({
    accepted: t.Literal(true),
    processed: t.Literal(false),
    reason: t.String(),
});

/**
 * `POST /ext/products/:productId/webhook/oracle/{shopify,woocommerce,custom}`. The
 * body is read as raw bytes (`parse: "none"`): the HMAC covers the exact bytes the shop sent. It
 * is read only once the product's oracle is known, and at most `maxBodyBytes` of it (413).
 * 200 `ok` once committed (redeliveries included); 200 `{accepted, processed: false}` for a
 * verified payload we cannot use; 401 bad signature; 404 no oracle; 503 database down.
 */
export function oracleWebhookRoutes(
    service: WebhookIngestService,
    /** Largest order payload accepted (shops send orders with thousands of lines). */
    maxBodyBytes: number,
    /** Counts each delivery's outcome (metrics), including refusals and failures. */
    recordOutcome: (platform: WebhookPlatform, outcome: string) => void = () => {},
) {
    const handler =
        (platform: WebhookPlatform) =>
        async ({
            params,
            headers,
            request,
        }: {
            params: { productId: string };
            headers: Record<string, string | undefined>;
            request: Request;
        }) => {
            let result: Awaited<ReturnType<WebhookIngestService["ingest"]>>;
            try {
                result = await service.ingest({
                    platform,
                    productId: params.productId as Hex,
                    headers,
                    readBody: () => readBodyWithin(request, maxBodyBytes),
                });
            } catch (error) {
                recordOutcome(platform, outcomeOfError(error));
                throw error;
            }
            recordOutcome(platform, result.outcome);
            if (result.outcome === "unprocessable") {
                return {
                    accepted: true as const,
                    processed: false as const,
                    reason: result.reason,
                };
            }
            return "ok";
        };
    const options = (platform: WebhookPlatform, summary: string) => ({
        parse: "none" as const,
        params: ProductIdParamsSchema,
        headers: headersOf[platform],
        response: { 200: t.Union([t.Literal("ok"), UnprocessedSchema]) },
        detail: { summary, tags: ["oracle"] },
    });
    return new Elysia({ name: "oracle-webhooks" })
        .post(
            "/ext/products/:productId/webhook/oracle/shopify",
            handler("shopify"),
            options("shopify", "Shopify order webhook (orders/*)"),
        )
        .post(
            "/ext/products/:productId/webhook/oracle/woocommerce",
            handler("woocommerce"),
            options("woocommerce", "WooCommerce order webhook"),
        )
        .post(
            "/ext/products/:productId/webhook/oracle/custom",
            handler("custom"),
            options("custom", "Merchant's own order webhook (x-hmac-sha256 or Standard Webhooks)"),
        );
}

function outcomeOfError(error: unknown): string {
    if (error instanceof ApiError) {
        if (error.status === 401) return "refused_signature";
        if (error.status === 404) return "unknown_oracle";
        return "rejected";
    }
    return isDatabaseUnavailable(error) ? "unavailable" : "failed";
}
