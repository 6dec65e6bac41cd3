import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Address, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createApp } from "../../src/app";
import { createDomains } from "../../src/domains";
import { testStablecoinAbi } from "../../src/infrastructure/blockchain";
import { stageFlags } from "../../src/infrastructure/config";
import { JobScheduler } from "../../src/infrastructure/jobs";
import { jsonHeaders, readJson } from "../support/test-app";
import { type BusinessFixture, type Merchant, newMerchant, startBusinessApp } from "./helpers";

let fixture: BusinessFixture;
let merchant: Merchant;
beforeAll(async () => {
    fixture = await startBusinessApp();
    merchant = await newMerchant(fixture.server);
});
afterAll(() => fixture.stop());

const newBank = (): Address => privateKeyToAccount(generatePrivateKey()).address;

const getTestToken = (body: object, headers: Record<string, string> = merchant.headers) =>
    fixture.server.request("/business/funding/getTestToken", {
        method: "POST",
        headers,
        body: JSON.stringify(body),
    });

const balanceOf = (token: Address, holder: Address) =>
    fixture.server.infra.chain.clients.publicClient.readContract({
        address: token,
        abi: testStablecoinAbi,
        functionName: "balanceOf",
        args: [holder],
    });

describe("POST /business/funding/getTestToken", () => {
    test("mUSD: 1000 minted while the bank holds at most 1000, credited when the call returns", async () => {
        const bank = newBank();
        const { mUSD } = fixture.server.infra.chain.deployment.tokens;
        const expected = [1000, 2000, 2000];
        for (const balance of expected) {
            const response = await getTestToken({ bank });
            expect(response.status).toBe(200);
            expect(await response.text()).toBe("");
            expect(await balanceOf(mUSD, bank)).toBe(parseEther(String(balance)));
        }
    });

    test("a named stablecoin: 11 at a time while the bank holds at most 50", async () => {
        const bank = newBank();
        const { eure, mUSD } = fixture.server.infra.chain.deployment.tokens;
        for (const balance of [11, 22, 33, 44, 55, 55]) {
            expect((await getTestToken({ bank, stablecoin: "eure" })).status).toBe(200);
            expect(await balanceOf(eure, bank)).toBe(parseEther(String(balance)));
        }
        // usdc is the mUSD test token.
        expect((await getTestToken({ bank, stablecoin: "usdc" })).status).toBe(200);
        expect(await balanceOf(mUSD, bank)).toBe(parseEther("11"));
    });

    test("without a session: 401 and nothing minted", async () => {
        const bank = newBank();
        const response = await getTestToken({ bank }, jsonHeaders);
        expect(response.status).toBe(401);
        expect((await readJson(response)).error).toBe("unauthorized");
        expect(await balanceOf(fixture.server.infra.chain.deployment.tokens.mUSD, bank)).toBe(0n);
    });

    test("bad body: 422", async () => {
        expect((await getTestToken({ bank: "0x1234" })).status).toBe(422);
        expect((await getTestToken({ bank: newBank(), stablecoin: "btc" })).status).toBe(422);
    });

    test("in production: 404 with or without a session, nothing minted", async () => {
        // The same infrastructure seen as production: only the stage flags differ.
        const infra = {
            ...fixture.server.infra,
            config: { ...fixture.server.infra.config, ...stageFlags("production") },
        };
        const jobs = new JobScheduler(infra.database, infra.logger);
        const production = createApp(infra, createDomains(infra, jobs));
        const bank = newBank();
        try {
            for (const headers of [merchant.headers, jsonHeaders]) {
                const response = await production.handle(
                    new Request("http://localhost/business/funding/getTestToken", {
                        method: "POST",
                        // JSON errors are for callers that ask for them.
                        headers: { ...headers, accept: "application/json" },
                        body: JSON.stringify({ bank }),
                    }),
                );
                expect(response.status).toBe(404);
                expect(await readJson(response)).toEqual({
                    error: "not_found",
                    message: "Not found",
                });
            }
            expect(await balanceOf(infra.chain.deployment.tokens.mUSD, bank)).toBe(0n);
        } finally {
            await jobs.stop();
        }
    });
});
