import pino, { type Logger } from "pino";
import { prettyStream } from "./pretty-stream";

export { formatLogLine } from "./pretty-stream";
export type { Logger };

/** `auto`: readable lines when running locally in a terminal, JSON otherwise. */
export type LogFormat = "json" | "pretty" | "auto";

export type LoggerOptions = { name?: string; format?: LogFormat; runningLocally?: boolean };

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
    const settings = { name: options.name ?? "backend", level, base: { pid: process.pid } };
    const format = options.format ?? "json";
    const pretty =
        format === "pretty" ||
        (format === "auto" && options.runningLocally === true && process.stdout.isTTY === true);
    return pretty ? pino(settings, prettyStream()) : pino(settings);
}
