/**
 * The seed's retry schedule: delay(n) = min(initial × 2^(n−1), cap)
 * where n is the new retry count; a row is archived once retry_count > maxAttempts.
 */
export type RetryableStatus = "no_session" | "failed" | "execution_failed";

const HOUR = 3_600_000;
const MINUTE = 60_000;

export const RETRY_SCHEDULE: Record<
    RetryableStatus,
    { maxAttempts: number; initialMs: number; capMs: number }
> = {
    no_session: { maxAttempts: 30, initialMs: 12 * HOUR, capMs: 48 * HOUR },
    failed: { maxAttempts: 30, initialMs: 3 * HOUR, capMs: 48 * HOUR },
    execution_failed: { maxAttempts: 50, initialMs: 2 * MINUTE, capMs: HOUR },
};

export function retryDelayMs(status: RetryableStatus, retryCount: number): number {
    const { initialMs, capMs } = RETRY_SCHEDULE[status];
    return Math.min(initialMs * 2 ** Math.max(0, retryCount - 1), capMs);
}
