import type { Logger } from "../../../infrastructure/logger";
import type { SignatureRequestRepository } from "../repositories/signature-request-repository";

/** How long delivered marks gather before they are written together. */
const deliveredMarkBatchMs = 20;

/** Marks answers delivered to a desktop socket, a few milliseconds' worth per statement. */
export class DeliveredAnswerMarks {
    /** Delivered answers not yet marked in the database, by pairing. */
    private undelivered = new Map<string, string[]>();
    private flushTimer: ReturnType<typeof setTimeout> | undefined;

    constructor(
        private readonly requests: Pick<SignatureRequestRepository, "markDelivered">,
        private readonly logger: Logger,
    ) {}

    /**
     * An answer reached a desktop socket: it is not replayed on the next reconnect. The marks of
     * a few milliseconds go out in one statement instead of one per answer; one lost on a crash
     * only means that answer is delivered again (the client matches answers by id).
     */
    mark(pairingId: string, requestIds: string[]): void {
        if (requestIds.length === 0) return;
        const marks = this.undelivered.get(pairingId);
        if (marks) marks.push(...requestIds);
        else this.undelivered.set(pairingId, [...requestIds]);
        this.flushTimer ??= setTimeout(() => this.flush(), deliveredMarkBatchMs);
    }

    private flush(): void {
        const answers = this.undelivered;
        this.undelivered = new Map();
        this.flushTimer = undefined;
        this.requests.markDelivered(answers).catch((error: unknown) => {
            const pairingIds = [...answers.keys()];
            this.logger.warn({ err: error, pairingIds }, "marking answers delivered failed");
        });
    }
}
