import type { RateLimitStore } from "./rate-limit-store";

export type RateLimitRule = { limit: number; windowSeconds: number };
export type RateLimitDecision =
    | { allowed: true; remaining: number }
    | { allowed: false; retryAfterSeconds: number };

/** Counts requests per (bucket, client) in fixed windows and says whether one more is allowed. */
export class RateLimiter {
    constructor(
        private readonly store: RateLimitStore,
        private readonly rules: Record<string, RateLimitRule>,
    ) {}

    async check(bucket: string, client: string): Promise<RateLimitDecision> {
        const rule = this.rules[bucket];
        if (!rule || rule.limit <= 0) return { allowed: true, remaining: Number.POSITIVE_INFINITY };
        const { count, resetAt } = await this.store.hit(
            `${bucket}:${client}`,
            rule.windowSeconds * 1000,
        );
        if (count <= rule.limit) return { allowed: true, remaining: rule.limit - count };
        return {
            allowed: false,
            retryAfterSeconds: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)),
        };
    }

    close(): Promise<void> {
        return this.store.close();
    }
}
