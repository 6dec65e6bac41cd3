import { bytesToHex, type Hex } from "viem";
import type { Database } from "../../../infrastructure/persistence";
import { type PurchaseStatus, statusOfLeaf } from "../db/purchase-leaf";
import {
    type PurchaseForProof,
    type PurchaseRef,
    type PurchaseRepository,
    refKey,
} from "../repositories/purchase-repository";
import { keccak256Into } from "./keccak";
import { type MerkleTreeCache, rootMatches } from "./tree-cache";

export type PurchaseProofResult =
    | {
          status: "success";
          productId: Hex;
          purchaseId: Hex;
          purchaseStatus: PurchaseStatus;
          proof: Hex[];
      }
    /** The purchase is known but not provable yet: its product says which oracle to update. */
    | { status: "not-processed" | "oracle-not-synced" | "no-proof-found"; productId: Hex }
    | { status: "not-found" };

/**
 * Proofs of a purchase against the oracle's on-chain root, in O(log n) from the cached tree.
 * States as the seed: unknown purchase; leaf not committed yet (or its status changed since);
 * root not on-chain yet; leaf not in the tree.
 */
export class ProofService {
    constructor(
        private readonly db: Database,
        private readonly purchases: PurchaseRepository,
        private readonly trees: MerkleTreeCache,
    ) {}

    async forPurchaseToken(params: {
        token: string;
        externalPurchaseId: string;
    }): Promise<PurchaseProofResult> {
        return this.prove(
            await this.purchases.findForProofByToken(params.token, params.externalPurchaseId),
        );
    }

    /** One result per ref, in order, from one look-up of all the refs' purchases. */
    async forPurchaseTokens(refs: readonly PurchaseRef[]): Promise<PurchaseProofResult[]> {
        const found = await this.purchases.findForProofByTokens(refs);
        const results: PurchaseProofResult[] = [];
        for (const ref of refs) results.push(await this.prove(found.get(refKey(ref))));
        return results;
    }

    private async prove(purchase: PurchaseForProof | undefined): Promise<PurchaseProofResult> {
        if (!purchase) return { status: "not-found" };
        if (purchase.leaf === null || purchase.leafIndex === null || purchase.leafPending) {
            return { status: "not-processed", productId: purchase.productId };
        }
        if (!purchase.synced || purchase.merkleRoot === null)
            return { status: "oracle-not-synced", productId: purchase.productId };
        const cached = this.trees.peek(purchase.productId);
        if (
            (!cached || !rootMatches(cached, purchase.merkleRoot)) &&
            this.trees.isUpdating(purchase.productId)
        ) {
            return { status: "oracle-not-synced", productId: purchase.productId };
        }
        const tree = await this.trees.treeFor({
            oracleId: purchase.oracleId,
            productId: purchase.productId,
            expectedRoot: purchase.merkleRoot,
            executor: this.db,
        });
        // The root moved between our read and the tree (a job run): the chain is not there yet.
        if (!rootMatches(tree, purchase.merkleRoot)) {
            return { status: "oracle-not-synced", productId: purchase.productId };
        }
        const expected = new Uint8Array(32);
        keccak256Into(purchase.leaf, 0, purchase.leaf.length, expected, 0);
        const inTree = tree.leafHash(purchase.leafIndex);
        if (!inTree || bytesToHex(inTree) !== bytesToHex(expected))
            return { status: "no-proof-found", productId: purchase.productId };
        return {
            status: "success",
            productId: purchase.productId,
            purchaseId: purchase.purchaseId,
            purchaseStatus: statusOfLeaf(purchase.leaf),
            proof: tree.proofHex(purchase.leafIndex),
        };
    }
}
