import type { Hex } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Logger } from "../../../infrastructure/logger";
import { type Database, isDatabaseUnavailable } from "../../../infrastructure/persistence";
import { verifyBodyHmac } from "../../../utils/body-hmac";
import { canonicalProductId } from "../../../utils/product-id";
import { bodyDeliveryKey, verifyMerchantWebhook } from "../../../utils/standard-webhooks";
import type { InboxEntry, InboxRepository } from "../repositories/inbox-repository";
import type { OracleRepository, OracleRow } from "../repositories/oracle-repository";
import type { PurchaseRepository } from "../repositories/purchase-repository";
import { parseCustomDelivery } from "./custom-order-payload";
import type { DeliveryContext, ParsedDelivery } from "./order-payloads";
import { purchaseIdOf } from "./purchase-id";
import { parseShopifyDelivery } from "./shopify-order-payload";
import { parseWooCommerceDelivery } from "./woocommerce-order-payload";

export type WebhookPlatform = "shopify" | "woocommerce" | "custom";

export type Delivery = {
    platform: WebhookPlatform;
    productId: Hex;
    /** Lower-case header names. */
    headers: Record<string, string | undefined>;
    body: Uint8Array;
};

/** A delivery as it arrives: its body is read only once the product's oracle is known. */
export type IncomingDelivery = Omit<Delivery, "body"> & { readBody(): Promise<Uint8Array> };

export type IngestResult =
    | { outcome: "processed"; purchaseId: Hex }
    | { outcome: "duplicate" }
    | { outcome: "stale"; purchaseId: Hex }
    | { outcome: "unprocessable"; reason: string };

/** Headers worth keeping with a delivery (signatures included: the inbox is for replays). */
const KEPT_HEADER =
    /^(x-shopify-|x-wc-webhook-|webhook-|x-hmac-sha256$|x-test$|content-type$|user-agent$)/;

const parsers: Record<WebhookPlatform, (ctx: DeliveryContext) => ParsedDelivery> = {
    shopify: parseShopifyDelivery,
    woocommerce: parseWooCommerceDelivery,
    custom: parseCustomDelivery,
};

/**
 * Oracle webhooks: verify (constant-time HMAC, or Standard Webhooks on custom), then persist the
 * raw delivery and its effect in one transaction, then acknowledge. Heavy work (tree, chain)
 * is left to the root job.
 */
export class WebhookIngestService {
    constructor(
        private readonly deps: {
            db: Database;
            oracles: OracleRepository;
            purchases: PurchaseRepository;
            inbox: InboxRepository;
            logger: Logger;
            isRunningInProd: boolean;
            shopifyApiSecret: string | undefined;
            /** Called after a committed order (wakes the root job when a tracker waits). */
            onOrderCommitted: (productId: Hex, externalPurchaseId: string) => void;
        },
    ) {}

    async ingest(incoming: IncomingDelivery): Promise<IngestResult> {
        const productId = canonicalProductId(incoming.productId);
        const oracle = productId ? await this.deps.oracles.findByProductId(productId) : undefined;
        if (!productId || !oracle?.enabled) {
            throw new ApiError("oracle_not_found", "Product oracle not found");
        }
        // Only now: uploads to an unknown product are refused without being read.
        const delivery: Delivery = { ...incoming, body: await incoming.readBody() };
        const signed = this.verifySignature(oracle, delivery);
        if (!signed.ok) {
            this.deps.logger.warn(
                { productId, platform: delivery.platform, reason: signed.reason },
                "oracle webhook signature refused",
            );
            throw new ApiError("invalid_signature", "Invalid webhook signature");
        }

        const parsed = parsers[delivery.platform]({
            headers: delivery.headers,
            body: delivery.body,
            isRunningInProd: this.deps.isRunningInProd,
        });
        const entry: InboxEntry = {
            oracleId: oracle.id,
            platform: delivery.platform,
            deliveryKey: signed.deliveryKey,
            headers: keptHeaders(delivery.headers),
            body: delivery.body,
            outcome: "processed",
            reason: null,
            purchaseId: null,
        };

        if (parsed.kind === "rejected") {
            // Kept for the operator, without its delivery key: the sender may fix and resend it.
            await this.deps.db.transaction((tx) =>
                this.deps.inbox.record(tx, {
                    ...entry,
                    deliveryKey: null,
                    outcome: "rejected",
                    reason: `${parsed.code}: ${parsed.message}`,
                }),
            );
            throw new ApiError(parsed.code, parsed.message);
        }
        if (parsed.kind === "unprocessable") {
            return this.recordUnprocessable({
                ...entry,
                outcome: "unprocessable",
                reason: parsed.reason,
            });
        }

        const purchaseId = purchaseIdOf(productId, parsed.order.orderId);
        try {
            const outcome = await this.deps.db.transaction(async (tx) => {
                const recorded = await this.deps.inbox.record(tx, { ...entry, purchaseId });
                if (recorded === null) return "duplicate" as const;
                const upsert = await this.deps.purchases.upsertOrder(tx, {
                    oracleId: oracle.id,
                    purchaseId,
                    order: parsed.order,
                });
                // Kept for the operator, answered 200: the shop has nothing to fix or resend.
                if (upsert === "stale") await this.deps.inbox.markStale(tx, recorded);
                return upsert;
            });
            if (outcome === "duplicate") return { outcome: "duplicate" };
            if (outcome === "stale") return { outcome: "stale", purchaseId };
        } catch (error) {
            if (isDatabaseUnavailable(error)) throw error;
            // A payload the database refuses (e.g. a token already used by another order):
            // keep it for an operator rather than make the shop retry it forever.
            this.deps.logger.warn(
                { err: error, productId, purchaseId },
                "oracle webhook not processable",
            );
            return this.recordUnprocessable({
                ...entry,
                outcome: "unprocessable",
                // Never the error's text: it holds the SQL and its bound parameters (keys, emails,
                // order tokens), and this reason is sent back to the shop.
                reason: "processing_failed",
                purchaseId,
            });
        }
        this.deps.onOrderCommitted(productId, String(parsed.order.orderId));
        return { outcome: "processed", purchaseId };
    }

    private async recordUnprocessable(
        entry: InboxEntry & { reason: string },
    ): Promise<IngestResult> {
        const recorded = await this.deps.db.transaction((tx) => this.deps.inbox.record(tx, entry));
        return recorded !== null
            ? { outcome: "unprocessable", reason: entry.reason }
            : { outcome: "duplicate" };
    }

    private verifySignature(
        oracle: OracleRow,
        delivery: Delivery,
    ): { ok: true; deliveryKey: string } | { ok: false; reason: string } {
        const { headers, body } = delivery;
        switch (delivery.platform) {
            case "shopify": {
                const key =
                    oracle.hookSignatureKey === "SHOPIFY_SECRET"
                        ? this.deps.shopifyApiSecret
                        : oracle.hookSignatureKey;
                if (!key) return { ok: false, reason: "shopify_api_secret_not_configured" };
                if (!verifyBodyHmac(utf8(key), body, headers["x-shopify-hmac-sha256"])) {
                    return { ok: false, reason: "hmac_mismatch" };
                }
                // Keyed on the signed bytes, not X-Shopify-Webhook-Id: the HMAC does not cover
                // the id, so a captured body replayed under a new id must still be a duplicate.
                return { ok: true, deliveryKey: bodyDeliveryKey(body) };
            }
            case "woocommerce": {
                if (
                    !verifyBodyHmac(
                        utf8(oracle.hookSignatureKey),
                        body,
                        headers["x-wc-webhook-signature"],
                    )
                ) {
                    return { ok: false, reason: "hmac_mismatch" };
                }
                return { ok: true, deliveryKey: bodyDeliveryKey(body) };
            }
            case "custom":
                return verifyMerchantWebhook(oracle.hookSignatureKey, body, {
                    hmac: headers["x-hmac-sha256"],
                    standard: {
                        id: headers["webhook-id"],
                        timestamp: headers["webhook-timestamp"],
                        signature: headers["webhook-signature"],
                    },
                });
        }
    }
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function keptHeaders(headers: Record<string, string | undefined>): Record<string, string> {
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined && KEPT_HEADER.test(name)) kept[name] = value;
    }
    return kept;
}
