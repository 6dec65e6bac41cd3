import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import { MerkleTree as MerkleTreeJs } from "merkletreejs";
import { bytesToHex, type Hex, hexToBytes, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { MerkleTree, purchaseLeafPreimage, verifyProof } from "../../src/domain/oracle";
import { keccak256Into } from "../../src/domain/oracle/services/keccak";
import { purchaseOracleAbi, SIGNER_LABELS } from "../../src/infrastructure/blockchain";
import { type ChainFixture, startChainFixture } from "../chain/setup";
import { mintProduct } from "../support/mint-product";

const purchaseId = (i: number): Hex => keccak256(toHex(`purchase-${i}`));
const preimages = (n: number, statusOf = (i: number) => i % 4) =>
    Array.from({ length: n }, (_, i) =>
        purchaseLeafPreimage(
            purchaseId(i),
            (["pending", "confirmed", "cancelled", "refunded"] as const)[statusOf(i)]!,
        ),
    );
const flat = (leaves: Uint8Array[]) => {
    const out = new Uint8Array(leaves.length * 33);
    for (const [i, leaf] of leaves.entries()) out.set(leaf, i * 33);
    return out;
};
const leafHash = (preimage: Uint8Array) => keccak_256(preimage);

describe("keccak-256 fast path", () => {
    test("equals @noble/hashes keccak_256 for every length up to one block", () => {
        const input = new Uint8Array(135);
        const out = new Uint8Array(32);
        for (let round = 0; round < 20; round++) {
            crypto.getRandomValues(input);
            for (let length = 0; length <= 135; length++) {
                keccak256Into(input, 0, length, out, 0);
                expect(bytesToHex(out)).toBe(bytesToHex(keccak_256(input.subarray(0, length))));
            }
        }
    });
});

describe("MerkleTree", () => {
    test("same root as merkletreejs (hashLeaves, sortPairs, odd node carried up) for 1..70 leaves", () => {
        for (let n = 1; n <= 70; n++) {
            const leaves = preimages(n);
            const ours = MerkleTree.fromLeafPreimages(flat(leaves), 33, n);
            const reference = new MerkleTreeJs(
                leaves.map((leaf) => Buffer.from(leaf)),
                (data: Buffer) => Buffer.from(keccak_256(data)),
                { hashLeaves: true, sortPairs: true },
            );
            expect(ours.rootHex).toBe(reference.getHexRoot() as Hex);
            for (let i = 0; i < n; i++) {
                const proof = ours.proof(i);
                expect(proof.map((p) => bytesToHex(p))).toEqual(
                    reference.getHexProof(Buffer.from(leafHash(leaves[i]!))) as Hex[],
                );
                expect(verifyProof(proof, ours.root, leafHash(leaves[i]!))).toBe(true);
                // OpenZeppelin's JS verifier (same algorithm as MerkleProof.sol).
                expect(
                    SimpleMerkleTree.verify(
                        ours.rootHex,
                        bytesToHex(leafHash(leaves[i]!)),
                        ours.proofHex(i),
                    ),
                ).toBe(true);
            }
        }
    });

    test("appends and status updates are path updates that equal a full rebuild", () => {
        const n = 1000;
        const leaves = preimages(n);
        const incremental = MerkleTree.empty();
        for (let i = 0; i < n; i++) {
            incremental.setLeafPreimage(i, leaves[i]!);
            if (i % 97 === 0) {
                expect(incremental.rootHex).toBe(
                    MerkleTree.fromLeafPreimages(flat(leaves.slice(0, i + 1)), 33, i + 1).rootHex,
                );
            }
        }
        for (const index of [0, 1, 511, 512, 998, 999]) {
            leaves[index] = purchaseLeafPreimage(purchaseId(index), "refunded");
            incremental.setLeafPreimage(index, leaves[index]!);
            const rebuilt = MerkleTree.fromLeafPreimages(flat(leaves), 33, n);
            expect(incremental.rootHex).toBe(rebuilt.rootHex);
            expect(
                verifyProof(incremental.proof(index), incremental.root, leafHash(leaves[index]!)),
            ).toBe(true);
        }
        expect(() => incremental.setLeafPreimage(n + 1, leaves[0]!)).toThrow(RangeError);
        expect(incremental.proof(5).length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
    });

    test("empty tree root is zero; a single leaf is its own root with an empty proof", () => {
        expect(bytesToHex(MerkleTree.empty().root)).toBe(`0x${"0".repeat(64)}`);
        const one = MerkleTree.fromLeafPreimages(flat(preimages(1)), 33, 1);
        expect(one.rootHex).toBe(bytesToHex(leafHash(preimages(1)[0]!)));
        expect(one.proof(0)).toEqual([]);
    });
});

describe("proofs verify on-chain with OpenZeppelin MerkleProof (PurchaseOracle.verifyPurchase)", () => {
    let f: ChainFixture;
    let productId: bigint;
    beforeAll(async () => {
        f = await startChainFixture();
        const owner = privateKeyToAccount(generatePrivateKey());
        ({ productId } = await mintProduct({
            clients: f.clients,
            signers: f.signers,
            deployment: f.deployment,
            productTypes: 1n << 31n,
            name: "tree",
            domain: "tree.example",
            owner: owner.address,
        }));
    }, 60_000);
    afterAll(async () => {
        await f?.anvil.stop();
    });

    const pushRoot = async (root: Hex) => {
        const hash = await f.signers.send(SIGNER_LABELS.oracleUpdater, ({ wallet, nonce }) =>
            wallet.writeContract({
                address: f.deployment.purchaseOracle,
                abi: purchaseOracleAbi,
                functionName: "updateMerkleRoot",
                args: [productId, root],
                nonce,
            }),
        );
        await f.clients.waitForReceipt(hash);
    };
    const verify = (i: number, status: number, proof: Hex[]) =>
        f.clients.publicClient.readContract({
            address: f.deployment.purchaseOracle,
            abi: purchaseOracleAbi,
            functionName: "verifyPurchase",
            args: [productId, BigInt(purchaseId(i)), status, proof],
        });

    test("every leaf of odd-sized trees (carried nodes) verifies; tampered proofs do not", async () => {
        for (const n of [1, 2, 3, 5, 13, 33]) {
            const tree = MerkleTree.fromLeafPreimages(flat(preimages(n)), 33, n);
            await pushRoot(tree.rootHex);
            const results = await Promise.all(
                Array.from({ length: n }, (_, i) => verify(i, i % 4, tree.proofHex(i))),
            );
            expect(results.every(Boolean)).toBe(true);
            if (n > 1) {
                expect(await verify(n - 1, ((n - 1) % 4) ^ 1, tree.proofHex(n - 1))).toBe(false);
                expect(await verify(0, 0, tree.proofHex(0).slice(0, -1))).toBe(false);
            }
        }
        expect(hexToBytes(purchaseId(0))).toHaveLength(32);
    }, 60_000);
});
