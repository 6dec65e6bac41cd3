import { and, eq, inArray, isNotNull, isNull, lt, or, type Placeholder, sql } from "drizzle-orm";
import type { Hex } from "viem";
import type { Database } from "../../../infrastructure/persistence";
import { pairingSignatureRequestTable, type SignatureRequestRow } from "../db/schema";

export type NewSignatureRequest = {
    requestId: string;
    pairingId: string;
    request: Hex;
    context: unknown;
};

/** Data access for `pairing_signature_request`. */
export class SignatureRequestRepository {
    private readonly queries: ReturnType<typeof prepareQueries>;

    constructor(private readonly db: Database) {
        this.queries = prepareQueries(db);
    }

    async insert(request: NewSignatureRequest): Promise<void> {
        await this.queries.insert.execute({
            requestId: request.requestId,
            pairingId: request.pairingId,
            request: hexToBytes(request.request),
            context: request.context === undefined ? null : JSON.stringify(request.context),
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
        const rows = await this.queries.markSigned.execute({
            pairingId,
            requestId,
            signature: hexToBytes(signature),
        });
        return rows.length > 0;
    }

    /** Records a rejection of a still-open request; false when none was open. */
    async markRejected(pairingId: string, requestId: string, reason: string): Promise<boolean> {
        const rows = await this.db
            .update(pairingSignatureRequestTable)
            .set({ processedAt: sql`now()`, rejectReason: reason })
            .where(this.openRequest(pairingId, requestId))
            .returning({ id: pairingSignatureRequestTable.id });
        return rows.length > 0;
    }

    /** Marks answers delivered, for one or several pairings in one statement. */
    async markDelivered(answers: ReadonlyMap<string, readonly string[]>): Promise<void> {
        const perPairing = [...answers].map(([pairingId, requestIds]) =>
            and(
                eq(pairingSignatureRequestTable.pairingId, pairingId),
                inArray(pairingSignatureRequestTable.requestId, [...requestIds]),
            ),
        );
        if (perPairing.length === 0) return;
        await this.db
            .update(pairingSignatureRequestTable)
            .set({ deliveredAt: new Date() })
            .where(
                and(
                    or(...perPairing),
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
        return openRequest(pairingId, requestId);
    }
}

function openRequest(pairingId: string | Placeholder, requestId: string | Placeholder) {
    return and(
        eq(pairingSignatureRequestTable.pairingId, pairingId),
        eq(pairingSignatureRequestTable.requestId, requestId),
        isNull(pairingSignatureRequestTable.processedAt),
    );
}

const hexToBytes = (value: Hex) => Buffer.from(value.slice(2), "hex");

/**
 * The two statements of every round trip, prepared so each is built once rather than on every
 * frame (Drizzle's SQL building was the largest share of the relay's CPU). Hex values are passed
 * as bytes: a placeholder skips the column's own conversion.
 */
function prepareQueries(db: Database) {
    return {
        insert: db
            .insert(pairingSignatureRequestTable)
            .values({
                requestId: sql.placeholder("requestId"),
                pairingId: sql.placeholder("pairingId"),
                request: sql`${sql.placeholder("request")}`,
                context: sql`${sql.placeholder("context")}::json`,
            })
            .prepare("pairing_insert_signature_request"),
        markSigned: db
            .update(pairingSignatureRequestTable)
            .set({ processedAt: sql`now()`, signature: sql`${sql.placeholder("signature")}` })
            .where(openRequest(sql.placeholder("pairingId"), sql.placeholder("requestId")))
            .returning({ id: pairingSignatureRequestTable.id })
            .prepare("pairing_mark_signed"),
    };
}
