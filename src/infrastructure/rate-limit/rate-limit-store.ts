import { RedisClient } from "bun";
import type { Logger } from "pino";
import { withTimeout } from "../../utils/with-timeout";

export type WindowHit = { count: number; resetAt: number };

/** Fixed-window counters: `hit` counts one request in the window and returns the new count. */
export interface RateLimitStore {
    hit(key: string, windowMs: number): Promise<WindowHit>;
    close(): Promise<void>;
}

/** One instance: counters in a Map, swept as windows expire. */
export class MemoryRateLimitStore implements RateLimitStore {
    private readonly windows = new Map<string, WindowHit>();
    private readonly sweeper = setInterval(() => this.sweep(), 30_000);

    constructor() {
        this.sweeper.unref?.();
    }

    async hit(key: string, windowMs: number): Promise<WindowHit> {
        const now = Date.now();
        let window = this.windows.get(key);
        if (!window || window.resetAt <= now) {
            window = { count: 0, resetAt: now + windowMs };
            this.windows.set(key, window);
        }
        window.count += 1;
        return { ...window };
    }

    private sweep() {
        const now = Date.now();
        for (const [key, window] of this.windows)
            if (window.resetAt <= now) this.windows.delete(key);
    }

    async close() {
        clearInterval(this.sweeper);
    }
}

// INCR and set the expiry on the first hit atomically, then report the remaining time.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

/** Shared by every instance through Redis, so a client cannot multiply its quota. */
export class RedisRateLimitStore implements RateLimitStore {
    private readonly client: RedisClient;
    private readonly connecting: Promise<void>;

    /** Resolves once the first connection attempt is over (connected or not). */
    ready(): Promise<void> {
        return this.connecting;
    }

    constructor(
        url: string,
        private readonly logger: Logger,
        private readonly fallback = new MemoryRateLimitStore(),
    ) {
        this.client = new RedisClient(url, { connectionTimeout: 2_000, autoReconnect: true });
        this.connecting = withTimeout(this.client.connect(), 2_000).catch((error) => {
            this.logger.warn({ err: error }, "rate limit store unavailable at start-up");
        });
    }

    async hit(key: string, windowMs: number): Promise<WindowHit> {
        try {
            // Bun queues commands while it reconnects: never make a request wait for Redis.
            if (!this.client.connected) {
                this.reconnectSoon();
                throw new Error("Redis disconnected");
            }
            const [count, ttl] = (await withTimeout(
                this.client.send("EVAL", [hitScript, "1", `rate:${key}`, String(windowMs)]),
                1_000,
            )) as [number, number];
            return { count, resetAt: Date.now() + Math.max(ttl, 0) };
        } catch (error) {
            // Redis down: keep limiting per instance rather than failing requests or opening up.
            this.logger.warn({ err: error }, "rate limit store unavailable, limiting per instance");
            return this.fallback.hit(key, windowMs);
        }
    }

    private lastReconnectAttempt = 0;

    /** Bun stops reconnecting after a while: try again at most every 5 s, off the request. */
    private reconnectSoon() {
        const now = Date.now();
        if (now - this.lastReconnectAttempt < 5_000) return;
        this.lastReconnectAttempt = now;
        this.client.connect().catch(() => {});
    }

    async close() {
        this.client.close();
        await this.fallback.close();
    }
}
