import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import {
    interactionsPendingTable,
    interactionsPushedTable,
} from "../../src/domain/interactions/db/schema";
import { InteractionChainReader } from "../../src/domain/interactions/repositories/interaction-chain-reader";
import { PendingInteractionsRepository } from "../../src/domain/interactions/repositories/pending-interactions-repository";
import { InteractionSimulator } from "../../src/domain/interactions/services/interaction-simulator";
import { startTestApp, type TestApp } from "../support/test-app";
import {
    chainEnvOf,
    handledEvents,
    mintTestProduct,
    pushMany,
    type TestProduct,
    walletWithSession,
} from "./helpers";

const usePostgres = Boolean(process.env.DATABASE_URL);

let a: TestApp;
let b: TestApp;
let product: TestProduct;

/**
 * A simulator of the app's own kind outside the job's advisory lock (as if the lock had failed):
 * its claims must still never overlap the jobs' claims.
 */
const unlockedSimulator = (app: TestApp) => {
    const { chain, config, database } = app.infra;
    return new InteractionSimulator({
        db: database.db,
        chain: new InteractionChainReader(chain.clients, chain.deployment, chain.signers),
        pending: new PendingInteractionsRepository(),
        signers: chain.signers,
        chainId: chain.clients.chain.id,
        claimSize: Math.max(50, config.interactions.batchSize),
    });
};

beforeAll(async () => {
    if (!usePostgres) return;
    a = await startTestApp();
    b = await startTestApp({
        sameDeploymentAs: a,
        env: { RPC_URL: a.infra.chain.rpcUrl },
        chainEnv: chainEnvOf(a.infra.chain),
    });
    product = await mintTestProduct(a.infra.chain);
}, 60_000);
afterAll(async () => {
    await b?.stop();
    await a?.stop();
});

describe.skipIf(!usePostgres)("two instances on one database", () => {
    test("1,000 interactions pushed through both: each on-chain exactly once", async () => {
        const wallets: `0x${string}`[] = [];
        for (let i = 0; i < 10; i++) wallets.push((await walletWithSession(a.infra.chain)).address);
        await Promise.all([
            pushMany(a.request, a.infra.tokens, wallets.slice(0, 5), product.productIdHex, 500),
            pushMany(b.request, b.infra.tokens, wallets.slice(5), product.productIdHex, 500),
        ]);
        const db = a.infra.database.db;
        const count = async (
            table: typeof interactionsPendingTable | typeof interactionsPushedTable,
        ) => (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0;
        expect(await count(interactionsPendingTable)).toBe(1000);

        // Both instances run every job at once, repeatedly, until the queue is empty.
        for (let round = 0; round < 20 && (await count(interactionsPendingTable)) > 0; round++) {
            await Promise.all(
                [a, b].flatMap((app) => [
                    app.domains.interactions.jobs.simulate.runNow(),
                    app.domains.interactions.jobs.execute.runNow(),
                    unlockedSimulator(app).run(),
                ]),
            );
        }

        expect(await count(interactionsPendingTable)).toBe(0);
        expect(await count(interactionsPushedTable)).toBe(1000);
        const events = await handledEvents(a.infra.chain, product.interactionContract);
        expect(events).toHaveLength(1000);
        expect(new Set(events.map((e) => e.id)).size).toBe(1000);
    }, 180_000);
});
