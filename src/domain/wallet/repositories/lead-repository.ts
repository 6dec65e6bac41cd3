import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../../../infrastructure/persistence";
import { leadsTable } from "../db/schema";

export type LeadTable = "demo_request" | "simulation";

export type NewLead = { tableName: LeadTable; email: string; fields: Record<string, unknown> };

export type Lead = typeof leadsTable.$inferSelect;

/** Lead capture storage and the forwarding outbox's claims. */
export class LeadRepository {
    constructor(private readonly db: Database) {}

    /** False when this table already holds the email (the duplicate check is the unique key). */
    async insert(lead: NewLead): Promise<boolean> {
        const rows = await this.db
            .insert(leadsTable)
            .values(lead)
            .onConflictDoNothing({ target: [leadsTable.tableName, leadsTable.email] })
            .returning({ id: leadsTable.id });
        return rows.length > 0;
    }

    async byId(id: number): Promise<Lead | undefined> {
        const [row] = await this.db.select().from(leadsTable).where(eq(leadsTable.id, id));
        return row;
    }

    /**
     * Claims up to `limit` leads due for forwarding: counts the attempt and pushes the next
     * attempt `leaseMs` away, so a crashed forwarder's leads come back by themselves and other
     * instances skip them meanwhile.
     */
    async claimDue(limit: number, leaseMs: number): Promise<Lead[]> {
        return this.db.transaction(async (tx) => {
            const due = await tx
                .select({ id: leadsTable.id })
                .from(leadsTable)
                .where(
                    and(
                        eq(leadsTable.forwardStatus, "pending"),
                        lte(leadsTable.nextAttemptAt, new Date()),
                    ),
                )
                .orderBy(asc(leadsTable.nextAttemptAt))
                .limit(limit)
                .for("update", { skipLocked: true });
            if (due.length === 0) return [];
            return tx
                .update(leadsTable)
                .set({
                    forwardAttempts: sql`${leadsTable.forwardAttempts} + 1`,
                    nextAttemptAt: new Date(Date.now() + leaseMs),
                })
                .where(
                    inArray(
                        leadsTable.id,
                        due.map((row) => row.id),
                    ),
                )
                .returning();
        });
    }

    async recordProgress(
        id: number,
        progress: { airtableRecordId?: string; slackNotifiedAt?: Date },
    ): Promise<void> {
        await this.db.update(leadsTable).set(progress).where(eq(leadsTable.id, id));
    }

    async markForwarded(id: number): Promise<void> {
        await this.db
            .update(leadsTable)
            .set({ forwardStatus: "forwarded", forwardedAt: new Date(), lastError: null })
            .where(and(eq(leadsTable.id, id), eq(leadsTable.forwardStatus, "pending")));
    }

    /** A failed attempt: retried at `nextAttemptAt`, or kept as `failed` once out of attempts. */
    async markAttemptFailed(
        id: number,
        error: string,
        next: { retryAt: Date } | { giveUp: true },
    ): Promise<void> {
        await this.db
            .update(leadsTable)
            .set(
                "giveUp" in next
                    ? { forwardStatus: "failed", lastError: error }
                    : { nextAttemptAt: next.retryAt, lastError: error },
            )
            .where(and(eq(leadsTable.id, id), eq(leadsTable.forwardStatus, "pending")));
    }
}
