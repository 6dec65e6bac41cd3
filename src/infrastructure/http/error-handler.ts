import { Elysia, type ValidationError } from "elysia";
import type { Logger } from "pino";
import { chainFailureReason, isChainUnavailable } from "../chain/chain-unavailable";
import { ApiError, errorBody } from "../errors/api-error";
import { ERROR_CODES, type ErrorCode } from "../errors/error-codes";
import { isDatabaseUnavailable, isUnstorableText } from "../persistence";
import { JSON_CONTENT_TYPE, representError, TEXT_CONTENT_TYPE } from "./error-representation";
import { requestIdOf } from "./request-context";
import { RequestValidationError, type ValidationIssue } from "./request-validation-error";

/**
 * The error model of the whole API: 422 naming the field on validation errors (in production
 * too: we render them ourselves), 400 on malformed JSON, the ApiError's status and code for
 * business errors, 503 when the database or the chain node is unreachable, and a 500 without
 * internals otherwise. Each is then represented as the caller asked (JSON or the message as
 * text, see error-representation.ts): the representation is chosen here, once, for every route.
 */
export function errorHandler(logger: Logger) {
    return new Elysia({ name: "error-handler" }).onError({ as: "global" }, (context) => {
        const body = errorBodyOf(context, logger);
        const represented = representError(context.request, body);
        context.set.headers["content-type"] =
            typeof represented === "string" ? TEXT_CONTENT_TYPE : JSON_CONTENT_TYPE;
        return represented;
    });
}

type ErrorContext = {
    code: unknown;
    error: unknown;
    request: Request;
    set: { status?: number | string; headers: Record<string, string | number> };
};

/** The error model: status (set on `set`) and body of any failure. */
function errorBodyOf({ code, error: thrown, request, set }: ErrorContext, logger: Logger) {
    // Our body parser's refusals (413, 400 too deep, 422) arrive wrapped in a ParseError.
    const error =
        code === "PARSE" && (thrown as Error).cause instanceof ApiError
            ? ((thrown as Error).cause as ApiError)
            : thrown;
    if (error instanceof RequestValidationError) {
        set.status = ERROR_CODES.validation.status;
        return validationBodyOf(error.on, error.issues);
    }
    if (error instanceof ApiError) {
        set.status = error.status;
        if (error.retryAfterSeconds !== undefined) {
            set.headers["retry-after"] = String(error.retryAfterSeconds);
        }
        const body = errorBody(error.code, error.message);
        return error.property === undefined ? body : { ...body, property: error.property };
    }
    // The status of each code below is the catalogue's (infrastructure/errors/error-codes.ts).
    const answer = (code: ErrorCode, message: string) => {
        set.status = ERROR_CODES[code].status;
        return errorBody(code, message);
    };
    switch (code) {
        case "VALIDATION":
            set.status = ERROR_CODES.validation.status;
            return validationBody(error as ValidationError);
        case "PARSE":
            return answer("malformed_body", "The request body is not valid JSON");
        case "NOT_FOUND":
            return answer("not_found", "Not found");
        case "INVALID_COOKIE_SIGNATURE":
            return answer("invalid_cookie", "Invalid cookie signature");
    }
    // Before the database check: viem's fetch errors carry ECONNREFUSED codes too.
    if (isChainUnavailable(error)) {
        logger.warn(
            { requestId: requestIdOf(request), reason: chainFailureReason(error) },
            "chain unavailable",
        );
        set.headers["retry-after"] = "5";
        return answer("chain_unavailable", "The blockchain node is unavailable, retry later");
    }
    if (isDatabaseUnavailable(error)) {
        logger.warn({ requestId: requestIdOf(request), err: error }, "database unavailable");
        set.headers["retry-after"] = "5";
        return answer("service_unavailable", "The database is unavailable, retry later");
    }
    if (isUnstorableText(error)) {
        // A NUL character that got past the request checks: PostgreSQL cannot store it.
        return answer("invalid_character", "A value contains a NUL character");
    }
    logger.error({ requestId: requestIdOf(request), err: error }, "unhandled error");
    return answer("internal_error", "Internal server error");
}

function validationBody(error: Pick<ValidationError, "all" | "type">) {
    const issues: ValidationIssue[] = [];
    for (const issue of error.all) {
        if (!("path" in issue)) continue;
        issues.push({ property: issue.path || "/", message: issue.message });
        if (issues.length >= 10) break;
    }
    return validationBodyOf(error.type, issues);
}

function validationBodyOf(on: string, issues: ValidationIssue[]) {
    const first = issues[0] ?? { property: "/", message: "Invalid value" };
    const field = first.property === "/" ? on : `${on} ${first.property}`;
    return {
        error: "validation" satisfies ErrorCode,
        type: "validation",
        on,
        property: first.property,
        message: `Invalid ${field}: ${first.message}`,
        errors: issues,
    };
}
