import pino, { type Logger } from "pino";
import { prettyStream } from "./pretty-stream";
import { redactedErrorSerializer } from "./redact-error";

export { formatLogLine } from "./pretty-stream";
export { redactedErrorSerializer } from "./redact-error";
export type { Logger };

/** `auto`: readable lines when running locally in a terminal, JSON otherwise. */
export type LogFormat = "json" | "pretty" | "auto";

export type LoggerOptions = {
    name?: string;
    format?: LogFormat;
    runningLocally?: boolean;
    /** Where JSON lines go (stdout by default); tests capture them. */
    destination?: pino.DestinationStream;
};

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
    const settings = {
        name: options.name ?? "backend",
        level,
        base: { pid: process.pid },
        serializers: { err: redactedErrorSerializer },
    };
    const format = options.format ?? "json";
    const pretty =
        format === "pretty" ||
        (format === "auto" && options.runningLocally === true && process.stdout.isTTY === true);
    if (pretty) return pino(settings, prettyStream());
    return options.destination ? pino(settings, options.destination) : pino(settings);
}
