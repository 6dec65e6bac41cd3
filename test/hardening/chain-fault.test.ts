/**
 * The chain's RPC endpoint becomes unreachable (a TCP proxy in front of anvil is cut) while a
 * purchase waits for its Merkle root: the root job fails without crashing or marking anything
 * synced, the API keeps answering, and the next run after the node is back pushes the root.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createPublicClient, type Hex, http, zeroHash } from "viem";
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
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { startTestApp, type TestApp } from "../support/test-app";

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
    // The service still answers while the chain is away.
    expect((await server.request("/health")).status).toBe(200);

    proxy.restore();
    await rootJob.runNow();
    expect(await rootOnChain(oracle.productId)).not.toBe(zeroHash);
}, 60_000);
