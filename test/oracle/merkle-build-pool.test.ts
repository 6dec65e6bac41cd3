import { afterAll, describe, expect, test } from "bun:test";
import { bytesToHex } from "viem";
import { MerkleBuildPool, MerkleTree } from "../../src/domain/oracle";

/** Deterministic pseudo-random 33-byte preimages (xorshift), so failures reproduce. */
function preimages(count: number, seed = 1): Uint8Array {
    const out = new Uint8Array(count * 33);
    let x = seed | 0 || 1;
    for (let i = 0; i < out.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        out[i] = x & 0xff;
    }
    return out;
}

function expectSameTree(pooled: MerkleTree, single: MerkleTree, sampled: number[]): void {
    expect(pooled.size).toBe(single.size);
    expect(pooled.rootHex).toBe(single.rootHex);
    for (const i of sampled) {
        expect(bytesToHex(pooled.leafHash(i)!)).toBe(bytesToHex(single.leafHash(i)!));
        expect(pooled.proofHex(i)).toEqual(single.proofHex(i));
    }
}

const indices = (n: number) =>
    n <= 300
        ? Array.from({ length: n }, (_, i) => i)
        : [0, 1, 2, n >> 1, (n >> 1) + 1, n - 3, n - 2, n - 1].concat(
              Array.from({ length: 40 }, (_, k) => Math.floor((k * n) / 40)),
          );

describe("MerkleBuildPool (2 worker threads)", () => {
    // minPooledLeaves 1: every size below goes through the workers.
    const pool = new MerkleBuildPool(2, 1);
    afterAll(() => pool.close());

    const sizes = [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257,
        383, 1023, 1024, 1025, 2047, 2049, 4095, 4096, 4097, 12_345, 65_535, 65_536, 65_537,
        100_003, 131_073,
    ];
    test("builds byte-identical trees to the single-thread build (roots, leaves, proofs)", async () => {
        for (const n of sizes) {
            const input = preimages(n, n);
            const single = MerkleTree.fromLeafPreimages(input, 33, n);
            const pooled = await pool.fromLeafPreimages(input, 33, n);
            expectSameTree(pooled, single, indices(n));
            expect(pooled.byteSize).toBeGreaterThanOrEqual(n * 32);
        }
    });

    test("a pooled tree takes one-leaf updates and appends exactly like a single-thread one", async () => {
        for (const n of [1, 5, 4096, 10_001]) {
            const input = preimages(n + 3, 7 * n);
            const single = MerkleTree.fromLeafPreimages(input, 33, n);
            const pooled = await pool.fromLeafPreimages(input, 33, n);
            const edits: Array<[number, Uint8Array]> = [
                [0, input.subarray(33 * n, 33 * n + 33)],
                [n, input.subarray(33 * (n + 1), 33 * (n + 2))],
                [n + 1, input.subarray(33 * (n + 2), 33 * (n + 3))],
                [n >> 1, input.subarray(0, 33)],
            ];
            for (const [index, preimage] of edits) {
                single.setLeafPreimage(index, preimage);
                pooled.setLeafPreimage(index, preimage);
                expectSameTree(pooled, single, indices(single.size));
            }
        }
    });

    test("builds in parallel calls and, once closed, falls back to the calling thread", async () => {
        const inputs = [3_000, 5_001, 8_192].map((n) => preimages(n, n + 11));
        const trees = await Promise.all(
            inputs.map((input) => pool.fromLeafPreimages(input, 33, input.length / 33)),
        );
        for (const [k, input] of inputs.entries()) {
            expect(trees[k]!.rootHex).toBe(
                MerkleTree.fromLeafPreimages(input, 33, input.length / 33).rootHex,
            );
        }
        const closing = new MerkleBuildPool(2, 1);
        await closing.fromLeafPreimages(preimages(2_000), 33, 2_000);
        await closing.close();
        const after = await closing.fromLeafPreimages(preimages(2_000), 33, 2_000);
        expect(after.rootHex).toBe(
            MerkleTree.fromLeafPreimages(preimages(2_000), 33, 2_000).rootHex,
        );
    });

    test("an idle pool does not keep the process alive", async () => {
        const script = `
            import { MerkleBuildPool } from ${JSON.stringify(`${import.meta.dir}/../../src/domain/oracle`)};
            const pool = new MerkleBuildPool(2, 1);
            const tree = await pool.fromLeafPreimages(new Uint8Array(33 * 5000), 33, 5000);
            console.log(tree.size);
        `;
        const child = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe" });
        const exited = await Promise.race([
            child.exited,
            Bun.sleep(15_000).then(() => "still running" as const),
        ]);
        if (exited === "still running") child.kill();
        expect(exited).toBe(0);
        expect((await new Response(child.stdout).text()).trim()).toBe("5000");
    });
});
