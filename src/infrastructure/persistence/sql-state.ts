/**
 * Where a database error carries its SQLSTATE. Drivers disagree: postgres.js and PGlite put it in
 * `code`; Bun's SQL client puts its own `ERR_POSTGRES_*` name in `code` and the SQLSTATE in
 * `errno`. Drizzle wraps the driver's error in its own (`cause`). Every check of a SQLSTATE reads
 * both fields on the error and its causes, here, so none works on PGlite only.
 */

/** The `code` and `errno` strings of one error (not its causes). */
export function codesOf(error: unknown): string[] {
    const codes: string[] = [];
    for (const key of ["code", "errno"] as const) {
        const value = (error as Record<string, unknown>)[key];
        if (typeof value === "string") codes.push(value);
    }
    return codes;
}

/** The error and its causes, outermost first (at most five deep). */
export function* chainOf(error: unknown): Generator<unknown> {
    let current: unknown = error;
    for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
        yield current;
        current = (current as { cause?: unknown }).cause;
    }
}

/** SQLSTATE 23505: the row would duplicate a unique key (on every driver we run on). */
export function isUniqueViolation(error: unknown): boolean {
    for (const current of chainOf(error)) {
        if (codesOf(current).includes("23505")) return true;
    }
    return false;
}
