export { type AppConfig, ConfigError, type DatabaseConfig, loadConfig } from "./config";
export { type StageFlags, stageFlags } from "./stage";
