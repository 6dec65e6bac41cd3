import { ApiError } from "../errors/api-error";

export type ValidationIssue = { property: string; message: string };

/**
 * A 422 found by our own checks before Elysia's validator (request bodies), carrying at most a
 * few issues and never the value: rendering it costs the same for 100 bytes as for 1 MB.
 */
export class RequestValidationError extends ApiError {
    constructor(
        readonly on: "body" | "query" | "params" | "headers",
        readonly issues: ValidationIssue[],
    ) {
        super("validation", issues[0]?.message ?? "Invalid value");
        this.name = "RequestValidationError";
    }
}
