/**
 * Upgrade of a product from LegacyProductInteraction to ProductInteraction while interactions
 * are in flight on the legacy contract: one accepted there without the database knowing (an
 * orphaned batch), one batch sent but mined only after the upgrade, the rest still queued.
 * Every interaction ends on-chain exactly once, on one contract or the other.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq, sql } from "drizzle-orm";
import {
    type Address,
    encodeFunctionData,
    type Hex,
    type PrivateKeyAccount,
    parseEventLogs,
    parseGwei,
} from "viem";
import {
    interactionBatchesTable,
    interactionsPendingTable,
    interactionsPushedTable,
} from "../../src/domain/interactions/db/schema";
import {
    decodeRejectionReason,
    encodeReferralReferred,
    legacyProductInteractionAbi,
    newInteractionId,
    productInteractionAbi,
    productInteractionManagerAbi,
    SIGNER_LABELS,
    signInteraction,
} from "../../src/infrastructure/blockchain";
import { eventuallyValue } from "../support/eventually";
import { startTestApp, type TestApp } from "../support/test-app";
import {
    fundedAccount,
    mintTestProduct,
    pushMany,
    type TestProduct,
    walletWithSession,
} from "./helpers";

let t: TestApp;
let legacyProduct: TestProduct;
let legacy: Address;
let submitter: PrivateKeyAccount | undefined;

const rpc = (method: string, params: unknown[] = []) =>
    t.infra.chain.clients.publicClient.request({ method, params } as never);
const db = () => t.infra.database.db;
const count = async (table: typeof interactionsPendingTable | typeof interactionsPushedTable) =>
    (await db().select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0;

async function logsOf(address: Address) {
    return t.infra.chain.clients.publicClient.getLogs({
        address,
        fromBlock: 0n,
        toBlock: "latest",
    });
}

/** A legacy item signed by the product signer, sent straight to the legacy contract. */
async function sendLegacyItem(item: { id: Hex; wallet: Address; data: Hex }) {
    const { chain } = t.infra;
    const signature = await signInteraction({
        signers: chain.signers,
        chainId: chain.clients.chain.id,
        interactionContract: legacy,
        interaction: { ...item, productId: legacyProduct.productId },
    });
    // Anyone may submit signed items (not the executor's account: its nonces are the job's).
    submitter ??= await fundedAccount(chain);
    const hash = await chain.clients.walletClient(submitter).sendTransaction({
        to: legacy,
        data: encodeFunctionData({
            abi: legacyProductInteractionAbi,
            functionName: "handleInteractions",
            args: [[{ ...item, signature }]],
        }),
    });
    const receipt = await chain.clients.waitForReceipt(hash);
    return parseEventLogs({ abi: legacyProductInteractionAbi, logs: receipt.logs });
}

beforeAll(async () => {
    t = await startTestApp({ env: { INTERACTIONS_BATCH_SIZE: "20" } });
    await t.jobs.stop(); // runs are driven by the test
    legacyProduct = await mintTestProduct(t.infra.chain, [], { legacyInteractionContract: true });
    legacy = legacyProduct.interactionContract;
}, 60_000);
afterAll(async () => {
    await rpc("evm_setAutomine", [true]).catch(() => {});
    await t?.stop();
});

describe("upgrade from the legacy interaction contract", () => {
    test("in-flight interactions are drained: each on-chain once, on one contract", async () => {
        const { chain } = t.infra;
        const { simulate, execute } = t.domains.interactions.jobs;
        const referrer = await walletWithSession(chain);
        const referee = await walletWithSession(chain);
        const wallets = [referrer.address, referee.address];
        expect(
            await chain.clients.publicClient.readContract({
                address: chain.deployment.productInteractionManager,
                abi: productInteractionManagerAbi,
                functionName: "isLegacyInteractionContract",
                args: [legacyProduct.productId],
            }),
        ).toBe(true);
        // A referral recorded on the legacy contract, before the upgrade.
        await sendLegacyItem({
            id: newInteractionId(),
            wallet: referee.address,
            data: encodeReferralReferred(referrer.address),
        });

        await pushMany(t.request, t.infra.tokens, wallets, legacyProduct.productIdHex, 60);
        await simulate.runNow();
        // In claim order, so the orphans below are not in the executor's first batch.
        const queued = await db()
            .select()
            .from(interactionsPendingTable)
            .orderBy(asc(interactionsPendingTable.id));
        expect(queued.every((row) => row.status === "simulated" && row.signature)).toBe(true);

        // 1. An orphan: five queued rows accepted on the legacy contract by a transaction the
        //    database never learned about (still `simulated` here).
        const orphans = queued.slice(40, 45);
        for (const row of orphans) {
            const events = await sendLegacyItem({
                id: row.interactionId,
                wallet: row.wallet,
                data: row.interactionData,
            });
            expect(events.some((e) => e.eventName === "InteractionHandled")).toBe(true);
        }

        // 2. A batch sent to the legacy contract, still in the mempool when the upgrade is mined.
        await rpc("evm_setAutomine", [false]);
        const running = execute.runNow();
        const inFlight = await eventuallyValue(async () => {
            const [row] = await db()
                .select()
                .from(interactionBatchesTable)
                .where(eq(interactionBatchesTable.status, "sending"));
            if (!row?.txHash) return undefined;
            const inPool = await chain.clients.publicClient
                .getTransaction({ hash: row.txHash })
                .catch(() => null);
            return inPool ? { batch: row } : undefined;
        });
        expect(inFlight.batch.contract).toBe(legacy.toLowerCase() as Hex);
        // A higher tip: anvil orders the block by fees, so the upgrade comes first.
        const upgrade = await chain.signers.send(SIGNER_LABELS.minter, ({ wallet, nonce }) =>
            wallet.sendTransaction({
                to: chain.deployment.productInteractionManager,
                data: encodeFunctionData({
                    abi: productInteractionManagerAbi,
                    functionName: "upgradeInteractionContract",
                    args: [legacyProduct.productId],
                }),
                nonce,
                maxPriorityFeePerGas: parseGwei("50"),
                maxFeePerGas: parseGwei("100"),
            }),
        );
        await rpc("evm_mine");
        expect(
            (await chain.clients.publicClient.getTransactionReceipt({ hash: upgrade })).status,
        ).toBe("success");
        await rpc("evm_setAutomine", [true]);
        await running;

        const current = await chain.clients.publicClient.readContract({
            address: chain.deployment.productInteractionManager,
            abi: productInteractionManagerAbi,
            functionName: "getInteractionContract",
            args: [legacyProduct.productId],
        });
        expect(current).not.toBe(legacy);

        // 3. More interactions after the upgrade; every run until the queue is empty.
        await pushMany(t.request, t.infra.tokens, wallets, legacyProduct.productIdHex, 20);
        for (let round = 0; round < 10 && (await count(interactionsPendingTable)) > 0; round++) {
            await simulate.runNow();
            await execute.runNow();
        }
        expect(await count(interactionsPendingTable)).toBe(0);
        expect(await count(interactionsPushedTable)).toBe(80);

        // Each pushed row is on exactly one contract: legacy rows by their random id, the others
        // by their sequence on the new contract.
        const legacyEvents = parseEventLogs({
            abi: legacyProductInteractionAbi,
            logs: await logsOf(legacy),
        });
        const legacyHandled = new Set(
            legacyEvents.flatMap((e) =>
                e.eventName === "InteractionHandled" ? [e.args.id.toLowerCase()] : [],
            ),
        );
        const newHandled = parseEventLogs({
            abi: productInteractionAbi,
            logs: await logsOf(current),
        }).flatMap((e) => (e.eventName === "InteractionHandled" ? [e.args.id] : []));
        expect(new Set(newHandled).size).toBe(newHandled.length);
        const pushed = await db().select().from(interactionsPushedTable);
        const onLegacy = pushed.filter((row) => row.sequence === null);
        const onNew = pushed.filter((row) => row.sequence !== null);
        for (const row of onLegacy) expect(legacyHandled.has(row.interactionId)).toBe(true);
        for (const row of onNew) expect(legacyHandled.has(row.interactionId)).toBe(false);
        expect(onNew.map((row) => row.sequence).sort()).toEqual([...newHandled].sort());
        // The legacy contract handled the referral and the pushed legacy rows, nothing else.
        expect(legacyHandled.size).toBe(1 + onLegacy.length);
        // The orphans were recognised on the legacy contract, not pushed again.
        for (const orphan of orphans) {
            expect(onLegacy.some((row) => row.interactionId === orphan.interactionId)).toBe(true);
        }

        // The batch mined after the upgrade was refused item by item by the retired contract;
        // its rows went to the new contract.
        const late = await chain.clients.publicClient.getTransactionReceipt({
            hash: inFlight.batch.txHash as Hex,
        });
        expect(late.blockNumber).toBe(
            (await chain.clients.publicClient.getTransactionReceipt({ hash: upgrade })).blockNumber,
        );
        const lateEvents = parseEventLogs({ abi: legacyProductInteractionAbi, logs: late.logs });
        expect(lateEvents.length).toBe(inFlight.batch.size);
        for (const event of lateEvents) {
            expect(event.eventName).toBe("InteractionRejected");
            if (event.eventName === "InteractionRejected") {
                expect(decodeRejectionReason(event.args.reason)).toBe("NoValidSession");
            }
        }

        // The retired contract accepts nothing, even a correctly signed item replayed to it.
        const replay = await sendLegacyItem({
            id: newInteractionId(),
            wallet: referrer.address,
            data: "0xb2c0f17c",
        });
        expect(replay.map((e) => e.eventName)).toEqual(["InteractionRejected"]);
        // The new contract keeps the legacy contract's referrals.
        expect(
            await chain.clients.publicClient.readContract({
                address: current,
                abi: productInteractionAbi,
                functionName: "referrerOf",
                args: [referee.address],
            }),
        ).toBe(referrer.address);
    }, 120_000);
});
