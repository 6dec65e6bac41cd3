import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * The API document is a contract: every operation is tagged with a described tag, says what it
 * does, documents its success body and at least one error response with a body schema, and every
 * JSON request body carries an example. A failure lists each operation and what it lacks, so the
 * author of a new route knows exactly what to add to its `detail` / `response` / `body`.
 */
type Schema = { examples?: unknown[]; example?: unknown; [key: string]: unknown };
type Response = { description?: string; content?: Record<string, { schema?: Schema }> };
type Operation = {
    tags?: string[];
    summary?: string;
    description?: string;
    requestBody?: { content?: Record<string, { schema?: Schema }> };
    responses?: Record<string, Response>;
    /** Why an operation cannot fail (a liveness probe); it then needs no error response. */
    "x-no-error-response"?: string;
};
type Document = {
    tags?: Array<{ name: string; description?: string }>;
    paths: Record<string, Record<string, Operation>>;
};

let server: TestApp;
let document: Document;
beforeAll(async () => {
    server = await startTestApp();
    document = (await (await server.request("/openapi/json")).json()) as Document;
});
afterAll(() => server.stop());

const isSuccess = (status: string) => /^[123]\d\d$/.test(status);
const isError = (status: string) => /^[45]\d\d$/.test(status);
const schemaOf = (response: Response | undefined) =>
    response?.content?.["application/json"]?.schema ??
    Object.values(response?.content ?? {})[0]?.schema;

/** What one operation lacks, in words an author can act on. */
export function gapsOf(operation: Operation, describedTags: Set<string>): string[] {
    const gaps: string[] = [];
    const tags = operation.tags ?? [];
    if (tags.length === 0) gaps.push("a tag (detail.tags, or tags on its Elysia instance)");
    for (const tag of tags) {
        if (!describedTags.has(tag)) gaps.push(`a description of tag "${tag}" (API_TAGS)`);
    }
    if (!operation.summary && !operation.description) gaps.push("a summary (detail.summary)");
    const responses = Object.entries(operation.responses ?? {});
    const success = responses.filter(([status]) => isSuccess(status));
    if (success.length === 0) {
        gaps.push("a success response (response: { 200: ... })");
    }
    for (const [status, response] of success) {
        // No content is a documented empty body; content must then have a schema.
        if (response.content && !schemaOf(response)) gaps.push(`a schema for its ${status} body`);
        if (!response.description) gaps.push(`a description of its ${status} response`);
    }
    const errors = responses.filter(([status]) => isError(status));
    if (errors.length === 0 && !operation["x-no-error-response"]) {
        gaps.push("an error response (response: { 4xx: ... } via apiErrors)");
    }
    for (const [status, response] of errors) {
        const schema = schemaOf(response);
        if (!schema) gaps.push(`a schema for its ${status} error body`);
        const isErrorBody = Boolean((schema?.properties as Record<string, unknown>)?.error);
        const codes = schema?.["x-error-codes"] as string[] | undefined;
        if (isErrorBody && !codes?.length) {
            gaps.push(`the error codes of its ${status} (apiErrors({ ${status}: ["..."] }))`);
        }
    }
    const body = operation.requestBody?.content?.["application/json"]?.schema;
    if (body && body.examples === undefined && body.example === undefined) {
        gaps.push("an example of its request body (body: t.Object({...}, { examples: [...] }))");
    }
    return gaps;
}

test("every operation is tagged, described, and documents its success, errors and body example", () => {
    const described = new Set(
        (document.tags ?? []).filter((tag) => tag.description).map((tag) => tag.name),
    );
    const report: string[] = [];
    let operations = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
            operations++;
            const gaps = gapsOf(operation, described);
            if (gaps.length > 0)
                report.push(`${method.toUpperCase()} ${path} lacks ${gaps.join("; ")}`);
        }
    }
    expect(operations).toBeGreaterThan(40);
    expect(report.sort().join("\n")).toBe("");
});

test("every declared tag is described and used", () => {
    const used = new Set(
        Object.values(document.paths).flatMap((methods) =>
            Object.values(methods).flatMap((operation) => operation.tags ?? []),
        ),
    );
    for (const tag of document.tags ?? []) {
        expect(tag.description?.length ?? 0, `tag ${tag.name}`).toBeGreaterThan(10);
        expect(used.has(tag.name), `tag ${tag.name} is used`).toBe(true);
    }
});

test("the checks bite: an operation without anything is reported for each missing part", () => {
    const gaps = gapsOf(
        {
            tags: ["nowhere"],
            requestBody: { content: { "application/json": { schema: { type: "object" } } } },
            responses: {},
        },
        new Set(["health"]),
    );
    expect(gaps).toEqual([
        'a description of tag "nowhere" (API_TAGS)',
        "a summary (detail.summary)",
        "a success response (response: { 200: ... })",
        "an error response (response: { 4xx: ... } via apiErrors)",
        "an example of its request body (body: t.Object({...}, { examples: [...] }))",
    ]);
});

test("an error body must name its codes", () => {
    const errorBody = { type: "object", properties: { error: { type: "string" } } };
    const gaps = gapsOf(
        {
            tags: ["health"],
            summary: "x",
            responses: {
                "200": { description: "Success" },
                "404": { content: { "application/json": { schema: errorBody } } },
            },
        },
        new Set(["health"]),
    );
    expect(gaps).toEqual(['the error codes of its 404 (apiErrors({ 404: ["..."] }))']);
});

test("derived errors: 422 where input is validated, 401 where a session is required, 429 where limited", () => {
    const op = (method: string, path: string) => document.paths[path]?.[method] as Operation;
    expect(Object.keys(op("put", "/business/product/mint").responses ?? {})).toEqual(
        expect.arrayContaining(["200", "401", "422"]),
    );
    expect(Object.keys(op("post", "/wallet/auth/login").responses ?? {})).toEqual(
        expect.arrayContaining(["422", "429"]),
    );
    const validation = schemaOf(op("put", "/business/product/mint").responses?.["422"]);
    expect(validation).toMatchObject({ required: expect.arrayContaining(["error", "property"]) });
});
