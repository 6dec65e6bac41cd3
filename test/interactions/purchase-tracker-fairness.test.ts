/**
 * Purchase trackers against junk: an attacker (or just abandoned checkouts) registers trackers
 * for orders that never come. A genuine buyer's tracker must still be pushed, every run must
 * visit it, and trackers whose purchase never came expire.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type Address, getAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { interactionsPurchaseTrackerTable } from "../../src/domain/interactions/db/schema";
import {
    type OracleFixture,
    sendShopify,
    shopifyOrder,
    startOracleFixture,
} from "../oracle/helpers";
import { eventually } from "../support/eventually";
import type { TestApp } from "../support/test-app";
import { sdkHeaders } from "./helpers";

let f: OracleFixture;
let app: TestApp;
const trackers = interactionsPurchaseTrackerTable;

beforeAll(async () => {
    // Per-wallet and per-IP quotas off: this suite is about the job, not the limits.
    f = await startOracleFixture({
        platform: "shopify",
        env: {
            ORACLE_UPDATE_THRESHOLD: "1",
            PURCHASE_TRACKER_TTL_DAYS: "30",
            RATE_LIMIT_PURCHASE_LISTEN: "0/60",
            RATE_LIMIT_PURCHASE_LISTEN_IP: "0/60",
        },
    });
    app = f.app;
}, 120_000);
afterAll(() => app?.stop());

async function listen(wallet: Address, order: { orderId: number | string; token: string }) {
    const { token } = await app.infra.tokens.signSdk(getAddress(wallet));
    const response = await app.request("/wallet/interactions/listenForPurchase", {
        method: "POST",
        headers: sdkHeaders(token),
        body: JSON.stringify({ customerId: 115310627314, ...order }),
    });
    expect(response.status).toBe(200);
}

const trackerOf = async (orderId: string) =>
    (
        await app.infra.database.db
            .select()
            .from(trackers)
            .where(eq(trackers.externalPurchaseId, orderId))
    )[0];

describe("purchase tracker fairness and expiry", () => {
    test("a genuine purchase is pushed with 1,000 junk trackers waiting ahead of it", async () => {
        // The attacker's 1,000 trackers come first (lower ids): a few through the public route,
        // the rest written in one statement to keep the suite light on a shared machine.
        const attacker = privateKeyToAccount(generatePrivateKey()).address;
        await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
                listen(attacker, { orderId: `junk-${i}`, token: "nope" }),
            ),
        );
        await app.infra.database.db.insert(trackers).values(
            Array.from({ length: 980 }, (_, i) => ({
                wallet: attacker.toLowerCase() as Hex,
                externalPurchaseId: `junk-${20 + i}`,
                externalCustomerId: "115310627314",
                token: "nope",
            })),
        );
        const buyer = privateKeyToAccount(generatePrivateKey()).address;
        expect((await sendShopify(f, shopifyOrder(7001, "paid"))).status).toBe(200);
        await listen(buyer, { orderId: 7001, token: "chk-7001" });
        await app.domains.oracle.jobs.updateMerkleRoot.runNow();

        // Listening wakes the job too: runNow waits for that run and runs once more.
        await app.domains.flows.purchaseProofs.jobs.purchaseTracker.runNow();
        expect((await trackerOf("7001"))?.pushed).toBe(true);
        expect((await trackerOf("junk-0"))?.pushed).toBe(false);
    }, 120_000);

    test("a tracker past its TTL is dropped instead of pushed, live ones stay", async () => {
        const buyer = privateKeyToAccount(generatePrivateKey()).address;
        expect((await sendShopify(f, shopifyOrder(7002, "paid"))).status).toBe(200);
        await listen(buyer, { orderId: 7002, token: "chk-7002" });
        await listen(buyer, { orderId: "junk-old", token: "nope" });
        // 31 days pass for those two (the TTL is 30 days).
        const old = new Date(Date.now() - 31 * 86_400_000);
        for (const orderId of ["7002", "junk-old"]) {
            await app.infra.database.db
                .update(trackers)
                .set({ createdAt: old })
                .where(eq(trackers.externalPurchaseId, orderId));
        }
        await app.domains.oracle.jobs.updateMerkleRoot.runNow();

        await app.domains.flows.purchaseProofs.jobs.purchaseTracker.runNow();
        expect(await trackerOf("7002")).toBeUndefined();
        expect(await trackerOf("junk-old")).toBeUndefined();
        expect((await trackerOf("junk-1"))?.pushed).toBe(false);
    }, 60_000);

    test("a webhook for an awaited order wakes the root job and the tracker: pushed without a manual run", async () => {
        const buyer = privateKeyToAccount(generatePrivateKey()).address;
        await listen(buyer, { orderId: 7003, token: "chk-7003" });
        const pending = app.domains.interactions.purchaseTrackers;
        expect(await pending.awaitsAnyOf(["7003"])).toBe(true);
        expect(await pending.awaitsAnyOf(["7004", "junk-old"])).toBe(false);
        expect((await sendShopify(f, shopifyOrder(7003, "paid"))).status).toBe(200);
        await eventually(async () => (await trackerOf("7003"))?.pushed === true, 20_000, 100);
    }, 60_000);
});
