import {
    BaseError,
    HttpRequestError,
    SocketClosedError,
    TimeoutError,
    WebSocketRequestError,
} from "viem";

/**
 * The node could not be asked (network error, HTTP error status, timeout): the request was fine
 * and can be retried, so it is answered 503 `chain_unavailable` with Retry-After, never as data
 * (a balance of 0, "invalid signature", "unknown product").
 */
export class ChainUnavailableError extends Error {
    constructor(cause?: unknown) {
        super("The blockchain node is unavailable, retry later", { cause });
        this.name = "ChainUnavailableError";
    }
}

/** Whether an error (viem's, possibly wrapped) means the node could not be reached. */
export function isChainUnavailable(error: unknown): boolean {
    if (error instanceof ChainUnavailableError) return true;
    if (!(error instanceof BaseError)) return false;
    return (
        error.walk(
            (cause) =>
                cause instanceof HttpRequestError ||
                cause instanceof TimeoutError ||
                cause instanceof WebSocketRequestError ||
                cause instanceof SocketClosedError,
        ) !== null
    );
}

/** Rethrows a node outage as ChainUnavailableError, anything else (a revert, a bug) as is. */
export function rethrowChainUnavailable(error: unknown): never {
    if (isChainUnavailable(error) && !(error instanceof ChainUnavailableError)) {
        throw new ChainUnavailableError(error);
    }
    throw error;
}

/** A one-line reason for logs (viem's full message carries whole request bodies). */
export function chainFailureReason(error: unknown): string {
    let current: unknown = error;
    for (let depth = 0; current && depth < 6; depth++) {
        if (current instanceof BaseError)
            return `${current.shortMessage} ${current.details ?? ""}`.trim();
        current = (current as { cause?: unknown }).cause;
    }
    return error instanceof Error ? error.message.slice(0, 200) : String(error);
}
