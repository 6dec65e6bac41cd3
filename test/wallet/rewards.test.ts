import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { type Address, parseEther, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createWalletDomain } from "../../src/domain/wallet";
import {
    rewardBanksTable,
    rewardCampaignEventsTable,
    rewardEventsTable,
    rewardIndexCursorTable,
} from "../../src/domain/wallet/db/schema";
import { JobScheduler } from "../../src/infrastructure/jobs";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { claim, type Referral, setUpReferral, walletAuth } from "./helpers";

let app: TestApp;
let referral: Referral;

const get = async (path: string, wallet: Address) =>
    readJson(await app.request(path, { headers: await walletAuth(app, wallet) }));
const indexNow = () => app.domains.wallet.jobs.rewardIndex.runNow();
const eventCount = async () =>
    (await app.infra.database.db.select({ n: count() }).from(rewardEventsTable))[0]?.n;
const cursor = async () => (await app.infra.database.db.select().from(rewardIndexCursorTable))[0];

beforeAll(async () => {
    app = await startTestApp();
    referral = await setUpReferral(app.infra.chain, "rewards.example.com");
});
afterAll(async () => {
    await app?.stop();
});

describe("reward index and claimable rewards", () => {
    test("a referral paid by a campaign is claimable by referrer and referee", async () => {
        await referral.purchase(1001n);
        await indexNow();
        const db = app.infra.database.db;
        expect(await db.select().from(rewardBanksTable)).toHaveLength(1);
        const campaigns = await db.select().from(rewardCampaignEventsTable);
        expect(campaigns.map((c) => [c.campaign, c.allowed])).toEqual([
            [referral.campaign.toLowerCase() as Address, true],
        ]);

        const { usde } = app.infra.chain.deployment.tokens;
        const referrer = await get("/wallet/balance/claimable", referral.referrer.address);
        expect(referrer).toEqual({
            total: {
                amount: 10,
                usdAmount: 10,
                eurAmount: 8.5,
                gbpAmount: 7.5,
                priceAvailable: true,
            },
            claimables: [
                {
                    contract: referral.bank,
                    token: usde,
                    name: "Monerium USD emoney (test)",
                    symbol: "USDe",
                    decimals: 18,
                    rawBalance: toHex(parseEther("10")),
                    amount: 10,
                    usdAmount: 10,
                    eurAmount: 8.5,
                    gbpAmount: 7.5,
                    priceAvailable: true,
                },
            ],
        });
        const referee = await get("/wallet/balance/claimable", referral.referee.address);
        expect(referee.claimables.map((c: { amount: number }) => c.amount)).toEqual([5]);
    });

    test("zero claimable after the claim; the claim is indexed", async () => {
        await claim(app.infra.chain, referral.referee, referral.bank);
        const after = await get("/wallet/balance/claimable", referral.referee.address);
        expect(after).toEqual({
            total: { amount: 0, usdAmount: 0, eurAmount: 0, gbpAmount: 0, priceAvailable: true },
            claimables: [],
        });
        await indexNow();
        const claimed = await app.infra.database.db
            .select()
            .from(rewardEventsTable)
            .where(eq(rewardEventsTable.kind, "claimed"));
        expect(claimed.map((e) => [e.wallet, e.amount])).toEqual([
            [referral.referee.address.toLowerCase() as Address, parseEther("5")],
        ]);
        // The claimed tokens are now in the wallet's balance.
        const balance = await get("/wallet/balance", referral.referee.address);
        expect(balance.balances.map((b: { amount: number }) => b.amount)).toEqual([5]);
    });

    test("401 without a session; a wallet never rewarded has nothing claimable", async () => {
        expect((await app.request("/wallet/balance/claimable")).status).toBe(401);
        expect((await app.request("/wallet/balance/pending")).status).toBe(401);
        const stranger = privateKeyToAccount(generatePrivateKey()).address;
        expect((await get("/wallet/balance/claimable", stranger)).claimables).toEqual([]);
    });

    test("pending: 0 once rewarded, 0.5 for a fresh counterfactual wallet, 1 with code", async () => {
        const zero = { amount: 0, eurAmount: 0, usdAmount: 0, gbpAmount: 0 };
        expect(await get("/wallet/balance/pending", referral.referrer.address)).toEqual(zero);
        const fresh = privateKeyToAccount(generatePrivateKey()).address;
        expect(await get("/wallet/balance/pending", fresh)).toEqual({
            amount: 0.5,
            eurAmount: 0.5,
            usdAmount: 0.5,
            gbpAmount: 0.5,
        });
        // A deployed contract that never got a reward (the campaign bank itself will do).
        expect((await get("/wallet/balance/pending", referral.campaign)).amount).toBe(1);
    });

    test("reward totals per wallet for the notifications filter", async () => {
        const stranger = privateKeyToAccount(generatePrivateKey()).address;
        const wallets = [referral.referrer.address, referral.referee.address, stranger];
        const totals = await app.domains.wallet.rewards.totalsByWallet(wallets);
        expect([...totals.entries()]).toEqual([
            [referral.referrer.address, parseEther("10")],
            [referral.referee.address, parseEther("5")],
            [stranger, 0n],
        ]);
        const productId = toHex(referral.product.productId);
        const onProduct = await app.domains.wallet.rewardTotals.totalsOf(wallets, [productId]);
        expect(onProduct.get(referral.referrer.address)).toBe(parseEther("10"));
        const otherProduct = await app.domains.wallet.rewardTotals.totalsOf(wallets, ["0x01"]);
        expect(otherProduct.get(referral.referrer.address)).toBe(0n);
    });
});

describe("index resumption", () => {
    test("a restarted index resumes from its cursor without duplicates", async () => {
        const before = await eventCount();
        const cursorBefore = await cursor();
        await referral.purchase(1002n);
        // A new process: fresh domain objects and scheduler over the same database and chain.
        const restarted = createWalletDomain(
            app.infra,
            new JobScheduler(app.infra.database, app.infra.logger),
            { mintedHosts: app.domains.business.mintedDomains },
        );
        await restarted.jobs.rewardIndex.runNow();
        expect(await eventCount()).toBe((before ?? 0) + 2);
        expect((await cursor())?.lastBlock).toBeGreaterThan(cursorBefore?.lastBlock ?? 0n);
        // Running again, or replaying every range from the start, adds nothing.
        await restarted.jobs.rewardIndex.runNow();
        await app.infra.database.db.delete(rewardIndexCursorTable);
        await restarted.jobs.rewardIndex.runNow();
        expect(await eventCount()).toBe((before ?? 0) + 2);
        const totals = await restarted.rewards.totalsByWallet([referral.referrer.address]);
        expect(totals.get(referral.referrer.address)).toBe(parseEther("20"));
    });

    test("a reorg of indexed blocks is rewound and re-read", async () => {
        const client = app.infra.chain.clients.publicClient;
        const snapshot = (await client.request({ method: "evm_snapshot" } as never)) as string;
        const before = await eventCount();
        await referral.purchase(1003n);
        await indexNow();
        expect(await eventCount()).toBe((before ?? 0) + 2);
        const indexedTo = (await cursor())?.lastBlock ?? 0n;
        // The purchase's blocks are dropped and other blocks take their place.
        await client.request({ method: "evm_revert", params: [snapshot] } as never);
        const head = await client.getBlockNumber({ cacheTime: 0 });
        await client.request({
            method: "anvil_mine",
            params: [toHex(indexedTo - head + 1n)],
        } as never);
        await indexNow();
        expect(await eventCount()).toBe(before);
        const totals = await app.domains.wallet.rewards.totalsByWallet([referral.referrer.address]);
        expect(totals.get(referral.referrer.address)).toBe(parseEther("20"));
    });
});
