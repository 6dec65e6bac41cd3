import { ERROR_CODES, type ErrorCode, type ExceptionStatus } from "./error-codes";

export { type ErrorBody, errorBody } from "./error-body";

export type ApiErrorOptions<C extends ErrorCode> = {
    /** Sent as `Retry-After` (429 and 503 answers). */
    retryAfterSeconds?: number;
    /** The input field at fault (JSON pointer such as `/subscription/endpoint`), for 422s. */
    property?: string;
    /** Only a status `STATUS_EXCEPTIONS` documents for this code (the seed's clients need it). */
    status?: ExceptionStatus<C>;
};

/**
 * A business error with a stable machine-readable code from the catalogue (error-codes.ts), whose
 * status it answers with. Services throw it (they know the failure, not the transport); the
 * error handler renders it as `{ error: code, message }`. A leaf module: no HTTP framework here.
 */
export class ApiError<C extends ErrorCode = ErrorCode> extends Error {
    readonly status: number;
    readonly retryAfterSeconds?: number;
    readonly property?: string;

    constructor(
        readonly code: C,
        message: string,
        options: ApiErrorOptions<C> = {},
    ) {
        super(message);
        this.name = "ApiError";
        this.status = (options.status as number | undefined) ?? ERROR_CODES[code].status;
        this.retryAfterSeconds = options.retryAfterSeconds;
        this.property = options.property;
    }
}
