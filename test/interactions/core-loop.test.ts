import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { getAddress, type Hex, parseEther, parseEventLogs } from "viem";
import {
    interactionsPurchaseTrackerTable,
    interactionsPushedTable,
} from "../../src/domain/interactions/db/schema";
import {
    campaignBankAbi,
    encodeReferralCreateLink,
    encodeReferralReferred,
    INTERACTION_TYPE,
    productInteractionAbi,
} from "../../src/infrastructure/blockchain";
import { jsonHeaders, startTestApp, type TestApp } from "../support/test-app";
import {
    attachReferralCampaign,
    mintTestProduct,
    sdkHeaders,
    type TestProduct,
    walletWithSession,
} from "./helpers";

let t: TestApp;
let product: TestProduct;
let bank: Hex;
const SHOP_SECRET = "shopify-shop-secret-0123";

beforeAll(async () => {
    // A root as soon as one order is pending (trackers carry no product id, see context.ts).
    t = await startTestApp();
    const usde = t.infra.chain.deployment.tokens.usde;
    product = await mintTestProduct(t.infra.chain, [usde]);
    ({ bank } = await attachReferralCampaign(t.infra.chain, product, usde, {
        referrer: parseEther("10"),
        referee: parseEther("5"),
        funding: parseEther("100"),
    }));
}, 90_000);
afterAll(() => t?.stop());

const pipeline = async () => {
    await t.domains.interactions.jobs.simulate.runNow();
    await t.domains.interactions.jobs.execute.runNow();
};

describe("core loop on anvil: referral, Shopify purchase, proof, rewards", () => {
    test("referrer and referee are rewarded on-chain for a proven purchase", async () => {
        const { tokens } = t.infra;
        // 1. The merchant sets up the oracle webhook (SIWE session of the product owner).
        const owner = await tokens.signBusiness(product.owner.address);
        const setup = await t.request(
            `/business/product/${product.productIdHex}/oracleWebhook/setup`,
            {
                method: "POST",
                headers: { ...jsonHeaders, "x-business-auth": owner.token },
                body: JSON.stringify({ hookSignatureKey: SHOP_SECRET, platform: "shopify" }),
            },
        );
        expect(setup.status).toBe(200);

        // 2. The SDK pushes the referral link and the referred user.
        const referrer = await walletWithSession(t.infra.chain);
        const referee = await walletWithSession(t.infra.chain);
        const push = async (wallet: Hex, data: Hex) => {
            const { token } = await tokens.signSdk(getAddress(wallet));
            const response = await t.request("/wallet/interactions/push", {
                method: "POST",
                headers: sdkHeaders(token),
                body: JSON.stringify({
                    interactions: [
                        {
                            wallet,
                            productId: product.productIdHex,
                            interaction: { handlerTypeDenominator: "0x1e", interactionData: data },
                        },
                    ],
                }),
            });
            expect(response.status).toBe(200);
        };
        await push(referrer.address, encodeReferralCreateLink());
        await push(referee.address, encodeReferralReferred(referrer.address));
        await pipeline();
        const referrerOf = await t.infra.chain.clients.publicClient.readContract({
            address: product.interactionContract,
            abi: productInteractionAbi,
            functionName: "referrerOf",
            args: [referee.address],
        });
        expect(referrerOf).toBe(referrer.address);

        // 3. The referee buys: Shopify's webhook reaches the oracle, the SDK links the order.
        const order = {
            id: 450789469,
            financial_status: "paid",
            total_price: "40.00",
            currency: "EUR",
            test: false,
            customer: { id: 207119551 },
            checkout_token: "chk-core-loop",
            token: "tok-core-loop",
            line_items: [
                { id: 1, product_id: 2, quantity: 1, price: "40.00", name: "Shoe", title: "Shoe" },
            ],
        };
        const body = JSON.stringify(order);
        const webhook = await t.request(
            `/ext/products/${product.productIdHex}/webhook/oracle/shopify`,
            {
                method: "POST",
                headers: {
                    "content-type": "application/json",
                    "x-shopify-topic": "orders/paid",
                    "x-shopify-order-id": String(order.id),
                    "x-shopify-api-version": "2025-01",
                    "x-shopify-hmac-sha256": createHmac("sha256", SHOP_SECRET)
                        .update(body)
                        .digest("base64"),
                },
                body,
            },
        );
        expect(webhook.status).toBe(200);
        const { token: sdk } = await tokens.signSdk(referee.address);
        const listen = await t.request("/wallet/interactions/listenForPurchase", {
            method: "POST",
            headers: sdkHeaders(sdk),
            body: JSON.stringify({
                customerId: 207119551,
                orderId: order.id,
                token: "chk-core-loop",
            }),
        });
        expect(listen.status).toBe(200);

        // 4. The oracle pushes its root; the tracker turns the proven purchase into an interaction.
        await t.domains.oracle.jobs.updateMerkleRoot.runNow();
        await t.domains.flows.purchaseProofs.jobs.purchaseTracker.runNow();
        const [tracker] = await t.infra.database.db.select().from(interactionsPurchaseTrackerTable);
        expect(tracker?.pushed).toBe(true);
        await pipeline();

        // 5. purchase.completed is on-chain with its proof, and the campaign paid both wallets.
        const [pushed] = await t.infra.database.db
            .select()
            .from(interactionsPushedTable)
            .where(eq(interactionsPushedTable.interactionId, tracker?.interactionId as Hex));
        expect(pushed?.interactionData.startsWith(INTERACTION_TYPE.purchaseCompleted)).toBe(true);
        const receipt = await t.infra.chain.clients.publicClient.getTransactionReceipt({
            hash: pushed?.txHash as Hex,
        });
        const events = parseEventLogs({ abi: productInteractionAbi, logs: receipt.logs });
        expect(events.some((e) => e.eventName === "PurchaseCompleted")).toBe(true);
        const claimable = (wallet: Hex) =>
            t.infra.chain.clients.publicClient.readContract({
                address: bank,
                abi: campaignBankAbi,
                functionName: "claimableOf",
                args: [wallet, t.infra.chain.deployment.tokens.usde],
            });
        expect(await claimable(referrer.address)).toBe(parseEther("10"));
        expect(await claimable(referee.address)).toBe(parseEther("5"));
    }, 120_000);
});
