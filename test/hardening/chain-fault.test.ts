/**
 * The chain's RPC endpoint becomes unreachable (a TCP proxy in front of anvil is cut): chain
 * reads answer 503 `chain_unavailable` with Retry-After (never a balance of 0), readiness names
 * the chain, the root job fails without marking anything synced and pushes the root once the node
 * is back. (The development anvil's restart is tested with it, in test/dev/dev-anvil.test.ts.)
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createPublicClient, type Hex, http, parseEther, zeroHash } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    ANVIL_DEFAULT_PRIVATE_KEY,
    type AnvilInstance,
    type Deployment,
    deployContracts,
    purchaseOracleAbi,
    startAnvil,
} from "../../src/infrastructure/blockchain";
import {
    type OracleFixture,
    sendShopify,
    shopifyOrder,
    startOracleFixture,
} from "../oracle/helpers";
import { eventually } from "../support/eventually";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { mintTestToken, walletAuth } from "../wallet/helpers";

let anvil: AnvilInstance;
let proxy: TcpProxy;
let server: TestApp;
let oracle: OracleFixture;
let deployment: Deployment;
const masterKey = `0x${"5a".repeat(32)}` as const;

beforeAll(async () => {
    anvil = await startAnvil();
    deployment = await deployContracts({
        rpcUrl: anvil.rpcUrl,
        deployerPrivateKey: ANVIL_DEFAULT_PRIVATE_KEY,
        masterKey,
    });
    proxy = await startTcpProxy("127.0.0.1", anvil.port);
    const t = deployment.tokens;
    server = await startTestApp({
        env: {
            RPC_URL: `http://127.0.0.1:${proxy.port}`,
            MASTER_KEY: masterKey,
            ORACLE_UPDATE_THRESHOLD: "1",
        },
        chainEnv: {
            PRODUCT_REGISTRY_ADDRESS: deployment.productRegistry,
            PRODUCT_ADMINISTRATOR_REGISTRY_ADDRESS: deployment.productAdministratorRegistry,
            PURCHASE_ORACLE_ADDRESS: deployment.purchaseOracle,
            PRODUCT_INTERACTION_MANAGER_ADDRESS: deployment.productInteractionManager,
            CAMPAIGN_BANK_FACTORY_ADDRESS: deployment.campaignBankFactory,
            WALLET_FACTORY_ADDRESS: deployment.walletFactory,
            MUSD_TOKEN_ADDRESS: t.mUSD,
            EURE_TOKEN_ADDRESS: t.eure,
            GBPE_TOKEN_ADDRESS: t.gbpe,
            USDE_TOKEN_ADDRESS: t.usde,
        },
    });
    oracle = await startOracleFixture({ app: server });
});
afterAll(async () => {
    await server.stop();
    proxy.stop();
    await anvil.stop();
});

/** Reads the root straight from anvil, around the proxy. */
function rootOnChain(productId: Hex): Promise<Hex> {
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    return client.readContract({
        address: deployment.purchaseOracle,
        abi: purchaseOracleAbi,
        functionName: "getMerkleRoot",
        args: [BigInt(productId)],
    });
}

test("the root job survives an unreachable chain and pushes the root once it is back", async () => {
    expect((await sendShopify(oracle, shopifyOrder(9001, "paid"))).status).toBe(200);
    const rootJob = server.domains.oracle.jobs.updateMerkleRoot;

    proxy.cut();
    await rootJob.runNow();
    expect(await rootOnChain(oracle.productId)).toBe(zeroHash);
    // The service still answers while the chain is away; readiness names the chain.
    expect((await server.request("/health/live")).status).toBe(200);

    proxy.restore();
    await rootJob.runNow();
    expect(await rootOnChain(oracle.productId)).not.toBe(zeroHash);
}, 60_000);

test("with the node down, a funded wallet's balance is 503 chain_unavailable, not a total of 0", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey()).address;
    await mintTestToken(server.infra.chain, deployment.tokens.usde, wallet, parseEther("7"));
    const headers = await walletAuth(server, wallet);
    const before = await server.request("/wallet/balance", { headers });
    expect(before.status).toBe(200);
    expect((await readJson(before)).total.amount).toBe(7);

    proxy.cut();
    try {
        for (const path of ["/wallet/balance", "/wallet/balance/pending"]) {
            const response = await server.request(path, { headers });
            expect(response.status).toBe(503);
            expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
            expect((await readJson(response)).error).toBe("chain_unavailable");
        }
    } finally {
        proxy.restore();
    }
    expect((await server.request("/wallet/balance", { headers })).status).toBe(200);
}, 60_000);

test("readiness reports the chain from a cached probe: 503 naming it while down, ok once back", async () => {
    proxy.cut();
    try {
        await eventually(async () => (await server.request("/health")).status === 503, 15_000, 200);
        const body = await readJson(await server.request("/health"));
        expect(body.failed).toEqual(["chain"]);
        // Many readiness checks in a row share one probe: they answer at once, all alike.
        const answers = await Promise.all(
            Array.from({ length: 50 }, () => server.request("/health").then((r) => r.status)),
        );
        expect(new Set(answers)).toEqual(new Set([503]));
    } finally {
        proxy.restore();
    }
    await eventually(async () => (await server.request("/health")).status === 200, 15_000, 200);
}, 60_000);
