/**
 * Anyone may submit a signed batch, so anyone may replay one: an item the contract refused when
 * the executor sent it (here, its wallet's session had expired) is accepted when someone replays
 * that old transaction's calldata after the wallet opened a new session. When the executor later
 * retries the row, the contract refuses the id as already handled, and the row must be recorded
 * as pushed with the replay's transaction, not failed and retried until archived.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { encodeFunctionData, type Hex } from "viem";
import {
    interactionBatchesTable,
    interactionsPendingTable,
    interactionsPushedTable,
} from "../../src/domain/interactions/db/schema";
import { productInteractionManagerAbi } from "../../src/infrastructure/blockchain";
import { startTestApp, type TestApp } from "../support/test-app";
import {
    fundedAccount,
    handledEvents,
    mintTestProduct,
    pushMany,
    retriesComeSooner,
    send,
    type TestProduct,
    walletWithSession,
} from "./helpers";

let t: TestApp;
let product: TestProduct;
const rpc = (method: string, params: unknown[] = []) =>
    t.infra.chain.clients.publicClient.request({ method, params } as never);

beforeAll(async () => {
    t = await startTestApp();
    await t.jobs.stop(); // runs are driven by the test
    product = await mintTestProduct(t.infra.chain);
}, 60_000);
afterAll(() => t?.stop());

describe("a batch replayed by someone else", () => {
    test("the retried row is recorded as pushed with the replay's transaction", async () => {
        const { chain } = t.infra;
        const { simulate, execute, retry } = t.domains.interactions.jobs;
        const wallet = await walletWithSession(chain, 120);
        await pushMany(t.request, t.infra.tokens, [wallet.address], product.productIdHex, 1);
        await simulate.runNow();
        // The session ends between simulation and execution: the item is refused on-chain.
        await rpc("evm_increaseTime", [200]);
        await rpc("evm_mine");
        await execute.runNow();
        const [row] = await t.infra.database.db.select().from(interactionsPendingTable);
        expect(row?.status).toBe("no_session");
        const [batch] = await t.infra.database.db.select().from(interactionBatchesTable);
        const sent = await chain.clients.publicClient.getTransaction({
            hash: batch?.txHash as Hex,
        });

        // The wallet opens a session again; a stranger replays the executor's old transaction.
        const block = await chain.clients.publicClient.getBlock();
        await send(
            chain,
            wallet,
            chain.deployment.productInteractionManager,
            encodeFunctionData({
                abi: productInteractionManagerAbi,
                functionName: "openSession",
                args: [Number(block.timestamp) + 86_400],
            }),
        );
        const stranger = await fundedAccount(chain);
        const replay = await send(chain, stranger, product.interactionContract, sent.input);
        expect(await handledEvents(chain, product.interactionContract)).toHaveLength(1);
        // Blocks go by before the row is retried, so its next batch starts after the replay.
        for (let i = 0; i < 3; i++) await rpc("evm_mine");

        await retriesComeSooner(t.infra.database.db, 49);
        await retry.runNow();
        await simulate.runNow();
        await execute.runNow();

        expect(await t.infra.database.db.select().from(interactionsPendingTable)).toHaveLength(0);
        const [pushed] = await t.infra.database.db
            .select()
            .from(interactionsPushedTable)
            .where(eq(interactionsPushedTable.interactionId, row?.interactionId as Hex));
        expect(pushed?.txHash).toBe(replay.transactionHash);
        expect(await handledEvents(chain, product.interactionContract)).toHaveLength(1);
    }, 60_000);
});
