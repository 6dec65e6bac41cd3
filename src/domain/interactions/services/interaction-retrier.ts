import type { Database } from "../../../infrastructure/persistence";
import type {
    PendingInteraction,
    PendingInteractionsRepository,
} from "../repositories/pending-interactions-repository";
import { RETRY_SCHEDULE, type RetryableStatus } from "./retry-schedule";

/**
 * Due retries: failed / no_session go back to pending (simulated
 * again), execution_failed back to simulated (sent again); rows past their limit
 * (retry_count > maxAttempts) are archived with reason max_retries.
 */
export class InteractionRetrier {
    constructor(private readonly deps: { db: Database; pending: PendingInteractionsRepository }) {}

    async run(
        now: Date = new Date(),
    ): Promise<{ resimulate: number; resend: number; archived: number }> {
        const total = { resimulate: 0, resend: 0, archived: 0 };
        for (;;) {
            const done = await this.deps.db.transaction(async (tx) => {
                const rows = await this.deps.pending.claimDueRetries(tx, now, 100);
                if (rows.length === 0) return false;
                const exhausted = (row: PendingInteraction) =>
                    row.retryCount > RETRY_SCHEDULE[row.status as RetryableStatus].maxAttempts;
                const archive = rows.filter(exhausted);
                const live = rows.filter((row) => !exhausted(row));
                const resimulate = live.filter((row) => row.status !== "execution_failed");
                const resend = live.filter((row) => row.status === "execution_failed");
                await this.deps.pending.archive(tx, archive);
                await this.deps.pending.setStatus(
                    tx,
                    resimulate.map((row) => row.id),
                    "pending",
                    ["failed", "no_session"],
                );
                await this.deps.pending.setStatus(
                    tx,
                    resend.map((row) => row.id),
                    "simulated",
                    ["execution_failed"],
                );
                total.archived += archive.length;
                total.resimulate += resimulate.length;
                total.resend += resend.length;
                return true;
            });
            if (!done) return total;
        }
    }
}
