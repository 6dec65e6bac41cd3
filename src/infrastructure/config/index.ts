export {
    type AppConfig,
    ConfigError,
    type DatabaseConfig,
    loadConfig,
    type RateLimitBucket,
} from "./config";
export { type StageFlags, stageFlags } from "./stage";
