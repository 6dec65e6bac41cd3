import { LRUCache } from "lru-cache";
import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { PURCHASE_LEAF_BYTES } from "../db/purchase-leaf";
import type { PurchaseRepository } from "../repositories/purchase-repository";
import type { MerkleBuildPool } from "./merkle-build-pool";
import { MerkleTree } from "./merkle-tree";

/**
 * Purchase trees per product, in memory, bounded by bytes (LRU). A cached tree is trusted only
 * while its root equals the oracle's stored root: a restart, an eviction or another instance's
 * job run simply makes the next reader rebuild it from the committed leaves.
 */
export class MerkleTreeCache {
    private readonly trees: LRUCache<Hex, MerkleTree>;
    private readonly loading = new Map<Hex, Promise<MerkleTree>>();
    /** Products whose tree the root job is changing right now (readers must not reload). */
    private readonly updating = new Set<Hex>();

    constructor(
        private readonly purchases: PurchaseRepository,
        maxBytes: number,
        /** Builds large trees on worker threads; without it, builds run on the calling thread. */
        private readonly builder?: MerkleBuildPool,
    ) {
        this.trees = new LRUCache<Hex, MerkleTree>({
            maxSize: Math.max(maxBytes, 1),
            sizeCalculation: (tree) => Math.max(tree.byteSize, 1),
        });
    }

    peek(productId: Hex): MerkleTree | undefined {
        return this.trees.get(productId);
    }

    set(productId: Hex, tree: MerkleTree): void {
        this.trees.set(productId, tree);
    }

    delete(productId: Hex): void {
        this.trees.delete(productId);
    }

    isUpdating(productId: Hex): boolean {
        return this.updating.has(productId);
    }

    async whileUpdating<T>(productId: Hex, task: () => Promise<T>): Promise<T> {
        this.updating.add(productId);
        try {
            return await task();
        } finally {
            this.updating.delete(productId);
        }
    }

    /** The cached tree when its root is `expectedRoot`, else one rebuilt from the database. */
    async treeFor(params: {
        oracleId: number;
        productId: Hex;
        expectedRoot: Hex | null;
        executor: Executor;
    }): Promise<MerkleTree> {
        const cached = this.trees.get(params.productId);
        if (cached && rootMatches(cached, params.expectedRoot)) return cached;
        let pending = this.loading.get(params.productId);
        if (!pending) {
            pending = this.load(params.executor, params.oracleId).finally(() =>
                this.loading.delete(params.productId),
            );
            this.loading.set(params.productId, pending);
        }
        const tree = await pending;
        this.trees.set(params.productId, tree);
        return tree;
    }

    /** Builds the tree of an oracle's committed leaves (inside the caller's transaction if any). */
    async load(executor: Executor, oracleId: number): Promise<MerkleTree> {
        const { count, preimages } = await this.purchases.loadLeaves(executor, oracleId);
        if (this.builder)
            return this.builder.fromLeafPreimages(preimages, PURCHASE_LEAF_BYTES, count);
        return MerkleTree.fromLeafPreimages(preimages, PURCHASE_LEAF_BYTES, count);
    }
}

export function rootMatches(tree: MerkleTree, root: Hex | null): boolean {
    if (root === null) return tree.size === 0;
    return tree.size > 0 && tree.rootHex === root.toLowerCase();
}
