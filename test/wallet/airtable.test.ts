import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { leadsTable } from "../../src/domain/wallet/db/schema";
import { jsonHeaders, readJson, startTestApp, type TestApp } from "../support/test-app";

type AirtableRecord = { id: string; table: string; fields: Record<string, unknown> };

/** A local stand-in for the Airtable REST API and Slack's chat.postMessage. */
const records: AirtableRecord[] = [];
const slackMessages: Array<{ channel: string; text: string }> = [];
let airtableDown = false;
const authorizations = new Set<string>();

const upstream = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
        const url = new URL(request.url);
        authorizations.add(request.headers.get("authorization") ?? "");
        if (url.pathname === "/slack/chat.postMessage") {
            slackMessages.push((await request.json()) as { channel: string; text: string });
            return Response.json({ ok: true });
        }
        const match = url.pathname.match(/^\/v0\/(\w+)\/(\w+)$/);
        if (match?.[1] !== "appTestBase") return new Response("no route", { status: 404 });
        if (airtableDown) return Response.json({ error: "SERVER_ERROR" }, { status: 503 });
        const table = match[2] as string;
        if (request.method === "GET") {
            const email = url.searchParams.get("filterByFormula")?.match(/'(.*)'/)?.[1];
            const found = records.filter(
                (r) => r.table === table && String(r.fields.Email).toLowerCase() === email,
            );
            return Response.json({ records: found.map(({ id, fields }) => ({ id, fields })) });
        }
        const body = (await request.json()) as { fields: Record<string, unknown> };
        const record = { id: `rec${records.length + 1}`, table, fields: body.fields };
        records.push(record);
        return Response.json({ id: record.id, fields: record.fields, createdTime: "now" });
    },
});

let app: TestApp;
const demo = {
    lastName: "Lovelace",
    firstName: "Ada",
    company: "Engines Ltd",
    phone: "+44 20 0000 0000",
    email: "Ada@Engines.example",
    position: "CTO",
    country: "UK",
};
const simulation = {
    lastName: "Hopper",
    firstName: "Grace",
    company: "Compilers Inc",
    phone: "+1 555 0100",
    email: "grace@compilers.example",
    url: "https://compilers.example",
    visits: 12000,
    channels: ["seo", "ads"],
};
const submit = (table: string | undefined, body: unknown) =>
    app.request(table === undefined ? "/common/airtable" : `/common/airtable?table=${table}`, {
        method: "POST",
        headers: jsonHeaders,
        body: JSON.stringify(body),
    });
const leadOf = async (email: string) =>
    (await app.infra.database.db.select().from(leadsTable).where(eq(leadsTable.email, email)))[0];
const forward = () => app.domains.wallet.jobs.forwardLeads.runNow();
/** Makes a lead due now (its retry is otherwise scheduled with a backoff). */
const makeDue = (email: string) =>
    app.infra.database.db
        .update(leadsTable)
        .set({ nextAttemptAt: new Date(Date.now() - 1000) })
        .where(eq(leadsTable.email, email));

beforeAll(async () => {
    const base = `http://127.0.0.1:${upstream.port}`;
    app = await startTestApp({
        env: {
            AIRTABLE_API_KEY: "airtable-key",
            AIRTABLE_API_URL: base,
            AIRTABLE_BASE_ID: "appTestBase",
            AIRTABLE_DEMO_REQUEST_TABLE_ID: "tblDemo",
            AIRTABLE_SIMULATION_TABLE_ID: "tblSimulation",
            SLACK_BOT_TOKEN: "xoxb-test",
            SLACK_API_URL: `${base}/slack`,
            // Every submission here comes from 127.0.0.1 (the quota has its own test).
            RATE_LIMIT_AIRTABLE: "0/60",
        },
    });
});
afterAll(async () => {
    await app?.stop();
    upstream.stop(true);
});

describe("POST /common/airtable: checks", () => {
    test("400s in the seed's order, with the seed's texts", async () => {
        const empty = await submit("", demo);
        expect(empty.status).toBe(400);
        expect((await readJson(empty)).message).toBe(
            "table query parameter is required (demo_request or simulation)",
        );
        const invalid = await submit("other", { ...demo, email: "" });
        expect(invalid.status).toBe(400);
        expect((await readJson(invalid)).message).toBe(
            "table must be either 'demo_request' or 'simulation'",
        );
        const noEmail = await submit("demo_request", { ...demo, email: "  " });
        expect(noEmail.status).toBe(400);
        expect((await readJson(noEmail)).message).toBe("email is required in request body");
    });

    test("422 without table or with a body matching neither shape", async () => {
        expect((await submit(undefined, demo)).status).toBe(422);
        const { company: _, ...withoutCompany } = demo;
        expect((await submit("demo_request", withoutCompany)).status).toBe(422);
        expect((await submit("simulation", { ...simulation, visits: "many" })).status).toBe(422);
    });
});

describe("POST /common/airtable: storing and forwarding", () => {
    test("a lead is stored first, then forwarded to Airtable (seed field names) and Slack", async () => {
        const response = await submit("demo_request", demo);
        expect(response.status).toBe(200);
        expect(await readJson(response)).toEqual({ success: true });
        const stored = await leadOf("ada@engines.example");
        expect(stored?.tableName).toBe("demo_request");
        expect(stored?.fields).toEqual(demo);

        await forward();
        expect(records).toEqual([
            {
                id: "rec1",
                table: "tblDemo",
                fields: {
                    "Last Name": "Lovelace",
                    "First Name": "Ada",
                    Company: "Engines Ltd",
                    Phone: "+44 20 0000 0000",
                    Email: "Ada@Engines.example",
                    Position: "CTO",
                    Country: "UK",
                },
            },
        ]);
        expect(slackMessages).toHaveLength(1);
        expect(slackMessages[0]?.channel).toBe("crm");
        expect(slackMessages[0]?.text).toContain("Ada Lovelace");
        expect(authorizations).toEqual(new Set(["Bearer airtable-key", "Bearer xoxb-test"]));
        const forwarded = await leadOf("ada@engines.example");
        expect(forwarded?.forwardStatus).toBe("forwarded");
        expect(forwarded?.airtableRecordId).toBe("rec1");
    });

    test("409 on the same email in the same table (any case); another table is fine", async () => {
        const again = await submit("demo_request", { ...demo, email: "ADA@engines.example " });
        expect(again.status).toBe(409);
        expect(await readJson(again)).toEqual({
            error: "lead_exists",
            message: "Record with this email already exists",
        });
        expect((await submit("simulation", { ...simulation, email: demo.email })).status).toBe(200);
    });

    test("when Airtable fails the lead is kept and forwarded on a later retry", async () => {
        airtableDown = true;
        const slackBefore = slackMessages.length;
        expect((await submit("simulation", simulation)).status).toBe(200);
        await forward();
        const failed = await leadOf("grace@compilers.example");
        expect(failed?.forwardStatus).toBe("pending");
        expect(failed?.forwardAttempts).toBe(1);
        expect(failed?.lastError).toContain("503");
        expect(failed?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
        // Not due yet: a run now does nothing.
        airtableDown = false;
        await forward();
        expect((await leadOf("grace@compilers.example"))?.forwardAttempts).toBe(1);

        await makeDue("grace@compilers.example");
        await forward();
        const done = await leadOf("grace@compilers.example");
        expect(done?.forwardStatus).toBe("forwarded");
        expect(done?.forwardAttempts).toBe(2);
        const created = records.filter((r) => r.fields.Email === "grace@compilers.example");
        expect(created).toHaveLength(1);
        expect(created[0]?.fields).toMatchObject({
            "Company Website URL": "https://compilers.example",
            "Average Website Visitors": 12000,
            "Acquisition Channels": "seo, ads",
        });
        expect(slackMessages.length).toBeGreaterThan(slackBefore);
    });

    test("a retry after a partial forward does not create a second Airtable record", async () => {
        const email = "retry@partial.example";
        expect((await submit("demo_request", { ...demo, email })).status).toBe(200);
        // The record exists in Airtable already (e.g. created before a crash).
        records.push({ id: "recEarlier", table: "tblDemo", fields: { Email: email } });
        await forward();
        const lead = await leadOf(email);
        expect(lead?.airtableRecordId).toBe("recEarlier");
        expect(records.filter((r) => r.fields.Email === email)).toHaveLength(1);
    });
});
