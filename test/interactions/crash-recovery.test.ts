import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Subprocess, spawn } from "bun";
import { eq, sql } from "drizzle-orm";
import {
    interactionBatchesTable,
    interactionsPendingTable,
    interactionsPushedTable,
} from "../../src/domain/interactions/db/schema";
import { eventually, eventuallyValue } from "../support/eventually";
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
const TOTAL = 400;

let t: TestApp;
let product: TestProduct;
const children: Subprocess[] = [];

/** Starts the executor service in its own process on the shared database and anvil. */
async function startExecutorProcess(): Promise<Subprocess<"ignore", "pipe", "inherit">> {
    const db = t.infra.config.database;
    const child = spawn({
        cmd: [process.execPath, "test/interactions/fixtures/executor-process.ts"],
        env: {
            ...process.env,
            ...chainEnvOf(t.infra.chain),
            DATABASE_URL: db.kind === "postgres" ? db.url : "",
            MASTER_KEY: t.infra.secrets.masterKey,
            INTERACTIONS_BATCH_SIZE: "50",
        },
        stdout: "pipe",
        stderr: "inherit",
    });
    children.push(child);
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    reader.releaseLock();
    if (!new TextDecoder().decode(value).includes("ready")) throw new Error("child did not start");
    return child;
}

const rpc = (method: string, params: unknown[] = []) =>
    t.infra.chain.clients.publicClient.request({ method, params } as never);

const count = async (table: typeof interactionsPendingTable | typeof interactionsPushedTable) =>
    (await t.infra.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0;

beforeAll(async () => {
    if (!usePostgres) return;
    t = await startTestApp();
    // This process only pushes and simulates; the executor runs in the child processes.
    await t.jobs.stop();
    product = await mintTestProduct(t.infra.chain);
    const wallets: `0x${string}`[] = [];
    for (let i = 0; i < 4; i++) wallets.push((await walletWithSession(t.infra.chain)).address);
    await pushMany(t.request, t.infra.tokens, wallets, product.productIdHex, TOTAL);
    // The simulation job alone: its wake-up of this process's executor ended with jobs.stop().
    await t.domains.interactions.jobs.simulate.runNow();
}, 60_000);
afterAll(async () => {
    for (const child of children) child.kill(9);
    if (!t) return;
    await rpc("evm_setAutomine", [true]).catch(() => {});
    await t?.stop();
});

describe.skipIf(!usePostgres)("crash recovery of the executor (SIGKILL)", () => {
    test("killed after sending, before recording the outcome: every interaction on-chain once", async () => {
        // Transactions stay in the mempool, so the process is surely killed mid-batch.
        await rpc("evm_setAutomine", [false]);
        const first = await startExecutorProcess();
        const batch = await eventuallyValue(async () => {
            const [row] = await t.infra.database.db
                .select()
                .from(interactionBatchesTable)
                .where(eq(interactionBatchesTable.status, "sending"));
            if (!row?.txHash) return undefined;
            const inPool = await t.infra.chain.clients.publicClient
                .getTransaction({ hash: row.txHash })
                .catch(() => null);
            return inPool ? row : undefined;
        }, 60_000);
        first.kill(9);
        await first.exited;
        expect(batch.size).toBe(50);

        // The orphaned transaction is mined while no process runs: the chain has it, the
        // database still says `executing`.
        await rpc("evm_mine");
        await rpc("evm_setAutomine", [true]);
        expect(await count(interactionsPushedTable)).toBe(0);

        const second = await startExecutorProcess();
        await eventually(async () => (await count(interactionsPendingTable)) === 0, 120_000);
        second.kill(9);

        expect(await count(interactionsPushedTable)).toBe(TOTAL);
        const events = await handledEvents(t.infra.chain, product.interactionContract);
        expect(events).toHaveLength(TOTAL);
        expect(new Set(events.map((e) => e.id)).size).toBe(TOTAL);
        const pushedInFirstBatch = await t.infra.database.db
            .select()
            .from(interactionsPushedTable)
            .where(eq(interactionsPushedTable.txHash, batch.txHash as `0x${string}`));
        expect(pushedInFirstBatch).toHaveLength(50);
    }, 180_000);

    test("killed with its transaction never mined (dropped): re-sent, still exactly once", async () => {
        const wallets = [(await walletWithSession(t.infra.chain)).address];
        await pushMany(t.request, t.infra.tokens, wallets, product.productIdHex, 100);
        // The simulation job alone: its wake-up of this process's executor ended with jobs.stop().
        await t.domains.interactions.jobs.simulate.runNow();
        await rpc("evm_setAutomine", [false]);
        const first = await startExecutorProcess();
        const batch = await eventuallyValue(async () => {
            const [row] = await t.infra.database.db
                .select()
                .from(interactionBatchesTable)
                .where(eq(interactionBatchesTable.status, "sending"));
            if (!row?.txHash) return undefined;
            const inPool = await t.infra.chain.clients.publicClient
                .getTransaction({ hash: row.txHash })
                .catch(() => null);
            return inPool ? row : undefined;
        }, 60_000);
        first.kill(9);
        await first.exited;
        await rpc("anvil_dropTransaction", [batch.txHash]);
        await rpc("evm_setAutomine", [true]);

        const second = await startExecutorProcess();
        await eventually(async () => (await count(interactionsPendingTable)) === 0, 120_000);
        second.kill(9);

        expect(await count(interactionsPushedTable)).toBe(TOTAL + 100);
        const events = await handledEvents(t.infra.chain, product.interactionContract);
        expect(events).toHaveLength(TOTAL + 100);
        expect(new Set(events.map((e) => e.id)).size).toBe(TOTAL + 100);
    }, 180_000);
});
