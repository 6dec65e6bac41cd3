/**
 * A business error with the HTTP status clients branch on and a stable machine-readable code.
 * Services throw it (they know the failure, not the transport); the error handler renders it as
 * `{ error: code, message }`.
 */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        /** Sent as `Retry-After` (429 and 503 answers). */
        readonly retryAfterSeconds?: number,
        /** The input field at fault (JSON pointer such as `/subscription/endpoint`), for 422s. */
        readonly property?: string,
    ) {
        super(message);
        this.name = "ApiError";
    }
}

export type ErrorBody = { error: string; message: string };

export const errorBody = (code: string, message: string): ErrorBody => ({ error: code, message });
