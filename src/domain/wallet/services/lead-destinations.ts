import type { AppConfig } from "../../../infrastructure/config";
import type { LeadTable } from "../repositories/lead-repository";

type WalletConfig = AppConfig["wallet"];

const REQUEST_TIMEOUT_MS = 10_000;

/** The seed's mapping of body fields to Airtable column names. */
const AIRTABLE_FIELDS: Record<string, string> = {
    lastName: "Last Name",
    firstName: "First Name",
    company: "Company",
    phone: "Phone",
    email: "Email",
    url: "Company Website URL",
    position: "Position",
    country: "Country",
    visits: "Average Website Visitors",
    channels: "Acquisition Channels",
};

export function airtableFieldsOf(body: Record<string, unknown>): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const [key, column] of Object.entries(AIRTABLE_FIELDS)) {
        const value = body[key];
        if (value === undefined || value === null) continue;
        fields[column] = Array.isArray(value) ? value.join(", ") : value;
    }
    return fields;
}

async function expectOk(response: Response, what: string): Promise<unknown> {
    const text = await response.text();
    if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : {};
}

/** Airtable REST API: look a lead up by email, create its record. */
export class AirtableClient {
    constructor(private readonly config: NonNullable<WalletConfig["airtable"]>) {}

    private tableUrl(table: LeadTable): string {
        return `${this.config.apiUrl}/v0/${this.config.baseId}/${this.config.tables[table]}`;
    }

    private headers() {
        return {
            authorization: `Bearer ${this.config.apiKey}`,
            "content-type": "application/json",
        };
    }

    /** The record already holding this email, so a retried forward never creates a duplicate. */
    async findByEmail(table: LeadTable, email: string): Promise<string | undefined> {
        const url = new URL(this.tableUrl(table));
        const quoted = email.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
        url.searchParams.set("filterByFormula", `LOWER({Email}) = '${quoted}'`);
        url.searchParams.set("maxRecords", "1");
        const response = await fetch(url, {
            headers: this.headers(),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await expectOk(response, "airtable lookup")) as {
            records?: Array<{ id?: string }>;
        };
        return body.records?.[0]?.id;
    }

    async create(table: LeadTable, fields: Record<string, unknown>): Promise<string> {
        const response = await fetch(this.tableUrl(table), {
            method: "POST",
            headers: this.headers(),
            body: JSON.stringify({ fields }),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await expectOk(response, "airtable create")) as { id?: string };
        if (!body.id) throw new Error("airtable create: no record id in the answer");
        return body.id;
    }
}

/** Slack Web API `chat.postMessage` (answers 200 with `ok: false` on errors). */
export class SlackClient {
    constructor(private readonly config: NonNullable<WalletConfig["slack"]>) {}

    async post(text: string): Promise<void> {
        const response = await fetch(`${this.config.apiUrl}/chat.postMessage`, {
            method: "POST",
            headers: {
                authorization: `Bearer ${this.config.token}`,
                "content-type": "application/json; charset=utf-8",
            },
            body: JSON.stringify({ channel: this.config.channel, text }),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await expectOk(response, "slack")) as { ok?: boolean; error?: string };
        if (body.ok !== true) throw new Error(`slack: ${body.error ?? "not ok"}`);
    }
}
