import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { getAddress, type Hex } from "viem";
import {
    interactionBatchesTable,
    interactionsArchivedTable,
    interactionsPendingTable,
    interactionsPushedTable,
} from "../../src/domain/interactions/db/schema";
import {
    encodeReferralCreateLink,
    encodeReferralReferred,
} from "../../src/infrastructure/blockchain";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import {
    handledEvents,
    mintTestProduct,
    retriesComeSooner,
    sdkHeaders,
    type TestProduct,
    walletWithSession,
} from "./helpers";

let t: TestApp;
let product: TestProduct;

const push = async (wallet: Hex, items: Array<{ data: Hex; productId?: Hex }>) => {
    const { token } = await t.infra.tokens.signSdk(getAddress(wallet));
    return t.request("/wallet/interactions/push", {
        method: "POST",
        headers: sdkHeaders(token),
        body: JSON.stringify({
            interactions: items.map((item) => ({
                wallet,
                productId: item.productId ?? product.productIdHex,
                interaction: { handlerTypeDenominator: "0x1e", interactionData: item.data },
            })),
        }),
    });
};

const pendingRows = () => t.infra.database.db.select().from(interactionsPendingTable);
const pushedRows = () => t.infra.database.db.select().from(interactionsPushedTable);
const runPipeline = async () => {
    await t.domains.interactions.jobs.simulate.runNow();
    await t.domains.interactions.jobs.execute.runNow();
};

beforeAll(async () => {
    t = await startTestApp();
    product = await mintTestProduct(t.infra.chain);
}, 60_000);
afterAll(() => t?.stop());

describe("pipeline: push -> simulate -> sign -> batch on-chain -> pushed", () => {
    test("interactions of a wallet with a session are pushed once, with the receipt's tx hash", async () => {
        const referrer = await walletWithSession(t.infra.chain);
        const referee = await walletWithSession(t.infra.chain);
        const r1 = await push(referrer.address, [{ data: encodeReferralCreateLink() }]);
        expect(r1.status).toBe(200);
        const ids = await readJson(r1);
        expect(ids).toHaveLength(1);
        expect(typeof ids[0]).toBe("string");
        const r2 = await push(referee.address, [
            { data: encodeReferralReferred(referrer.address) },
        ]);
        expect(r2.status).toBe(200);

        await runPipeline();

        expect(await pendingRows()).toHaveLength(0);
        const pushed = await pushedRows();
        expect(pushed).toHaveLength(2);
        const events = await handledEvents(t.infra.chain, product.interactionContract);
        // On-chain ids are the product's sequential ids, one per pushed row.
        expect(events.map((e) => e.id).sort()).toEqual(
            pushed.map((row) => row.sequence as bigint).sort(),
        );
        for (const row of pushed) {
            const receipt = await t.infra.chain.clients.publicClient.getTransactionReceipt({
                hash: row.txHash,
            });
            expect(receipt.status).toBe("success");
            expect(receipt.blockNumber).toBe(row.blockNumber);
        }
        const [batch] = await t.infra.database.db.select().from(interactionBatchesTable);
        expect(batch?.status).toBe("completed");
        // The audience read API sees them.
        expect(
            (
                await t.domains.interactions.audience.walletsInteractedWith([product.productIdHex])
            ).sort(),
        ).toEqual([referrer.address, referee.address].sort());
    });

    test("no session: no_session with the seed's 12 h backoff; nothing sent", async () => {
        const { privateKeyToAccount, generatePrivateKey } = await import("viem/accounts");
        const stranger = privateKeyToAccount(generatePrivateKey());
        expect((await push(stranger.address, [{ data: encodeReferralCreateLink() }])).status).toBe(
            200,
        );
        const before = Date.now();
        await runPipeline();
        const [row] = await pendingRows();
        expect(row?.status).toBe("no_session");
        expect(row?.retryCount).toBe(1);
        expect(row?.failureReason).toBe("Wallet has no active session");
        const delay = (row?.nextRetryAt?.getTime() ?? 0) - before;
        expect(delay).toBeGreaterThan(12 * 3_600_000 - 60_000);
        expect(delay).toBeLessThan(12 * 3_600_000 + 60_000);

        // Due retries go back to pending; past the limit (30) they are archived.
        const { retry, simulate } = t.domains.interactions.jobs;
        const db = t.infra.database.db;
        await retriesComeSooner(db, 13);
        expect(await retry.runNow()).toEqual({ resimulate: 1, resend: 0, archived: 0 });
        // The retry woke the simulation: let it finish before the row is rewritten below.
        await simulate.runNow();
        await db
            .update(interactionsPendingTable)
            .set({ status: "no_session", retryCount: 31, nextRetryAt: new Date(0) })
            .where(eq(interactionsPendingTable.interactionId, row?.interactionId as Hex));
        expect(await retry.runNow()).toEqual({ resimulate: 0, resend: 0, archived: 1 });
        const [archived] = await db.select().from(interactionsArchivedTable);
        expect(archived?.archiveReason).toBe("max_retries");
        expect(archived?.finalStatus).toBe("no_session");
        expect(await pendingRows()).toHaveLength(0);
    });

    test("an item the contract would refuse fails in simulation (already referred)", async () => {
        const referrer = await walletWithSession(t.infra.chain);
        const other = await walletWithSession(t.infra.chain);
        const referee = await walletWithSession(t.infra.chain);
        await push(referee.address, [{ data: encodeReferralReferred(referrer.address) }]);
        await runPipeline();
        await push(referee.address, [{ data: encodeReferralReferred(other.address) }]);
        await runPipeline();
        const [row] = await pendingRows();
        expect(row?.status).toBe("failed");
        expect(row?.failureReason).toContain("AlreadyReferred");
        await t.infra.database.db.delete(interactionsPendingTable);
    });

    test("a batch with accepted and rejected items records each item's own outcome", async () => {
        const referrer = await walletWithSession(t.infra.chain);
        const a = await walletWithSession(t.infra.chain);
        const b = await walletWithSession(t.infra.chain);
        // Both pass simulation alone; on-chain the second referral of `a` in the same batch is
        // rejected (AlreadyReferred) while the others are accepted.
        await push(a.address, [
            { data: encodeReferralReferred(referrer.address) },
            { data: encodeReferralReferred(b.address) },
        ]);
        await push(b.address, [{ data: encodeReferralCreateLink() }]);
        const pushedBefore = (await pushedRows()).length;
        await runPipeline();
        expect((await pushedRows()).length - pushedBefore).toBe(2);
        const [rejected] = await pendingRows();
        expect(rejected?.status).toBe("failed");
        expect(rejected?.failureReason).toBe("Rejected on-chain: AlreadyReferred");
        await t.infra.database.db.delete(interactionsPendingTable);
    });

    test("products without an interaction contract are dropped from SDK pushes", async () => {
        const wallet = await walletWithSession(t.infra.chain);
        const response = await push(wallet.address, [
            { data: encodeReferralCreateLink(), productId: "0x1234" },
        ]);
        expect(response.status).toBe(200);
        expect(await readJson(response)).toEqual([]);
    });
});
