import { BaseError, HttpRequestError, TimeoutError } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";

/**
 * A failure to reach the node (network error, HTTP error status, timeout) becomes 503: the
 * request was fine and can be retried. Anything else (a revert, our own bug) is rethrown.
 */
export function rethrowChainUnavailable(error: unknown): never {
    const unreachable =
        error instanceof BaseError &&
        error.walk(
            (cause) => cause instanceof HttpRequestError || cause instanceof TimeoutError,
        ) !== null;
    if (unreachable) {
        throw new ApiError(
            503,
            "chain_unavailable",
            "The blockchain node is unavailable, retry later",
        );
    }
    throw error;
}
