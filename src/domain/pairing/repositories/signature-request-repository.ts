import { and, eq, inArray, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Hex } from "viem";
import type { Database, Executor } from "../../../infrastructure/persistence";
import { pairingSignatureRequestTable, type SignatureRequestRow } from "../db/schema";

export type NewSignatureRequest = {
    requestId: string;
    pairingId: string;
    request: Hex;
    context: unknown;
};

/** Data access for `pairing_signature_request`. */
export class SignatureRequestRepository {
    constructor(private readonly db: Database) {}

    async insert(request: NewSignatureRequest, executor: Executor = this.db): Promise<void> {
        await executor.insert(pairingSignatureRequestTable).values({
            ...request,
            context: request.context ?? null,
        });
    }

    /** Requests still waiting for the target's answer, oldest first. */
    findUnprocessed(pairingIds: string[]): Promise<SignatureRequestRow[]> {
        if (pairingIds.length === 0) return Promise.resolve([]);
        return this.db
            .select()
            .from(pairingSignatureRequestTable)
            .where(
                and(
                    inArray(pairingSignatureRequestTable.pairingId, pairingIds),
                    isNull(pairingSignatureRequestTable.processedAt),
                ),
            )
            .orderBy(pairingSignatureRequestTable.id);
    }

    /** Answers (signed or rejected) that no origin socket has received yet, oldest first. */
    findUndeliveredAnswers(pairingId: string): Promise<SignatureRequestRow[]> {
        return this.db
            .select()
            .from(pairingSignatureRequestTable)
            .where(
                and(
                    eq(pairingSignatureRequestTable.pairingId, pairingId),
                    isNotNull(pairingSignatureRequestTable.processedAt),
                    isNull(pairingSignatureRequestTable.deliveredAt),
                ),
            )
            .orderBy(pairingSignatureRequestTable.processedAt);
    }

    /** Stores the signature of a still-open request; false when none was open. */
    async markSigned(pairingId: string, requestId: string, signature: Hex): Promise<boolean> {
        const rows = await this.db
            .update(pairingSignatureRequestTable)
            .set({ processedAt: new Date(), signature })
            .where(this.openRequest(pairingId, requestId))
            .returning({ id: pairingSignatureRequestTable.id });
        return rows.length > 0;
    }

    /** Records a rejection of a still-open request; false when none was open. */
    async markRejected(pairingId: string, requestId: string, reason: string): Promise<boolean> {
        const rows = await this.db
            .update(pairingSignatureRequestTable)
            .set({ processedAt: new Date(), rejectReason: reason })
            .where(this.openRequest(pairingId, requestId))
            .returning({ id: pairingSignatureRequestTable.id });
        return rows.length > 0;
    }

    async markDelivered(pairingId: string, requestIds: string[]): Promise<void> {
        if (requestIds.length === 0) return;
        await this.db
            .update(pairingSignatureRequestTable)
            .set({ deliveredAt: new Date() })
            .where(
                and(
                    eq(pairingSignatureRequestTable.pairingId, pairingId),
                    inArray(pairingSignatureRequestTable.requestId, requestIds),
                    isNotNull(pairingSignatureRequestTable.processedAt),
                    isNull(pairingSignatureRequestTable.deliveredAt),
                ),
            );
    }

    /** Unsigned requests created before `unsignedBefore`, answers processed before `processedBefore`. */
    async deleteExpired(cutoffs: { unsignedBefore: Date; processedBefore: Date }): Promise<number> {
        const rows = await this.db
            .delete(pairingSignatureRequestTable)
            .where(
                or(
                    and(
                        isNull(pairingSignatureRequestTable.signature),
                        lt(pairingSignatureRequestTable.createdAt, cutoffs.unsignedBefore),
                    ),
                    lt(pairingSignatureRequestTable.processedAt, cutoffs.processedBefore),
                ),
            )
            .returning({ id: pairingSignatureRequestTable.id });
        return rows.length;
    }

    private openRequest(pairingId: string, requestId: string) {
        return and(
            eq(pairingSignatureRequestTable.pairingId, pairingId),
            eq(pairingSignatureRequestTable.requestId, requestId),
            isNull(pairingSignatureRequestTable.processedAt),
        );
    }
}
