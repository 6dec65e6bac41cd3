import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
} from "../../src/infrastructure/blockchain";
import { jsonHeaders, readJson } from "../support/test-app";
import { type OracleFixture, sendShopify, shopifyOrder, startOracleFixture } from "./helpers";

let f: OracleFixture;
let strangerToken: string;

const call = (path: string, token?: string, body?: unknown) =>
    f.app.request(`/business/product/${f.productId}/oracleWebhook/${path}`, {
        method: path === "status" ? "GET" : "POST",
        headers: { ...jsonHeaders, ...(token ? { "x-business-auth": token } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
    });

beforeAll(async () => {
    f = await startOracleFixture({ platform: "shopify" });
    const stranger = privateKeyToAccount(generatePrivateKey());
    strangerToken = (await f.app.infra.tokens.signBusiness(stranger.address)).token;
    await sendShopify(f, shopifyOrder(1, "paid"));
}, 60_000);
afterAll(async () => {
    await f?.app.stop();
}, 30_000);

describe("oracleWebhook setup / status / delete", () => {
    test("status: key and stats only for owner/admin/oracle updater; redacted otherwise", async () => {
        const owner = await readJson(await call("status", f.ownerToken));
        expect(owner).toMatchObject({
            setup: true,
            platform: "shopify",
            webhookSigninKey: f.secret,
        });
        expect(owner.stats.totalPurchaseHandled).toBe(1);
        for (const token of [undefined, strangerToken]) {
            const other = await readJson(await call("status", token));
            expect(other).toEqual({
                setup: true,
                platform: "shopify",
                webhookSigninKey: "redacted",
            });
        }
    });

    test("setup and delete need a session (401) and the role (401)", async () => {
        const body = { hookSignatureKey: "k2", platform: "woocommerce" };
        expect((await call("setup", undefined, body)).status).toBe(401);
        expect((await call("setup", strangerToken, body)).status).toBe(401);
        expect((await call("delete", strangerToken)).status).toBe(401);
        expect((await call("setup", f.ownerToken, { ...body, platform: "magento" })).status).toBe(
            422,
        );
    });

    test("a purchaseOracleUpdater granted on-chain may change the oracle", async () => {
        const updater = privateKeyToAccount(generatePrivateKey());
        const updaterToken = (await f.app.infra.tokens.signBusiness(updater.address)).token;
        const body = { hookSignatureKey: f.secret, platform: "shopify" };
        expect((await call("setup", updaterToken, body)).status).toBe(401);
        const { chain } = f.app.infra;
        await chain.clients.publicClient.request({
            method: "anvil_setBalance",
            params: [f.owner.address, "0x56bc75e2d63100000"],
        } as never);
        const hash = await chain.clients.walletClient(f.owner).writeContract({
            address: chain.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "grantRoles",
            args: [BigInt(f.productId), updater.address, PRODUCT_ROLES.purchaseOracleUpdater],
        });
        await chain.clients.waitForReceipt(hash);
        // The 401 above was cached for 60 s: a dashboard that just granted a role invalidates it.
        f.app.infra.productRoles.invalidate(f.productId, updater.address);
        expect((await call("setup", updaterToken, body)).status).toBe(200);
        const status = await readJson(await call("status", updaterToken));
        expect(status.webhookSigninKey).toBe(f.secret);
    });

    test("delete disables (webhooks 404, purchases kept); setup again re-enables with history", async () => {
        expect((await call("delete", f.ownerToken)).status).toBe(200);
        expect(await readJson(await call("status", f.ownerToken))).toEqual({ setup: false });
        expect((await sendShopify(f, shopifyOrder(2, "paid"))).status).toBe(404);
        const again = await call("delete", f.ownerToken);
        expect(again.status).toBe(404);
        expect((await readJson(again)).message).toBe(
            `Product ${f.productId} have no current oracle setup`,
        );

        expect(
            (await call("setup", f.ownerToken, { hookSignatureKey: f.secret, platform: "shopify" }))
                .status,
        ).toBe(200);
        const status = await readJson(await call("status", f.ownerToken));
        expect(status.stats.totalPurchaseHandled).toBe(1);
        expect((await sendShopify(f, shopifyOrder(2, "paid"))).status).toBe(200);
    });
});
