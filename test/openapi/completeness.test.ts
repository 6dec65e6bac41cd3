import { afterAll, beforeAll, expect, test } from "bun:test";
import {
    ERROR_CODES,
    type ErrorCode,
    isErrorCode,
    routesAnswering,
    STATUS_EXCEPTIONS,
} from "../../src/infrastructure/errors/error-codes";
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

/**
 * What is wrong with the codes an operation's error responses name: a code outside the catalogue
 * (infrastructure/errors/error-codes.ts), or listed under a status it does not answer with there
 * (neither its own nor a documented exception for this route).
 */
export function codeMismatchesOf(route: string, operation: Operation): string[] {
    const mismatches: string[] = [];
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!isError(status)) continue;
        const schema = schemaOf(response);
        const error = (schema?.properties as Record<string, Schema> | undefined)?.error;
        const named = new Set([
            ...((schema?.["x-error-codes"] as string[] | undefined) ?? []),
            ...((error?.examples as string[] | undefined) ?? []),
        ]);
        for (const code of named) {
            if (!isErrorCode(code)) {
                mismatches.push(`${route} ${status} names "${code}", not in the catalogue`);
                continue;
            }
            const routes = routesAnswering(code, Number(status));
            if (routes !== "all" && !routes.includes(route)) {
                mismatches.push(
                    `${route} ${status} names "${code}", which answers ${ERROR_CODES[code].status}` +
                        " (or a STATUS_EXCEPTIONS entry naming this route)",
                );
            }
        }
    }
    return mismatches;
}

test("every error code in the document is in the catalogue, under a status it answers there", () => {
    const report: string[] = [];
    const named = new Set<string>();
    for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
            report.push(...codeMismatchesOf(`${method.toUpperCase()} ${path}`, operation));
            for (const response of Object.values(operation.responses ?? {})) {
                const codes = schemaOf(response)?.["x-error-codes"] as string[] | undefined;
                for (const code of codes ?? []) named.add(code);
            }
        }
    }
    expect(report.sort().join("\n")).toBe("");
    // And no exception is stale: each of its routes documents the code under its status.
    for (const [code, byStatus] of Object.entries(STATUS_EXCEPTIONS)) {
        for (const [status, { routes }] of Object.entries(byStatus)) {
            for (const route of routes) {
                const [method = "", path = ""] = route.split(" ");
                const response = document.paths[path]?.[method.toLowerCase()]?.responses?.[status];
                const codes = schemaOf(response)?.["x-error-codes"] as string[] | undefined;
                expect(codes ?? [], `${route} ${status}`).toContain(code);
            }
        }
    }
    // The document names the codes a client meets most: the derived ones at least.
    for (const code of ["validation", "unauthorized", "rate_limited"] satisfies ErrorCode[]) {
        expect(named.has(code), code).toBe(true);
    }
});

test("the code check bites: an unknown code, and a code under a status it does not answer", () => {
    const errorBody = (codes: string[]) => ({
        content: { "application/json": { schema: { type: "object", "x-error-codes": codes } } },
    });
    const operation = {
        responses: {
            "400": errorBody(["no_such_code"]),
            "403": errorBody(["pairing_not_found"]),
            "404": errorBody(["invalid_signature"]),
        },
    };
    expect(codeMismatchesOf("POST /wallet/auth/register", operation)).toEqual([
        'POST /wallet/auth/register 400 names "no_such_code", not in the catalogue',
        'POST /wallet/auth/register 403 names "pairing_not_found", which answers 404 (or a STATUS_EXCEPTIONS entry naming this route)',
        'POST /wallet/auth/register 404 names "invalid_signature", which answers 401 (or a STATUS_EXCEPTIONS entry naming this route)',
    ]);
    // The documented exception holds on its own routes only.
    expect(codeMismatchesOf("POST /wallet/auth/login", operation).slice(2)).toEqual([]);
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
