/** Fixtures of the oracle tests: a minted product with an oracle, and shop-signed deliveries. */
import { createHmac } from "node:crypto";
import type { Hex } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { requireCanonicalProductId } from "../../src/utils/product-id";
import { mintProduct } from "../support/mint-product";
import { standardWebhookHeaders } from "../support/standard-webhooks";
import { jsonHeaders, startTestApp, type TestApp } from "../support/test-app";

export type OracleFixture = {
    app: TestApp;
    owner: PrivateKeyAccount;
    productId: Hex;
    ownerToken: string;
    secret: string;
};

/** A test app, a product minted on its anvil (oracle-updater role granted) and its oracle. */
export async function startOracleFixture(
    options: {
        platform?: "shopify" | "woocommerce" | "custom";
        secret?: string;
        env?: Record<string, string>;
        app?: TestApp;
    } = {},
): Promise<OracleFixture> {
    const app = options.app ?? (await startTestApp({ env: options.env }));
    const owner = privateKeyToAccount(generatePrivateKey());
    const { chain } = app.infra;
    const domain = `shop-${crypto.randomUUID()}.example`;
    const minted = await mintProduct({
        clients: chain.clients,
        signers: chain.signers,
        deployment: chain.deployment,
        productTypes: 1n << 31n,
        name: "Oracle shop",
        domain,
        owner: owner.address,
    });
    const productId = requireCanonicalProductId(minted.productId);
    const { token: ownerToken } = await app.infra.tokens.signBusiness(owner.address);
    const secret = options.secret ?? "shop-secret-0123456789";
    const response = await app.request(`/business/product/${productId}/oracleWebhook/setup`, {
        method: "POST",
        headers: { ...jsonHeaders, "x-business-auth": ownerToken },
        body: JSON.stringify({ hookSignatureKey: secret, platform: options.platform ?? "shopify" }),
    });
    if (response.status !== 200)
        throw new Error(`oracle setup failed: ${response.status} ${await response.text()}`);
    return { app, owner, productId, ownerToken, secret };
}

export const hmacBase64 = (secret: string | Uint8Array, body: string | Uint8Array) =>
    createHmac("sha256", secret).update(body).digest("base64");

/** A Shopify order payload (the fields we use, plus noise as Shopify sends). */
export function shopifyOrder(
    id: number,
    financialStatus: string,
    extra: Record<string, unknown> = {},
) {
    return {
        id,
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        financial_status: financialStatus,
        total_price: "199.00",
        currency: "EUR",
        test: false,
        customer: { id: 115310627314, email: "john@example.com" },
        token: `tok-${id}`,
        checkout_token: `chk-${id}`,
        line_items: [
            {
                id: 866550311766,
                product_id: 632910392,
                quantity: 1,
                price: "199.00",
                name: "IPod Nano - 8GB",
                title: "IPod Nano",
            },
        ],
        ...extra,
    };
}

/** POST a Shopify delivery signed as Shopify signs it (base64 HMAC-SHA256 of the raw body). */
export function sendShopify(
    f: OracleFixture,
    order: { id: number } & Record<string, unknown>,
    options: { secret?: string; headers?: Record<string, string>; rawBody?: string } = {},
) {
    const body = options.rawBody ?? JSON.stringify(order);
    return f.app.request(`/ext/products/${f.productId}/webhook/oracle/shopify`, {
        method: "POST",
        headers: {
            "content-type": "application/json",
            "x-shopify-topic": "orders/updated",
            "x-shopify-order-id": String(order.id),
            "x-shopify-api-version": "2025-01",
            "x-shopify-hmac-sha256": hmacBase64(options.secret ?? f.secret, body),
            ...options.headers,
        },
        body,
    });
}

export function wooOrder(id: number, status: string) {
    return {
        id,
        status,
        total: "42.50",
        currency: "USD",
        customer_id: 7,
        order_key: `wc_order_${id}`,
        transaction_id: "",
        line_items: [
            {
                product_id: 93,
                quantity: 2,
                price: 21.25,
                name: "Hoodie",
                image: { src: "https://example.com/h.png" },
            },
        ],
    };
}

export function sendWoo(f: OracleFixture, order: ReturnType<typeof wooOrder>, secret = f.secret) {
    const body = JSON.stringify(order);
    return f.app.request(`/ext/products/${f.productId}/webhook/oracle/woocommerce`, {
        method: "POST",
        headers: {
            "content-type": "application/json",
            "x-wc-webhook-resource": "order",
            "x-wc-webhook-topic": "order.updated",
            "x-wc-webhook-signature": hmacBase64(secret, body),
        },
        body,
    });
}

/** Custom delivery with Standard Webhooks headers. */
export function sendStandardWebhook(
    f: OracleFixture,
    payload: unknown,
    options: { id?: string; timestamp?: number; secret?: string } = {},
) {
    const body = JSON.stringify(payload);
    return f.app.request(`/ext/products/${f.productId}/webhook/oracle/custom`, {
        method: "POST",
        headers: {
            "content-type": "application/json",
            ...standardWebhookHeaders(options.secret ?? f.secret, body, options),
        },
        body,
    });
}
