export { enforceRateLimit } from "./enforce-rate-limit";
export {
    MemoryRateLimitStore,
    type RateLimitStore,
    RedisRateLimitStore,
    type WindowHit,
} from "./rate-limit-store";
export { type RateLimitDecision, RateLimiter, type RateLimitRule } from "./rate-limiter";
