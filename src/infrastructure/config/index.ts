export {
    type AppConfig,
    ConfigError,
    type DatabaseConfig,
    type HttpLimits,
    loadConfig,
    type RateLimitBucket,
} from "./config";
export { type StageFlags, stageFlags } from "./stage";
