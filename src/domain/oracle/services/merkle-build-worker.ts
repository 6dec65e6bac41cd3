/**
 * Worker side of the Merkle build pool (merkle-build-pool.ts): hashes one contiguous run of
 * leaves and builds that run's part of the lower levels, writing straight into the tree's
 * shared level buffers (the run starts on a multiple of 2^depth, so its nodes sit at the same
 * offsets as in a single-thread build and the odd-node rule applies unchanged).
 */
import { parentPort } from "node:worker_threads";
import { hashSortedPairInto, keccak256Into } from "./keccak";

export type BuildJob = {
    id: number;
    /** This run's leaf preimages, back to back (a transferred buffer). */
    preimages: ArrayBuffer;
    width: number;
    /** Index of the run's first leaf in the whole tree (a multiple of 2^depth). */
    start: number;
    count: number;
    /** levels[j] = the whole tree's level j, j = 0..depth. */
    levels: SharedArrayBuffer[];
};

export type BuildReply = { id: number; error?: string };

const NODE = 32;

export function buildRun(job: BuildJob): void {
    const input = new Uint8Array(job.preimages);
    const leaves = new Uint8Array(job.levels[0] as SharedArrayBuffer);
    for (let i = 0; i < job.count; i++) {
        keccak256Into(input, i * job.width, job.width, leaves, (job.start + i) * NODE);
    }
    let base = job.start;
    let count = job.count;
    for (let level = 0; level + 1 < job.levels.length; level++) {
        const nodes = new Uint8Array(job.levels[level] as SharedArrayBuffer);
        const out = new Uint8Array(job.levels[level + 1] as SharedArrayBuffer);
        const end = base + count;
        const parentBase = base >> 1;
        const parentCount = (count + 1) >> 1;
        for (let p = parentBase; p < parentBase + parentCount; p++) {
            const left = p * 2;
            if (left + 1 < end)
                hashSortedPairInto(nodes, left * NODE, (left + 1) * NODE, out, p * NODE);
            // Odd node (only ever at the end of the whole level): carried up unchanged.
            else out.set(nodes.subarray(left * NODE, left * NODE + NODE), p * NODE);
        }
        base = parentBase;
        count = parentCount;
    }
}

parentPort?.on("message", (job: BuildJob) => {
    let reply: BuildReply;
    try {
        buildRun(job);
        reply = { id: job.id };
    } catch (error) {
        reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(reply);
});
