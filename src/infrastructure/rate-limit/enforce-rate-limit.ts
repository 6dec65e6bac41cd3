import { ApiError } from "../errors/api-error";
import type { RateLimiter } from "./rate-limiter";

/**
 * For limits keyed by something known only inside the route (the verified wallet): throws the
 * same 429 `rate_limited` with Retry-After as the per-IP middleware answers.
 */
export async function enforceRateLimit(
    limiter: RateLimiter,
    bucket: string,
    client: string,
): Promise<void> {
    const decision = await limiter.check(bucket, client.toLowerCase());
    if (decision.allowed) return;
    throw new ApiError("rate_limited", "Too many requests, retry later", {
        retryAfterSeconds: decision.retryAfterSeconds,
    });
}
