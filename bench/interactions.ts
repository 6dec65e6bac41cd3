/**
 * Interactions per second from push to mined, on a local anvil, for on-chain batch sizes 1, 50
 * and 200: interactions are pushed over real HTTP (SDK route, 50 per request), then the
 * simulate and execute jobs run until every one is in `interactions_pushed` (receipt read).
 * Measured for a product on the batched ProductInteraction and for one on the legacy contract
 * (the baseline) in the same run. Target: batches of 200 at least 20x the throughput of batches
 * of 1 (batched contract).
 * Run alone with `bun bench/interactions.ts` (PGlite; DATABASE_URL for PostgreSQL).
 */
import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { type Address, encodeFunctionData, parseEther, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createApp } from "../src/app";
import { interactionsPendingTable } from "../src/domain/interactions/db/schema";
import { createDomains } from "../src/domains";
import { createInfrastructure } from "../src/infrastructure";
import { productInteractionManagerAbi } from "../src/infrastructure/blockchain";
import { loadConfig } from "../src/infrastructure/config";
import { JobScheduler } from "../src/infrastructure/jobs";
import { ephemeralSecrets } from "../src/infrastructure/secrets";
import { requireCanonicalProductId } from "../src/utils/product-id";
import { mintProduct } from "../test/support/mint-product";
import type { BenchRow } from "./bench-row";

const INTERACTIONS = 400;
const WALLETS = 8;

export async function measure(batchSize: number, legacy: boolean): Promise<number> {
    const config = loadConfig({
        STAGE: "test",
        INTERACTIONS_BATCH_SIZE: String(batchSize),
        ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    });
    if (!process.env.DATABASE_URL) config.database = { kind: "pglite", dataDir: undefined };
    const infra = await createInfrastructure(config, {
        logger: pino({ level: "silent" }),
        secrets: ephemeralSecrets(),
        ephemeralChain: true,
        env: {},
    });
    const jobs = new JobScheduler(infra.database, infra.logger, infra.metrics);
    const domains = createDomains(infra, jobs);
    const app = createApp(infra, domains).listen({ port: 0, hostname: "127.0.0.1" });
    const url = `http://127.0.0.1:${app.server?.port}`;
    try {
        const { clients, signers, deployment } = infra.chain;
        const owner = privateKeyToAccount(generatePrivateKey());
        const product = await mintProduct({
            clients,
            signers,
            deployment,
            productTypes: 1n << 30n,
            name: "Bench shop",
            domain: `bench-${batchSize}-${Date.now()}.example.com`,
            owner: owner.address,
            legacyInteractionContract: legacy,
        });
        const productId = requireCanonicalProductId(product.productId);
        const wallets: Address[] = [];
        const block = await clients.publicClient.getBlock();
        for (let i = 0; i < WALLETS; i++) {
            const wallet = privateKeyToAccount(generatePrivateKey());
            await clients.publicClient.request({
                method: "anvil_setBalance",
                params: [wallet.address, toHex(parseEther("1"))],
            } as never);
            const hash = await clients.walletClient(wallet).sendTransaction({
                to: deployment.productInteractionManager,
                data: encodeFunctionData({
                    abi: productInteractionManagerAbi,
                    functionName: "openSession",
                    args: [Number(block.timestamp) + 86_400],
                }),
            });
            await clients.waitForReceipt(hash);
            wallets.push(wallet.address);
        }
        const tokens = await Promise.all(wallets.map((w) => infra.tokens.signSdk(w)));

        const startedAt = performance.now();
        const perWallet = INTERACTIONS / WALLETS;
        await Promise.all(
            wallets.map(async (wallet, i) => {
                for (let sent = 0; sent < perWallet; sent += 50) {
                    const response = await fetch(`${url}/wallet/interactions/push`, {
                        method: "POST",
                        headers: {
                            "content-type": "application/json",
                            "x-wallet-sdk-auth": tokens[i]?.token ?? "",
                        },
                        body: JSON.stringify({
                            interactions: Array.from(
                                { length: Math.min(50, perWallet - sent) },
                                () => ({
                                    wallet,
                                    productId,
                                    interaction: {
                                        handlerTypeDenominator: "0x1e",
                                        interactionData: "0xb2c0f17c",
                                    },
                                }),
                            ),
                        }),
                    });
                    if (response.status !== 200) throw new Error(`push: ${response.status}`);
                }
            }),
        );
        const { simulate, execute } = domains.interactions.jobs;
        for (;;) {
            await simulate.runNow();
            await execute.runNow();
            // This run's product only: rows another (interrupted) run left in a shared database
            // would keep the loop going forever.
            const [row] = await infra.database.db
                .select({ n: sql<number>`count(*)::int` })
                .from(interactionsPendingTable)
                .where(eq(interactionsPendingTable.productId, productId));
            if ((row?.n ?? 0) === 0) break;
        }
        return INTERACTIONS / ((performance.now() - startedAt) / 1000);
    } finally {
        await app.stop(true);
        await jobs.stop();
        await infra.close();
    }
}

export async function runInteractionsBench(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const legacy of [false, true]) {
        const rates = new Map<number, number>();
        for (const size of [1, 50, 200]) rates.set(size, await measure(size, legacy));
        const base = rates.get(1) ?? 1;
        const version = legacy ? "legacy contract" : "batched contract";
        for (const size of [1, 50, 200]) {
            rows.push({
                area: "interactions",
                metric: `push->mined, ${version}, batch ${size} (interactions/s)`,
                value: (rates.get(size) ?? 0).toFixed(1),
                // Absent fields rather than `undefined` ones, which the table would print.
                ...(size === 1
                    ? {}
                    : {
                          peer: `batch 1: ${base.toFixed(1)}`,
                          ratio: `${((rates.get(size) ?? 0) / base).toFixed(1)}x`,
                      }),
                ...(size === 200 && !legacy ? { target: ">= 20x batch 1" } : {}),
            });
        }
    }
    return rows;
}

if (import.meta.main) {
    console.table(await runInteractionsBench());
    process.exit(0);
}
