import type { Hex } from "viem";
import {
    type BackendSigners,
    type ChainClients,
    type Deployment,
    purchaseOracleAbi,
    SIGNER_LABELS,
} from "../../../infrastructure/blockchain";
import type { Logger } from "../../../infrastructure/logger";
import type { Database } from "../../../infrastructure/persistence";
import type { AwaitedPurchases } from "../ports";
import type { OracleRepository } from "../repositories/oracle-repository";
import type { PurchaseRepository } from "../repositories/purchase-repository";
import type { MerkleTree } from "./merkle-tree";
import { type MerkleTreeCache, rootMatches } from "./tree-cache";

export type RootSyncedEvent = { productId: Hex; merkleRoot: Hex; txHash: Hex | null };

export type RootUpdateSettings = { threshold: number; maxAgeMinutes: number };

/**
 * The `oracle.updateMerkleRoot` job: commit pending leaves of the oracles that qualify, update their
 * trees in O(changes x log n), store the new root, push it from the `oracle-updater` signer and
 * record `synced` only after the receipt. Runs under the job's advisory lock (one runner).
 */
export class RootUpdateService {
    constructor(
        private readonly deps: {
            db: Database;
            oracles: OracleRepository;
            purchases: PurchaseRepository;
            trees: MerkleTreeCache;
            chain: { clients: ChainClients; deployment: Deployment; signers: BackendSigners };
            logger: Logger;
            settings: RootUpdateSettings;
            /** Purchases waited for: their oracles qualify below the threshold. */
            awaitedPurchases?: AwaitedPurchases;
            /** The `oracleUpdated` event: a root reached the chain. */
            onRootSynced: (event: RootSyncedEvent) => void;
        },
    ) {}

    async run(): Promise<void> {
        // Set-based look-ups a page of waiting buyers at a time: the awaited orders, then their
        // products (no proof and no tree is built to learn a product).
        const awaiting = new Set<Hex>();
        for await (const page of this.deps.awaitedPurchases?.pages() ?? []) {
            for (const id of await this.deps.purchases.productIdsOf(page)) awaiting.add(id);
        }
        const ids = await this.deps.oracles.idsNeedingUpdate({
            awaitingProductIds: [...awaiting],
            threshold: this.deps.settings.threshold,
            maxAgeMinutes: this.deps.settings.maxAgeMinutes,
        });
        for (const id of ids) {
            try {
                await this.updateOracle(id);
            } catch (error) {
                // The row stays unsynced (or pending): the next run retries it.
                this.deps.logger.error({ err: error, oracleId: id }, "oracle root update failed");
            }
        }
    }

    private async updateOracle(oracleId: number): Promise<void> {
        const committed = await this.commitLeaves(oracleId);
        if (!committed) return;
        const { productId, root, synced } = committed;
        if (synced) return;
        const txHash = await this.pushRoot(productId, root);
        await this.deps.oracles.markSynced(oracleId, root, txHash);
        this.deps.logger.info({ productId, root, txHash }, "oracle root synced");
        this.deps.onRootSynced({ productId, merkleRoot: root, txHash });
    }

    /** One transaction: positions, leaves, tree, root. The cached tree follows only on commit. */
    private async commitLeaves(
        oracleId: number,
    ): Promise<{ productId: Hex; root: Hex; synced: boolean } | undefined> {
        const { db, oracles, purchases, trees } = this.deps;
        const first = await oracles.findById(oracleId);
        if (!first) return undefined;
        const productId = first.productId;
        return trees.whileUpdating(productId, async () => {
            let tree: MerkleTree | undefined;
            try {
                const result = await db.transaction(async (tx) => {
                    const oracle = await oracles.lockById(tx, oracleId);
                    if (!oracle) return undefined;
                    await purchases.assignLeafIndexes(tx, oracleId);
                    const changed = await purchases.commitPendingLeaves(tx, oracleId);
                    const cached = trees.peek(productId);
                    if (cached && rootMatches(cached, oracle.merkleRoot)) {
                        tree = cached;
                        for (const { leafIndex, leaf } of changed)
                            tree.setLeafPreimage(leafIndex, leaf);
                    } else {
                        tree = await trees.load(tx, oracleId);
                    }
                    if (tree.size === 0) return undefined;
                    const root = tree.rootHex;
                    if (root !== oracle.merkleRoot) {
                        await oracles.setRoot(tx, oracleId, root);
                        return { productId, root, synced: false };
                    }
                    return { productId, root, synced: oracle.synced };
                });
                if (tree) trees.set(productId, tree);
                return result;
            } catch (error) {
                // The cached tree may hold leaves that were rolled back.
                trees.delete(productId);
                throw error;
            }
        });
    }

    /** Sends the root unless the chain already has it; resolves after the receipt. */
    private async pushRoot(productId: Hex, root: Hex): Promise<Hex | null> {
        const { clients, deployment, signers } = this.deps.chain;
        const id = BigInt(productId);
        const onChain = await clients.publicClient.readContract({
            address: deployment.purchaseOracle,
            abi: purchaseOracleAbi,
            functionName: "getMerkleRoot",
            args: [id],
        });
        if (onChain.toLowerCase() === root) return null;
        const hash = await signers.send(
            SIGNER_LABELS.oracleUpdater,
            async ({ account, wallet, nonce }) => {
                // Simulate first: a missing role fails here with the decoded revert, not a lost tx.
                const { request } = await clients.publicClient.simulateContract({
                    address: deployment.purchaseOracle,
                    abi: purchaseOracleAbi,
                    functionName: "updateMerkleRoot",
                    args: [id, root],
                    account,
                });
                return wallet.writeContract({ ...request, nonce });
            },
        );
        await clients.waitForReceipt(hash);
        return hash;
    }
}
