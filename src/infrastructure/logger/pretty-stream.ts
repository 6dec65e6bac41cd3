/**
 * Log lines for a person at a terminal: `12:01:02.345 INFO  message  key=value ...`, colours when
 * the output is a TTY, an error's stack on the lines below. Collectors get pino's JSON instead
 * (LOG_FORMAT=json, the default off a terminal or outside local development).
 */
const levelNames: Record<number, string> = {
    10: "TRACE",
    20: "DEBUG",
    30: "INFO ",
    40: "WARN ",
    50: "ERROR",
    60: "FATAL",
};
const levelColours: Record<number, string> = {
    10: "\x1b[90m",
    20: "\x1b[36m",
    30: "\x1b[32m",
    40: "\x1b[33m",
    50: "\x1b[31m",
    60: "\x1b[35m",
};
const dim = "\x1b[2m";
const reset = "\x1b[0m";
/** pino's own fields (shown in the line's head or not at all), and the start-up URLs (in the message). */
const omitted = new Set(["level", "time", "pid", "hostname", "name", "msg", "v", "urls"]);

export type WritableLike = { write(text: string): unknown; isTTY?: boolean };

export function formatLogLine(json: string, colours: boolean): string {
    let entry: Record<string, unknown>;
    try {
        entry = JSON.parse(json) as Record<string, unknown>;
    } catch {
        return json.endsWith("\n") ? json : `${json}\n`;
    }
    const level = Number(entry.level);
    const time = new Date(Number(entry.time ?? Date.now())).toISOString().slice(11, 23);
    const name = levelNames[level] ?? String(entry.level);
    const head = colours
        ? `${dim}${time}${reset} ${levelColours[level] ?? ""}${name}${reset}`
        : `${time} ${name}`;
    let stack = "";
    const fields: string[] = [];
    for (const [key, value] of Object.entries(entry)) {
        if (omitted.has(key) || value === undefined) continue;
        const error = value as { stack?: unknown; message?: unknown } | null;
        if ((key === "err" || key === "error") && error && typeof error.stack === "string") {
            stack = `\n${error.stack.replace(/^/gm, "    ")}`;
            fields.push(`${key}=${JSON.stringify(String(error.message ?? ""))}`);
            continue;
        }
        const text = typeof value === "string" ? value : JSON.stringify(value);
        fields.push(colours ? `${dim}${key}=${reset}${text}` : `${key}=${text}`);
    }
    // Fields go on the message's first line; further lines (the start-up URLs) follow as they are.
    const [first, ...rest] = String(entry.msg ?? "").split("\n");
    const more = rest.length ? `\n${rest.join("\n")}` : "";
    return `${head} ${first}${fields.length ? `  ${fields.join(" ")}` : ""}${more}${stack}\n`;
}

/** A pino destination that turns each JSON line into a readable one. */
export function prettyStream(out: WritableLike = process.stdout) {
    const colours = Boolean(out.isTTY) && !process.env.NO_COLOR;
    return {
        write(chunk: string) {
            for (const line of chunk.split("\n")) {
                if (line) out.write(formatLogLine(line, colours));
            }
        },
    };
}
