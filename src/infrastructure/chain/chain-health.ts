import { createPublicClient, http, type PublicClient } from "viem";

export type ChainHealthOptions = {
    /** How long one probe's answer is reused (default 5 s). */
    cacheMs?: number;
    /** Time allowed to the probe's RPC (default 2 s). */
    timeoutMs?: number;
};

/**
 * Readiness of the chain node: one `eth_blockNumber` without retries, its answer reused for a
 * few seconds, so `/health` polled by a load balancer (or an attacker) costs at most one RPC per
 * interval, and concurrent checks share the probe in flight.
 */
export class ChainHealthProbe {
    private readonly client: PublicClient;
    private readonly cacheMs: number;
    private last: { ok: boolean; at: number } | undefined;
    private inFlight: Promise<boolean> | undefined;

    constructor(rpcUrl: string, options: ChainHealthOptions = {}) {
        this.cacheMs = options.cacheMs ?? 5_000;
        this.client = createPublicClient({
            transport: http(rpcUrl, { retryCount: 0, timeout: options.timeoutMs ?? 2_000 }),
        });
    }

    async isUp(): Promise<boolean> {
        if (this.last && performance.now() - this.last.at < this.cacheMs) return this.last.ok;
        this.inFlight ??= this.client.getBlockNumber({ cacheTime: 0 }).then(
            () => this.record(true),
            () => this.record(false),
        );
        return this.inFlight;
    }

    private record(ok: boolean): boolean {
        this.last = { ok, at: performance.now() };
        this.inFlight = undefined;
        return ok;
    }
}
