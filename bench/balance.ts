/**
 * `GET /wallet/balance` for a wallet holding 20 tokens (our 4 test stablecoins plus 16 extra test
 * ERC-20s made known to the app as campaign-bank reward tokens), over real HTTP on a local anvil.
 * A small HTTP proxy in front of anvil counts the RPC traffic per call: the target is one
 * request (one multicall eth_call) once token metadata is cached. Also reports p50 latency.
 * Run alone with `bun bench/balance.ts`.
 */
import pino from "pino";
import {
    type Address,
    encodeFunctionData,
    getAddress,
    type Hash,
    keccak256,
    parseEther,
    stringToHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createApp } from "../src/app";
import { createDomains } from "../src/domains";
import { createInfrastructure } from "../src/infrastructure";
import {
    ANVIL_DEFAULT_PRIVATE_KEY,
    createBackendSigners,
    createChainClients,
    deployContracts,
    startAnvil,
    testStablecoinAbi,
} from "../src/infrastructure/blockchain";
import { testStablecoinBytecode } from "../src/infrastructure/blockchain/artifacts/TestStablecoin";
import { loadConfig } from "../src/infrastructure/config";
import { JobScheduler } from "../src/infrastructure/jobs";
import { ephemeralSecrets } from "../src/infrastructure/secrets";
import { mintProduct } from "../test/support/mint-product";
import type { BenchRow } from "./bench-row";

const EXTRA_TOKENS = 16;
const CALLS = 200;
const MASTER_KEY = keccak256(stringToHex("balance benchmark master key"));

const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
};

/** Forwards JSON-RPC to anvil and counts HTTP requests, JSON-RPC calls and methods. */
function startRpcProxy(target: string) {
    const counts = { requests: 0, calls: 0, methods: new Map<string, number>() };
    const server = Bun.serve({
        port: 0,
        hostname: "127.0.0.1",
        async fetch(request) {
            const body = await request.text();
            counts.requests++;
            try {
                const parsed = JSON.parse(body) as { method: string } | Array<{ method: string }>;
                for (const call of Array.isArray(parsed) ? parsed : [parsed]) {
                    counts.calls++;
                    counts.methods.set(call.method, (counts.methods.get(call.method) ?? 0) + 1);
                }
            } catch {}
            const upstream = await fetch(target, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body,
            });
            return new Response(await upstream.arrayBuffer(), {
                status: upstream.status,
                headers: { "content-type": "application/json" },
            });
        },
    });
    const reset = () => {
        counts.requests = 0;
        counts.calls = 0;
        counts.methods.clear();
    };
    return { url: `http://127.0.0.1:${server.port}`, counts, reset, stop: () => server.stop(true) };
}

export async function runBalanceBench(): Promise<BenchRow[]> {
    const anvil = await startAnvil();
    const proxy = startRpcProxy(anvil.rpcUrl);
    try {
        const deployment = await deployContracts({
            rpcUrl: anvil.rpcUrl,
            deployerPrivateKey: ANVIL_DEFAULT_PRIVATE_KEY,
            masterKey: MASTER_KEY,
        });
        const clients = await createChainClients({ rpcUrl: anvil.rpcUrl, pollingIntervalMs: 50 });
        const signers = createBackendSigners({ masterKey: MASTER_KEY, clients });
        const deployer = privateKeyToAccount(ANVIL_DEFAULT_PRIVATE_KEY);
        const deployerWallet = clients.walletClient(deployer);
        const wallet = privateKeyToAccount(generatePrivateKey()).address;

        // 16 extra ERC-20s, known to the app as reward tokens of a product's campaign banks.
        const extra: Address[] = [];
        for (let i = 0; i < EXTRA_TOKENS; i++) {
            const hash = await deployerWallet.deployContract({
                abi: testStablecoinAbi,
                bytecode: testStablecoinBytecode,
                args: [`Bench token ${i}`, `BT${i}`, deployer.address],
            });
            extra.push(getAddress((await clients.waitForReceipt(hash)).contractAddress as Address));
        }
        await mintProduct({
            clients,
            signers,
            deployment,
            productTypes: 1n << 31n,
            name: "balance bench",
            domain: "balance-bench.example.com",
            owner: deployer.address,
            bankTokens: extra,
        });
        // The deployer owns every test token, so it can mint all 20 to the wallet.
        const mints: Hash[] = [];
        for (const token of [...Object.values(deployment.tokens), ...extra]) {
            mints.push(
                await deployerWallet.sendTransaction({
                    to: token,
                    data: encodeFunctionData({
                        abi: testStablecoinAbi,
                        functionName: "mint",
                        args: [wallet, parseEther("3")],
                    }),
                }),
            );
        }
        await Promise.all(mints.map((hash) => clients.waitForReceipt(hash)));

        // The app talks to the chain only through the counting proxy.
        const config = loadConfig({
            STAGE: "bench",
            LOG_LEVEL: "silent",
            RPC_URL: proxy.url,
            MASTER_KEY,
            REWARD_INDEX_CONFIRMATIONS: "0",
            PGLITE_DATA_DIR: "memory://",
        });
        const deploymentEnv = {
            PRODUCT_REGISTRY_ADDRESS: deployment.productRegistry,
            PRODUCT_ADMINISTRATOR_REGISTRY_ADDRESS: deployment.productAdministratorRegistry,
            PURCHASE_ORACLE_ADDRESS: deployment.purchaseOracle,
            PRODUCT_INTERACTION_MANAGER_ADDRESS: deployment.productInteractionManager,
            CAMPAIGN_BANK_FACTORY_ADDRESS: deployment.campaignBankFactory,
            WALLET_FACTORY_ADDRESS: deployment.walletFactory,
            MUSD_TOKEN_ADDRESS: deployment.tokens.mUSD,
            EURE_TOKEN_ADDRESS: deployment.tokens.eure,
            GBPE_TOKEN_ADDRESS: deployment.tokens.gbpe,
            USDE_TOKEN_ADDRESS: deployment.tokens.usde,
            CHAIN_ID: String(clients.chain.id),
        };
        const infra = await createInfrastructure(config, {
            logger: pino({ level: "silent" }),
            secrets: { ...ephemeralSecrets(), masterKey: MASTER_KEY },
            env: deploymentEnv,
        });
        const jobs = new JobScheduler(infra.database, infra.logger);
        const domains = createDomains(infra, jobs);
        const app = createApp(infra, domains).listen({ port: 0, hostname: "127.0.0.1" });
        try {
            await domains.wallet.jobs.rewardIndex.runNow();
            const { token } = await infra.tokens.signWallet({
                type: "ecdsa",
                address: wallet,
                authenticatorId: `ecdsa-${wallet}`,
                publicKey: wallet,
            });
            const url = `http://127.0.0.1:${app.server?.port}/wallet/balance`;
            const call = async () => {
                const startedAt = performance.now();
                const response = await fetch(url, { headers: { "x-wallet-auth": token } });
                const body = (await response.json()) as { balances: unknown[] };
                if (!response.ok || body.balances.length !== 20) {
                    throw new Error(
                        `unexpected answer ${response.status}: ${JSON.stringify(body)}`,
                    );
                }
                return performance.now() - startedAt;
            };

            proxy.reset();
            const coldMs = await call();
            const cold = { ...proxy.counts };
            proxy.reset();
            const latencies: number[] = [];
            for (let i = 0; i < CALLS; i++) latencies.push(await call());
            const perCall = (value: number) => (value / CALLS).toFixed(2);
            const ethCalls = proxy.counts.methods.get("eth_call") ?? 0;
            const otherMethods = [...proxy.counts.methods.keys()].filter((m) => m !== "eth_call");
            return [
                {
                    area: "wallet balance (20 tokens)",
                    metric: "RPC requests per call, metadata cached",
                    value: perCall(proxy.counts.requests),
                    target: "1",
                },
                {
                    area: "wallet balance (20 tokens)",
                    metric: "eth_call per call, metadata cached",
                    value: `${perCall(ethCalls)}${otherMethods.length ? ` (+ ${otherMethods.join(", ")})` : ""}`,
                    target: "1 multicall",
                },
                {
                    area: "wallet balance (20 tokens)",
                    metric: "RPC requests, first call (metadata cold)",
                    value: `${cold.requests} (${cold.calls} JSON-RPC calls)`,
                },
                {
                    area: "wallet balance (20 tokens)",
                    metric: "first call latency (metadata cold)",
                    value: `${coldMs.toFixed(1)} ms`,
                },
                {
                    area: "wallet balance (20 tokens)",
                    metric: `p50 latency (${CALLS} sequential calls)`,
                    value: `${percentile(latencies, 0.5).toFixed(1)} ms`,
                },
                {
                    area: "wallet balance (20 tokens)",
                    metric: "p95 latency",
                    value: `${percentile(latencies, 0.95).toFixed(1)} ms`,
                },
            ];
        } finally {
            await app.stop(true);
            await jobs.stop();
            await infra.close();
        }
    } finally {
        proxy.stop();
        await anvil.stop();
    }
}

if (import.meta.main) {
    console.table(await runBalanceBench());
    process.exit(0);
}
