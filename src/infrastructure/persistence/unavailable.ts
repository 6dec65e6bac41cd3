/**
 * Recognises errors that mean "the database cannot be reached right now", as opposed to a bad
 * query: callers answer those with 503 + Retry-After so clients (and shops' webhook senders)
 * retry. Drivers disagree on where the SQLSTATE lives: postgres.js and PGlite put it in `code`,
 * Bun's SQL client puts its own `ERR_POSTGRES_*` name in `code` and the SQLSTATE in `errno`.
 * Both are read, on the error and its causes (Drizzle wraps the driver's error): sql-state.ts.
 */
import { chainOf, codesOf } from "./sql-state";

const connectionErrorCodes = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EPIPE",
    "ENOTFOUND",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "CONNECT_TIMEOUT",
    "CONNECTION_CLOSED",
    "CONNECTION_ENDED",
    "CONNECTION_DESTROYED",
    "ERR_POSTGRES_IDLE_TIMEOUT",
    // "database is not accepting connections" (datallowconn off, or shutting down).
    "55000",
]);

/** SQLSTATE classes and codes of a connection-class failure (see PostgreSQL appendix A). */
function isConnectionSqlState(code: string): boolean {
    return (
        // 08: connection exception; 53: insufficient resources (too many connections, out of
        // memory or disk); 57P0x: admin/crash shutdown, cannot connect now, database dropped.
        /^(08|53)[0-9A-Z]{3}$/.test(code) || /^57P0[1-5]$/.test(code)
    );
}

/** SQLSTATE of a value the database cannot store in text (a NUL character): the client's fault. */
const untranslatableCharacter = new Set(["22021", "22P05"]);

export function isDatabaseUnavailable(error: unknown): boolean {
    for (const current of chainOf(error)) {
        for (const code of codesOf(current)) {
            if (
                connectionErrorCodes.has(code) ||
                isConnectionSqlState(code) ||
                // Bun's client: ERR_POSTGRES_CONNECTION_CLOSED, _REFUSED, _TIMEOUT, ...
                code.startsWith("ERR_POSTGRES_CONNECTION")
            ) {
                return true;
            }
        }
        const message = (current as { message?: unknown }).message;
        if (
            typeof message === "string" &&
            /database ping timed out|PGlite is closed/i.test(message)
        ) {
            return true;
        }
    }
    return false;
}

/** The database refused a string it cannot store (a NUL character): a 422 for the client. */
export function isUnstorableText(error: unknown): boolean {
    for (const current of chainOf(error)) {
        if (codesOf(current).some((code) => untranslatableCharacter.has(code))) return true;
    }
    return false;
}
