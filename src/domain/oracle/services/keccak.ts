import { keccakF1600 } from "../../../utils/keccak-f1600.generated";

/**
 * keccak-256 of inputs shorter than one block (136 bytes), written into a caller's buffer with
 * no allocation: one reusable sponge state, padding applied in place, then an unrolled
 * keccak-f[1600] (src/utils/keccak-f1600.generated.ts, written by
 * scripts/generate-keccak-f1600.ts; CI checks they match). Tree building hashes millions of 33-
 * and 64-byte inputs:
 * @noble/hashes' `keccak_256()` allocates a hasher per call and loops over lanes (~3.8 us per
 * hash), this path takes ~1.4 us. Its output is checked against noble's in the tests.
 *
 * The state bytes are read as little-endian 32-bit lanes, as noble does on little-endian hosts.
 */
const state32 = new Uint32Array(50);
const state8 = new Uint8Array(state32.buffer);
const RATE = 136;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
    throw new Error("keccak fast path needs a little-endian host");
}

/** keccak256(input[inOffset .. inOffset+length)) -> out[outOffset .. outOffset+32). */
export function keccak256Into(
    input: Uint8Array,
    inOffset: number,
    length: number,
    out: Uint8Array,
    outOffset: number,
): void {
    state32.fill(0);
    state8.set(input.subarray(inOffset, inOffset + length), 0);
    state8[length] = (state8[length] as number) ^ 0x01;
    state8[RATE - 1] = (state8[RATE - 1] as number) ^ 0x80;
    keccakF1600(state32);
    out.set(state8.subarray(0, 32), outOffset);
}

const pairBuffer = new Uint8Array(64);

/**
 * OpenZeppelin's commutative hash: keccak256(min(a, b) ++ max(a, b)) of two 32-byte nodes,
 * compared as big-endian uint256 (= byte order).
 */
export function hashSortedPairInto(
    nodes: Uint8Array,
    a: number,
    b: number,
    out: Uint8Array,
    outOffset: number,
): void {
    let first = a;
    let second = b;
    for (let i = 0; i < 32; i++) {
        const x = nodes[a + i] as number;
        const y = nodes[b + i] as number;
        if (x !== y) {
            if (x > y) {
                first = b;
                second = a;
            }
            break;
        }
    }
    pairBuffer.set(nodes.subarray(first, first + 32), 0);
    pairBuffer.set(nodes.subarray(second, second + 32), 32);
    keccak256Into(pairBuffer, 0, 64, out, outOffset);
}
