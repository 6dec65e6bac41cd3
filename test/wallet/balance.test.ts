import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Address, getAddress, parseEther, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ANVIL_DEFAULT_PRIVATE_KEY, testStablecoinAbi } from "../../src/infrastructure/blockchain";
import { testStablecoinBytecode } from "../../src/infrastructure/blockchain/artifacts/TestStablecoin";
import { apiClient } from "../support/api-client";
import { mintProduct } from "../support/mint-product";
import { startTestApp, type TestApp } from "../support/test-app";
import { mintTestToken, walletAuth } from "./helpers";

let app: TestApp;
const newWallet = () => privateKeyToAccount(generatePrivateKey()).address;

beforeAll(async () => {
    app = await startTestApp();
});
afterAll(async () => {
    await app?.stop();
});

/** The wallet's balance through the typed client (throws on a non-200). */
const getBalance = async (wallet: Address) => {
    const { "x-wallet-auth": token } = await walletAuth(app, wallet);
    const { data, error } = await apiClient(app, { wallet: token }).wallet.balance.get();
    if (error) throw new Error(`balance: ${error.status}`);
    return data;
};

describe("GET /wallet/balance", () => {
    test("401 without a wallet session", async () => {
        const { status, error } = await apiClient(app).wallet.balance.get();
        expect(status).toBe(401);
        expect(error?.value).toMatchObject({ error: "unauthorized" });
    });

    test("an empty wallet has a zero total and no balances", async () => {
        expect(await getBalance(newWallet())).toEqual({
            total: { amount: 0, eurAmount: 0, usdAmount: 0, gbpAmount: 0, priceAvailable: true },
            balances: [],
        });
    });

    test("minted test stablecoins show with their amounts and fiat values per currency", async () => {
        const wallet = newWallet();
        const { usde, eure } = app.infra.chain.deployment.tokens;
        await mintTestToken(app.infra.chain, usde, wallet, parseUnits("12.5", 18));
        await mintTestToken(app.infra.chain, eure, wallet, parseEther("3"));
        const body = await getBalance(wallet);
        const byToken = Object.fromEntries(body.balances.map((b) => [b.token, b]));
        expect(body.balances).toHaveLength(2);
        expect(byToken[usde]).toEqual({
            token: usde,
            name: "Monerium USD emoney (test)",
            symbol: "USDe",
            decimals: 18,
            rawBalance: toHex(parseUnits("12.5", 18)),
            amount: 12.5,
            usdAmount: 12.5,
            eurAmount: 10.625,
            gbpAmount: 9.375,
            priceAvailable: true,
        });
        expect(byToken[eure]).toMatchObject({
            symbol: "EURe",
            amount: 3,
            usdAmount: 3.54,
            eurAmount: 3,
            gbpAmount: 2.64,
            priceAvailable: true,
        });
        // Totals add fiat values per currency, exactly (no float drift, no mixed units).
        expect(body.total).toEqual({
            amount: 16.04,
            usdAmount: 16.04,
            eurAmount: 13.625,
            gbpAmount: 12.015,
            priceAvailable: true,
        });
    });

    test("a reward token seen by the index shows without a price: fiat 0, priceAvailable false", async () => {
        const { clients, signers, deployment } = app.infra.chain;
        const deployer = privateKeyToAccount(ANVIL_DEFAULT_PRIVATE_KEY);
        const hash = await clients.walletClient(deployer).deployContract({
            abi: testStablecoinAbi,
            bytecode: testStablecoinBytecode,
            args: ["Points", "PTS", deployer.address],
        });
        const token = getAddress((await clients.waitForReceipt(hash)).contractAddress as Address);
        await mintProduct({
            clients,
            signers,
            deployment,
            productTypes: 1n << 31n,
            name: "points shop",
            domain: "points.example.com",
            owner: deployer.address,
            bankTokens: [token],
        });
        const wallet = newWallet();
        const mint = await clients.walletClient(deployer).writeContract({
            address: token,
            abi: testStablecoinAbi,
            functionName: "mint",
            args: [wallet, parseUnits("7", 18)],
        });
        await clients.waitForReceipt(mint);
        await mintTestToken(app.infra.chain, deployment.tokens.gbpe, wallet, parseEther("2"));

        // Not known before the index has seen the bank.
        expect((await getBalance(wallet)).balances).toHaveLength(1);
        await app.domains.wallet.jobs.rewardIndex.runNow();
        const body = await getBalance(wallet);
        const points = body.balances.find((b) => b.token === token);
        expect(points).toMatchObject({
            symbol: "PTS",
            amount: 7,
            usdAmount: 0,
            eurAmount: 0,
            gbpAmount: 0,
            priceAvailable: false,
        });
        expect(body.total).toEqual({
            amount: 2.66,
            usdAmount: 2.66,
            eurAmount: 2.28,
            gbpAmount: 2,
            priceAvailable: false,
        });
    });
});
