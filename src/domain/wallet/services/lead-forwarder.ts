import type { Logger } from "../../../infrastructure/logger";
import type { Lead, LeadRepository, LeadTable } from "../repositories/lead-repository";
import { type AirtableClient, airtableFieldsOf, type SlackClient } from "./lead-destinations";

export type LeadForwarderOptions = {
    batchSize?: number;
    /** Attempts before a lead is left as `failed` (kept, never deleted). */
    maxAttempts?: number;
    /** First retry delay, doubled per attempt up to maxDelayMs. */
    baseDelayMs?: number;
    maxDelayMs?: number;
    /** How long a claimed lead is reserved for the instance forwarding it. */
    leaseMs?: number;
};

/**
 * Forwards stored leads to Airtable and Slack (each when configured). Progress per destination
 * is recorded as soon as it succeeds, and Airtable is first searched for the email, so a retry
 * after a partial failure or a crash never creates a second record.
 */
export class LeadForwarder {
    private readonly options: Required<LeadForwarderOptions>;

    constructor(
        private readonly leads: LeadRepository,
        private readonly airtable: AirtableClient | undefined,
        private readonly slack: SlackClient | undefined,
        private readonly logger: Logger,
        options: LeadForwarderOptions = {},
    ) {
        this.options = {
            batchSize: options.batchSize ?? 20,
            maxAttempts: options.maxAttempts ?? 12,
            baseDelayMs: options.baseDelayMs ?? 30_000,
            maxDelayMs: options.maxDelayMs ?? 6 * 3_600_000,
            leaseMs: options.leaseMs ?? 5 * 60_000,
        };
    }

    /** Without any destination configured the leads simply wait in the table. */
    get enabled(): boolean {
        return this.airtable !== undefined || this.slack !== undefined;
    }

    /** Forwards the leads that are due; returns how many were forwarded. */
    async forwardDue(): Promise<number> {
        if (!this.enabled) return 0;
        let forwarded = 0;
        for (;;) {
            const batch = await this.leads.claimDue(this.options.batchSize, this.options.leaseMs);
            for (const lead of batch) {
                if (await this.forward(lead)) forwarded++;
            }
            if (batch.length < this.options.batchSize) return forwarded;
        }
    }

    private async forward(lead: Lead): Promise<boolean> {
        const table = lead.tableName as LeadTable;
        const body = lead.fields as Record<string, unknown>;
        try {
            if (this.airtable && !lead.airtableRecordId) {
                const recordId =
                    (await this.airtable.findByEmail(table, lead.email)) ??
                    (await this.airtable.create(table, airtableFieldsOf(body)));
                await this.leads.recordProgress(lead.id, { airtableRecordId: recordId });
            }
            if (this.slack && !lead.slackNotifiedAt) {
                await this.slack.post(slackTextOf(table, body));
                await this.leads.recordProgress(lead.id, { slackNotifiedAt: new Date() });
            }
            await this.leads.markForwarded(lead.id);
            return true;
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const giveUp = lead.forwardAttempts >= this.options.maxAttempts;
            const delay = Math.min(
                this.options.baseDelayMs * 2 ** Math.max(0, lead.forwardAttempts - 1),
                this.options.maxDelayMs,
            );
            await this.leads.markAttemptFailed(
                lead.id,
                message.slice(0, 1000),
                giveUp ? { giveUp: true } : { retryAt: new Date(Date.now() + delay) },
            );
            this.logger.warn(
                { lead: lead.id, attempt: lead.forwardAttempts, giveUp, err: message },
                "lead forward failed",
            );
            return false;
        }
    }
}

function slackTextOf(table: LeadTable, body: Record<string, unknown>): string {
    const kind = table === "demo_request" ? "demo request" : "simulation";
    const who = [body.firstName, body.lastName].filter(Boolean).join(" ");
    const lines = [
        `New ${kind}: ${who} (${String(body.company ?? "")})`,
        `Email: ${String(body.email ?? "")}`,
        `Phone: ${String(body.phone ?? "")}`,
    ];
    if (body.url) lines.push(`Website: ${String(body.url)}`);
    if (body.position) lines.push(`Position: ${String(body.position)}`);
    if (body.country) lines.push(`Country: ${String(body.country)}`);
    if (body.visits !== undefined) lines.push(`Visits: ${String(body.visits)}`);
    if (Array.isArray(body.channels)) lines.push(`Channels: ${body.channels.join(", ")}`);
    return lines.join("\n");
}
