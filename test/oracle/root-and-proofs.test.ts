import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { interactionsPurchaseTrackerTable } from "../../src/domain/interactions/db/schema";
import type { RootSyncedEvent } from "../../src/domain/oracle";
import { productOracleTable } from "../../src/domain/oracle/db/schema";
import { PurchaseRepository } from "../../src/domain/oracle/repositories/purchase-repository";
import { MerkleTreeCache } from "../../src/domain/oracle/services/tree-cache";
import { purchaseOracleAbi, SIGNER_LABELS } from "../../src/infrastructure/blockchain";
import { sdkHeaders } from "../interactions/helpers";
import { type OracleFixture, sendShopify, shopifyOrder, startOracleFixture } from "./helpers";

let f: OracleFixture;
const synced: RootSyncedEvent[] = [];

/** A wallet waits for the proof of a shop order (a purchase tracker, as the SDK registers it). */
async function listenForPurchase(orderId: number) {
    const wallet = getAddress(privateKeyToAccount(generatePrivateKey()).address);
    const { token } = await f.app.infra.tokens.signSdk(wallet);
    const response = await f.app.request("/wallet/interactions/listenForPurchase", {
        method: "POST",
        headers: sdkHeaders(token),
        body: JSON.stringify({ customerId: 115310627314, orderId, token: `chk-${orderId}` }),
    });
    expect(response.status).toBe(200);
}

const onChainRoot = () =>
    f.app.infra.chain.clients.publicClient.readContract({
        address: f.app.infra.chain.deployment.purchaseOracle,
        abi: purchaseOracleAbi,
        functionName: "getMerkleRoot",
        args: [BigInt(f.productId)],
    });

const verifyOnChain = (purchaseId: Hex, status: number, proof: Hex[]) =>
    f.app.infra.chain.clients.publicClient.readContract({
        address: f.app.infra.chain.deployment.purchaseOracle,
        abi: purchaseOracleAbi,
        functionName: "verifyPurchase",
        args: [BigInt(f.productId), BigInt(purchaseId), status, proof],
    });

const proofOf = (orderId: number) =>
    f.app.domains.oracle.proofs.forPurchaseToken({
        token: `chk-${orderId}`,
        externalPurchaseId: String(orderId),
    });

const runJob = () => f.app.domains.oracle.jobs.updateMerkleRoot.runNow();

beforeAll(async () => {
    f = await startOracleFixture({ platform: "shopify" });
    f.app.domains.oracle.onRootSynced((event) => synced.push(event));
}, 60_000);
afterAll(async () => {
    await f?.app.stop();
}, 30_000);

describe("updateMerkleRoot job and proofs", () => {
    test("nothing qualifies below the threshold without a waiting tracker", async () => {
        for (let id = 1; id <= 7; id++) {
            expect(
                (await sendShopify(f, shopifyOrder(id, id % 3 === 0 ? "refunded" : "paid"))).status,
            ).toBe(200);
        }
        expect(await proofOf(1)).toEqual({ status: "not-processed", productId: f.productId });
        await runJob();
        expect(await proofOf(1)).toEqual({ status: "not-processed", productId: f.productId });
        expect(await proofOf(999)).toEqual({ status: "not-found" });
    });

    test("a waiting tracker qualifies the oracle: on-chain root == tree root, proofs verify on-chain", async () => {
        // A refunded order: its tracker is never completed, so it keeps waiting.
        await listenForPurchase(3);
        await runJob();
        const root = await onChainRoot();
        expect(synced.at(-1)).toMatchObject({ productId: f.productId, merkleRoot: root });
        expect(synced.at(-1)?.txHash).toMatch(/^0x[0-9a-f]{64}$/);

        for (let id = 1; id <= 7; id++) {
            const result = await proofOf(id);
            if (result.status !== "success") throw new Error(`order ${id}: ${result.status}`);
            const status = id % 3 === 0 ? 3 : 1;
            expect(result.purchaseStatus).toBe(id % 3 === 0 ? "refunded" : "confirmed");
            expect(await verifyOnChain(result.purchaseId, status, result.proof)).toBe(true);
            // Tampered: another status, a flipped proof byte, a missing sibling.
            expect(await verifyOnChain(result.purchaseId, status === 1 ? 2 : 1, result.proof)).toBe(
                false,
            );
            const flipped = [...result.proof];
            flipped[0] =
                `${flipped[0]!.slice(0, -1)}${flipped[0]!.endsWith("0") ? "1" : "0"}` as Hex;
            expect(await verifyOnChain(result.purchaseId, status, flipped)).toBe(false);
            expect(await verifyOnChain(result.purchaseId, status, result.proof.slice(1))).toBe(
                false,
            );
        }
    });

    test("a refund after sync: not-processed until the job, then the new leaf verifies", async () => {
        await sendShopify(f, shopifyOrder(2, "refunded", { note: "refund" }));
        expect(await proofOf(2)).toEqual({ status: "not-processed", productId: f.productId });
        await runJob();
        const result = await proofOf(2);
        if (result.status !== "success") throw new Error(result.status);
        expect(result.purchaseStatus).toBe("refunded");
        expect(await verifyOnChain(result.purchaseId, 3, result.proof)).toBe(true);
        expect(await verifyOnChain(result.purchaseId, 1, result.proof)).toBe(false);
    });

    test("after a restart (cache lost) the tree is rebuilt from the database with the same root", async () => {
        const before = await onChainRoot();
        // A fresh tree cache over the same database: what a new process sees.
        const cache = new MerkleTreeCache(new PurchaseRepository(f.app.infra.database.db), 1 << 20);
        const [oracle] = await f.app.infra.database.db.select().from(productOracleTable);
        const tree = await cache.treeFor({
            oracleId: oracle!.id,
            productId: f.productId,
            expectedRoot: before,
            executor: f.app.infra.database.db,
        });
        expect(tree.rootHex).toBe(before);
        expect(tree.size).toBe(7);
    });

    test("an unsynced root is retried: a failed push stays unsynced, the next run syncs it", async () => {
        const { chain } = f.app.infra;
        const updater = chain.signers.address(SIGNER_LABELS.oracleUpdater);
        const balance = await chain.clients.publicClient.getBalance({ address: updater });
        const setBalance = (wei: bigint) =>
            chain.clients.publicClient.request({
                method: "anvil_setBalance",
                params: [updater, `0x${wei.toString(16)}`],
            } as never);
        await sendShopify(f, shopifyOrder(50, "paid"));
        await setBalance(0n); // the push cannot pay for gas
        const rootBefore = await onChainRoot();
        await runJob();
        const [unsynced] = await f.app.infra.database.db.select().from(productOracleTable);
        expect(unsynced?.synced).toBe(false);
        expect(unsynced?.merkleRoot).not.toBe(rootBefore);
        expect(await onChainRoot()).toBe(rootBefore);
        expect(await proofOf(50)).toEqual({ status: "oracle-not-synced", productId: f.productId });

        await setBalance(balance);
        // No tracker: retried because it is unsynced.
        await f.app.infra.database.db.delete(interactionsPurchaseTrackerTable);
        await runJob();
        const [oracle] = await f.app.infra.database.db.select().from(productOracleTable);
        expect(oracle?.synced).toBe(true);
        expect(await onChainRoot()).toBe(oracle!.merkleRoot!);
        const result = await proofOf(50);
        if (result.status !== "success") throw new Error(result.status);
        expect(await verifyOnChain(result.purchaseId, 1, result.proof)).toBe(true);
    });
});
