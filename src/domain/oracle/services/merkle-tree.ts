import { bytesToHex, type Hex } from "viem";
import { hashSortedPairInto, keccak256Into } from "./keccak";

const NODE = 32;

/**
 * A Merkle tree of 32-byte nodes whose leaves keep the position they were given (a purchase's
 * stored `leaf_index`), so changing or appending one leaf rehashes only its path: O(log n).
 *
 * Layout: one flat byte array per level (level 0 = leaves), node i of a level at bytes
 * [32 i, 32 i + 32). Each level has ceil(count below / 2) nodes, up to a single root.
 *
 * Pairs are hashed sorted (OpenZeppelin `MerkleProof` / Solady `MerkleProofLib` / merkletreejs
 * `sortPairs`), so proofs need no left/right flags.
 *
 * Odd node: the last node of a level with an odd count is CARRIED UP unchanged (not hashed with
 * itself), as merkletreejs does by default. A proof then simply has no sibling at that level;
 * OZ's `processProof` folds the siblings it is given, so the shorter proof verifies on-chain.
 * Duplicating would also verify but costs one extra hash per level and gives a root no other
 * sorted-pair library reproduces.
 *
 * Leaf hash = keccak256 of the leaf preimage (for purchases: encodePacked(uint256 purchaseId,
 * uint8 status), 33 bytes): a single hash, like the contract's `verifyPurchase`. A 33-byte leaf
 * preimage can never be confused with a 64-byte inner node preimage.
 */
export class MerkleTree {
    /** levels[k] holds capacity for at least counts[k] nodes. */
    private levels: Uint8Array[];
    private counts: number[];

    private constructor(levels: Uint8Array[], counts: number[]) {
        this.levels = levels;
        this.counts = counts;
    }

    static empty(): MerkleTree {
        return new MerkleTree([new Uint8Array(NODE * 16)], [0]);
    }

    /** Builds from `count` leaf hashes laid out back to back in `leafHashes` (32 bytes each). */
    static fromLeafHashes(leafHashes: Uint8Array, count: number): MerkleTree {
        if (leafHashes.length < count * NODE) throw new Error("leafHashes shorter than count");
        const leaves = new Uint8Array(Math.max(count, 16) * NODE);
        leaves.set(leafHashes.subarray(0, count * NODE));
        const tree = new MerkleTree([leaves], [count]);
        tree.buildUpperLevels();
        return tree;
    }

    /**
     * Builds from leaf preimages of a fixed width (`width` bytes each, back to back), hashing each
     * with keccak-256.
     */
    static fromLeafPreimages(preimages: Uint8Array, width: number, count: number): MerkleTree {
        const hashes = new Uint8Array(Math.max(count, 16) * NODE);
        for (let i = 0; i < count; i++)
            keccak256Into(preimages, i * width, width, hashes, i * NODE);
        const tree = new MerkleTree([hashes], [count]);
        tree.buildUpperLevels();
        return tree;
    }

    /**
     * Adopts levels 0..k already built elsewhere (the worker pool: merkle-build-pool.ts), level j
     * holding ceil(count / 2^j) nodes, and builds the levels above k here.
     */
    static fromLowerLevels(lower: Uint8Array[], count: number): MerkleTree {
        const counts = lower.map((_, level) => Math.ceil(count / 2 ** level));
        lower.forEach((nodes, level) => {
            if (nodes.length < (counts[level] as number) * NODE) throw new Error("level too short");
        });
        const tree = new MerkleTree([...lower], counts);
        tree.buildUpperLevels(lower.length - 1);
        return tree;
    }

    get size(): number {
        return this.counts[0] as number;
    }

    /** The root (32 bytes); all zeros for an empty tree (never pushed on-chain). */
    get root(): Uint8Array {
        if (this.size === 0) return new Uint8Array(NODE);
        const top = this.levels[this.levels.length - 1] as Uint8Array;
        return top.slice(0, NODE);
    }

    get rootHex(): Hex {
        return bytesToHex(this.root);
    }

    leafHash(index: number): Uint8Array | undefined {
        if (index < 0 || index >= this.size) return undefined;
        return (this.levels[0] as Uint8Array).slice(index * NODE, index * NODE + NODE);
    }

    /** Sets leaf `index` to the hash of `preimage`; `index` may be `size` (append). */
    setLeafPreimage(index: number, preimage: Uint8Array): void {
        const hash = new Uint8Array(NODE);
        keccak256Into(preimage, 0, preimage.length, hash, 0);
        this.setLeafHash(index, hash);
    }

    /** Sets leaf `index` (0 <= index <= size) and rehashes its path to the root. */
    setLeafHash(index: number, hash: Uint8Array): void {
        const size = this.size;
        if (!Number.isInteger(index) || index < 0 || index > size) {
            throw new RangeError(`leaf index ${index} outside 0..${size}`);
        }
        if (index === size) this.grow(0, size + 1);
        (this.levels[0] as Uint8Array).set(hash.subarray(0, NODE), index * NODE);
        let i = index;
        for (let level = 0; (this.counts[level] as number) > 1; level++) {
            const parent = i >> 1;
            const parentCount = ((this.counts[level] as number) + 1) >> 1;
            if (level + 1 === this.levels.length) {
                this.levels.push(new Uint8Array(Math.max(parentCount, 16) * NODE));
                this.counts.push(parentCount);
            } else if ((this.counts[level + 1] as number) < parentCount) {
                this.grow(level + 1, parentCount);
            }
            this.computeParent(level, parent);
            i = parent;
        }
    }

    /** Sibling hashes from the leaf up (bytes32[] for `MerkleProof.verify`); O(log n). */
    proof(index: number): Uint8Array[] {
        if (index < 0 || index >= this.size) throw new RangeError(`no leaf at ${index}`);
        const proof: Uint8Array[] = [];
        let i = index;
        for (let level = 0; level < this.levels.length - 1; level++) {
            const sibling = i ^ 1;
            if (sibling < (this.counts[level] as number)) {
                const nodes = this.levels[level] as Uint8Array;
                proof.push(nodes.slice(sibling * NODE, sibling * NODE + NODE));
            }
            i >>= 1;
        }
        return proof;
    }

    proofHex(index: number): Hex[] {
        return this.proof(index).map((node) => bytesToHex(node));
    }

    /** Bytes held, for the cache's size accounting. */
    get byteSize(): number {
        let total = 0;
        for (const level of this.levels) total += level.byteLength;
        return total;
    }

    private buildUpperLevels(from = 0): void {
        let level = from;
        while ((this.counts[level] as number) > 1) {
            const parentCount = ((this.counts[level] as number) + 1) >> 1;
            this.levels.push(new Uint8Array(Math.max(parentCount, 16) * NODE));
            this.counts.push(parentCount);
            for (let p = 0; p < parentCount; p++) this.computeParent(level, p);
            level++;
        }
    }

    private computeParent(level: number, parent: number): void {
        const nodes = this.levels[level] as Uint8Array;
        const out = this.levels[level + 1] as Uint8Array;
        const left = parent * 2;
        if (left + 1 < (this.counts[level] as number)) {
            hashSortedPairInto(nodes, left * NODE, (left + 1) * NODE, out, parent * NODE);
        } else {
            // Odd node: carried up unchanged.
            out.set(nodes.subarray(left * NODE, left * NODE + NODE), parent * NODE);
        }
    }

    /** Raises level `level`'s count, doubling its buffer when full. */
    private grow(level: number, count: number): void {
        const buffer = this.levels[level] as Uint8Array;
        if (buffer.length < count * NODE) {
            const larger = new Uint8Array(Math.max(count * 2, 16) * NODE);
            larger.set(buffer.subarray(0, (this.counts[level] as number) * NODE));
            this.levels[level] = larger;
        }
        this.counts[level] = count;
    }
}

/**
 * Verifies a proof the way OpenZeppelin's `MerkleProof.verify` does (sorted pairs), for tests and
 * self-checks.
 */
export function verifyProof(proof: Uint8Array[], root: Uint8Array, leafHash: Uint8Array): boolean {
    const buffer = new Uint8Array(NODE * 2);
    buffer.set(leafHash, 0);
    for (const sibling of proof) {
        buffer.set(sibling, NODE);
        hashSortedPairInto(buffer, 0, NODE, buffer, 0);
    }
    for (let i = 0; i < NODE; i++) if (buffer[i] !== root[i]) return false;
    return true;
}
