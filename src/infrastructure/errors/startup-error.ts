/**
 * A start-up failure a person can act on (database unreachable, data dir in use, no anvil):
 * the entry point prints its message as one line and exits 1, without a stack trace.
 */
export class StartupError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "StartupError";
    }
}
