/**
 * Purchase Merkle tree: build at 10k / 100k / 1M leaves against merkletreejs configured as the
 * seed does (`new MerkleTree(leaves, keccak256, { sort: true, hashLeaves: true })`, viem's
 * keccak256; `sort` implies `sortPairs`) and @openzeppelin/merkle-tree
 * (`SimpleMerkleTree` over the same leaf hashes, hashed in the timed region), proofs per second,
 * and one-leaf update at 1M. A peer whose projected build time exceeds 60 s is skipped.
 *
 * Our build is the app's: `MerkleBuildPool` on 2 worker threads (the machine's 2 cores), rows
 * labelled so; the single-thread build of the same leaves is reported beside it.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import { MerkleTree as MerkleTreeJs } from "merkletreejs";
import { bytesToHex, hexToBytes, keccak256 } from "viem";
import { MerkleBuildPool, MerkleTree, purchaseLeafPreimage } from "../src/domain/oracle";
import type { BenchRow } from "./bench-row";

const SIZES = [10_000, 100_000, 1_000_000];
const PEER_BUDGET_MS = 60_000;

function leaves(n: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    const id = new Uint8Array(32);
    for (let i = 0; i < n; i++) {
        new DataView(id.buffer).setUint32(28, i * 2654435761);
        new DataView(id.buffer).setUint32(24, i);
        out.push(purchaseLeafPreimage(bytesToHex(id), i % 3 === 0 ? "confirmed" : "pending"));
    }
    return out;
}

const time = (task: () => unknown) => {
    const start = performance.now();
    task();
    return performance.now() - start;
};
const timeAsync = async (task: () => Promise<unknown>) => {
    const start = performance.now();
    await task();
    return performance.now() - start;
};
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

export async function runMerkleBench(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const perLeafMs: Record<string, number> = {};
    let million: MerkleTree | undefined;
    // Warm the JIT on a small tree so the first size measures steady-state code.
    const warm = leaves(5_000);
    const warmFlat = new Uint8Array(warm.length * 33);
    warm.forEach((leaf, i) => {
        warmFlat.set(leaf, i * 33);
    });
    const pool = new MerkleBuildPool(2);
    for (let i = 0; i < 5; i++) {
        MerkleTree.fromLeafPreimages(warmFlat, 33, warm.length);
        await pool.fromLeafPreimages(warmFlat, 33, warm.length);
    }
    for (const n of SIZES) {
        const preimages = leaves(n);
        const flat = new Uint8Array(n * 33);
        preimages.forEach((leaf, i) => {
            flat.set(leaf, i * 33);
        });
        let ours: MerkleTree | undefined;
        Bun.gc(true); // peers' garbage from the previous size must not be collected on our clock
        const singleMs = time(() => MerkleTree.fromLeafPreimages(flat, 33, n));
        Bun.gc(true);
        const oursMs = await timeAsync(async () => {
            ours = await pool.fromLeafPreimages(flat, 33, n);
        });
        if (n === 1_000_000) million = ours;
        const leavesLabel = `${n.toLocaleString("en-US")} leaves`;
        const label = `${leavesLabel} (2 worker threads)`;
        rows.push({
            area: "merkle",
            metric: `build ${leavesLabel} (1 thread)`,
            value: ms(singleMs),
        });

        const peers: Array<[string, () => unknown]> = [
            [
                "merkletreejs",
                () =>
                    new MerkleTreeJs(
                        preimages.map((leaf) => Buffer.from(leaf)),
                        (data: Uint8Array) => keccak256(data),
                        { sort: true, hashLeaves: true },
                    ),
            ],
            [
                "@openzeppelin/merkle-tree",
                () => SimpleMerkleTree.of(preimages.map((leaf) => bytesToHex(keccak_256(leaf)))),
            ],
        ];
        for (const [peer, build] of peers) {
            const projected = (perLeafMs[peer] ?? 0) * n;
            if (projected > PEER_BUDGET_MS) {
                rows.push({
                    area: "merkle",
                    metric: `build ${label}`,
                    value: ms(oursMs),
                    peer: `${peer}: skipped (projected ${(projected / 1000).toFixed(0)} s > 60 s)`,
                    target: peer === "merkletreejs" ? ">= 10x" : ">= 3x",
                });
                continue;
            }
            Bun.gc(true);
            const peerMs = time(build);
            perLeafMs[peer] = peerMs / n;
            rows.push({
                area: "merkle",
                metric: `build ${label}`,
                value: ms(oursMs),
                peer: `${peer} ${ms(peerMs)}`,
                ratio: `${(peerMs / oursMs).toFixed(1)}x`,
                target: peer === "merkletreejs" ? ">= 10x" : ">= 3x",
            });
        }

        // Proofs: ours for every leaf (O(log n) each); peers on a sample (merkletreejs is O(n)).
        const tree = ours as MerkleTree;
        const proofCount = Math.min(n, 100_000);
        const proofMs = time(() => {
            for (let i = 0; i < proofCount; i++) tree.proofHex((i * 7919) % n);
        });
        rows.push({
            area: "merkle",
            metric: `proofs/s at ${leavesLabel}`,
            value: `${Math.round((proofCount / proofMs) * 1000).toLocaleString("en-US")}/s`,
        });
    }
    if (million) {
        const tree = million;
        const replacement = hexToBytes(bytesToHex(keccak_256(new Uint8Array([1, 2, 3]))));
        const updates = 10_000;
        const updateMs = time(() => {
            for (let i = 0; i < updates; i++)
                tree.setLeafHash((i * 104729) % tree.size, replacement);
        });
        rows.push({
            area: "merkle",
            metric: "one-leaf update at 1,000,000 leaves",
            value: `${((updateMs / updates) * 1000).toFixed(1)} us`,
            target: "< 1 ms",
        });
    }
    await pool.close();
    return rows;
}

if (import.meta.main) {
    console.table(await runMerkleBench());
    process.exit(0);
}
