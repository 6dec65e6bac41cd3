/**
 * Recognises errors that mean "the database cannot be reached right now", as opposed to a bad
 * query: callers answer those with 503 so clients (and shops' webhook senders) retry.
 */
const connectionErrorCodes = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EPIPE",
    "ENOTFOUND",
    "CONNECT_TIMEOUT",
    "CONNECTION_CLOSED",
    "CONNECTION_ENDED",
    "CONNECTION_DESTROYED",
    // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, too many connections.
    "57P01",
    "57P02",
    "57P03",
    "53300",
]);

export function isDatabaseUnavailable(error: unknown): boolean {
    let current: unknown = error;
    for (let depth = 0; current && depth < 5; depth++) {
        const code = (current as { code?: unknown }).code;
        if (
            typeof code === "string" &&
            (connectionErrorCodes.has(code) ||
                code.startsWith("08") ||
                // Bun's client: ERR_POSTGRES_CONNECTION_CLOSED, _REFUSED, _TIMEOUT, ...
                code.startsWith("ERR_POSTGRES_CONNECTION") ||
                code === "ERR_POSTGRES_IDLE_TIMEOUT")
        ) {
            return true;
        }
        const message = (current as { message?: unknown }).message;
        if (
            typeof message === "string" &&
            /database ping timed out|PGlite is closed/i.test(message)
        ) {
            return true;
        }
        current = (current as { cause?: unknown }).cause;
    }
    return false;
}
