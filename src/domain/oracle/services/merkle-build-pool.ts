import { Worker } from "node:worker_threads";
import type { BuildJob, BuildReply } from "./merkle-build-worker";
import { MerkleTree } from "./merkle-tree";

const NODE = 32;
/** Levels left to the main thread: about 2^TOP_LEVELS nodes at the first of them (~64-128 hashes). */
const TOP_LEVELS = 7;
/**
 * Below this many leaves a single-thread build is as good: a pooled build pays two messages, the
 * preimage copies and the wake-up of two threads (measured warm on 2 cores, single vs pooled:
 * 500 leaves 1.4 vs 1.0 ms, 1k 2.8 vs 1.8 ms, 4k 11.4 vs 6.5 ms, 10k 28 vs 15.5 ms, 100k 283 vs
 * 166 ms); the margin keeps tiny trees (most products) off the workers entirely.
 */
export const DEFAULT_MIN_POOLED_LEAVES = 1_024;

type Pending = { resolve: () => void; reject: (error: Error) => void };

/**
 * Builds large Merkle trees on a small persistent pool of worker threads (keccak in pure JS
 * bounds one thread at ~1.4 us a hash). The leaves are cut into one contiguous run per worker,
 * each run starting on a multiple of 2^depth so that its nodes of levels 0..depth are exactly
 * those of a single-thread build; each worker hashes its run's leaves and builds its part of
 * those levels straight into shared level buffers, and the main thread builds the few levels
 * above. Preimage runs are transferred, not cloned; nothing is copied per node.
 *
 * The workers are unref'd while idle (they never keep the process alive) and ref'd while a
 * build is in flight; `close()` terminates them (the oracle domain's close).
 */
export class MerkleBuildPool {
    private workers: Worker[] = [];
    private readonly pending = new Map<number, Pending>();
    private nextId = 1;
    private inFlight = 0;
    private closed = false;

    constructor(
        private readonly size = 2,
        readonly minPooledLeaves = DEFAULT_MIN_POOLED_LEAVES,
    ) {}

    /** Same tree as `MerkleTree.fromLeafPreimages`, built on the pool above `minPooledLeaves`. */
    async fromLeafPreimages(
        preimages: Uint8Array,
        width: number,
        count: number,
    ): Promise<MerkleTree> {
        if (this.closed || this.size < 2 || count < this.minPooledLeaves) {
            return MerkleTree.fromLeafPreimages(preimages, width, count);
        }
        if (preimages.length < count * width) throw new Error("preimages shorter than count");
        const depth = Math.max(0, Math.floor(Math.log2(count)) - TOP_LEVELS);
        const block = 2 ** depth;
        const levels: SharedArrayBuffer[] = [];
        for (let level = 0; level <= depth; level++) {
            const nodes = Math.ceil(count / 2 ** level);
            levels.push(new SharedArrayBuffer((level === 0 ? Math.max(nodes, 16) : nodes) * NODE));
        }
        // Run boundaries: multiples of 2^depth, as even as that allows.
        const blocks = Math.ceil(count / block);
        const runs: Array<Promise<void>> = [];
        const workers = this.ensureWorkers();
        let startBlock = 0;
        for (let w = 0; w < workers.length && startBlock < blocks; w++) {
            const endBlock = Math.round((blocks * (w + 1)) / workers.length);
            const start = startBlock * block;
            const end = Math.min(endBlock * block, count);
            if (end > start) {
                const run = preimages.slice(start * width, end * width).buffer;
                runs.push(
                    this.post(workers[w] as Worker, {
                        preimages: run,
                        width,
                        start,
                        count: end - start,
                        levels,
                    }),
                );
            }
            startBlock = endBlock;
        }
        await Promise.all(runs);
        return MerkleTree.fromLowerLevels(
            levels.map((buffer) => new Uint8Array(buffer)),
            count,
        );
    }

    /** Terminates the workers; later builds run on the calling thread. */
    async close(): Promise<void> {
        this.closed = true;
        const workers = this.workers;
        this.workers = [];
        for (const { reject } of this.pending.values())
            reject(new Error("Merkle build pool closed"));
        this.pending.clear();
        await Promise.all(workers.map((worker) => worker.terminate()));
    }

    private ensureWorkers(): Worker[] {
        if (this.workers.length > 0) return this.workers;
        for (let i = 0; i < this.size; i++) {
            const worker = new Worker(new URL("./merkle-build-worker.ts", import.meta.url));
            worker.unref();
            worker.on("message", (reply: BuildReply) => this.settle(reply));
            worker.on("error", (error: Error) => this.fail(error));
            this.workers.push(worker);
        }
        return this.workers;
    }

    private post(worker: Worker, job: Omit<BuildJob, "id">): Promise<void> {
        const id = this.nextId++;
        return new Promise<void>((resolve, reject) => {
            this.pending.set(id, { resolve, reject });
            if (this.inFlight++ === 0) for (const w of this.workers) w.ref();
            worker.postMessage({ ...job, id } satisfies BuildJob, [job.preimages]);
        });
    }

    private settle(reply: BuildReply): void {
        const pending = this.pending.get(reply.id);
        if (!pending) return;
        this.pending.delete(reply.id);
        if (--this.inFlight === 0) for (const w of this.workers) w.unref();
        if (reply.error) pending.reject(new Error(reply.error));
        else pending.resolve();
    }

    /** A worker crashed: fail every build in flight and start fresh workers next time. */
    private fail(error: Error): void {
        for (const { reject } of this.pending.values()) reject(error);
        this.pending.clear();
        this.inFlight = 0;
        const workers = this.workers;
        this.workers = [];
        for (const worker of workers) void worker.terminate();
    }
}
