/**
 * Every route of our OpenAPI document receives random, boundary and malformed values in its
 * path, query, headers and body (fast-check, seeded and reproducible: FUZZ_SEED, FUZZ_RUNS), with
 * and without valid sessions. Nothing may answer 5xx or break the process, and every 4xx is a JSON
 * error; a 422 names the field.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server";
import { type JsonSchema, type Operation, operationsOf } from "../support/openapi-operations";
import { startTestApp, type TestApp } from "../support/test-app";

const seed = Number(process.env.FUZZ_SEED ?? 20261125);
const runs = Number(process.env.FUZZ_RUNS ?? 200);
// Nothing the fuzzer writes may point outside this machine (push endpoints, redirects, ...).
const loopbackUrl = fc.constantFrom(
    "http://127.0.0.1:9/push",
    "https://127.0.0.1:9/x?y=1",
    "http://localhost:9/",
);

let server: TestApp;
let dns: TestDnsServer;
let operations: Operation[] = [];
const tokens: Record<string, string> = {};
const wallet = "0x2222222222222222222222222222222222222222";

beforeAll(async () => {
    dns = await startTestDnsServer();
    server = await startTestApp({
        env: {
            RATE_LIMIT_AUTH: "0/1",
            RATE_LIMIT_CHALLENGE: "0/1",
            RATE_LIMIT_NONCE: "0/1",
            RATE_LIMIT_PAIRING: "0/1",
            // Our own local DNS server: DNS proofs never leave the machine.
            DNS_RESOLVER: dns.address,
        },
    });
    const document = await (await server.request("/openapi/json")).json();
    operations = operationsOf(document as Parameters<typeof operationsOf>[0]).filter(
        (operation) => !operation.path.startsWith("/openapi") && operation.path !== "/metrics",
    );
    tokens.walletAuth = (
        await server.infra.tokens.signWallet({
            type: "webauthn",
            address: wallet,
            authenticatorId: "fuzz-credential",
            publicKey: { x: `0x${"01".repeat(32)}`, y: `0x${"02".repeat(32)}` },
        })
    ).token;
    tokens.walletSdkAuth = (await server.infra.tokens.signSdk(wallet)).token;
    tokens.businessAuth = (await server.infra.tokens.signBusiness(wallet)).token;
});
afterAll(async () => {
    await server.stop();
    await dns.stop();
});

const sessionHeader: Record<string, string> = {
    walletAuth: "x-wallet-auth",
    walletSdkAuth: "x-wallet-sdk-auth",
    businessAuth: "x-business-auth",
};

/** Printable header-safe text, including the usual troublemakers. */
const headerText = fc.oneof(
    fc.string({ unit: fc.constantFrom(..." !#$%&'()*+,-./0123456789:;<=>?@AZaz[]^_`{|}~\"\\") }),
    fc.constantFrom("", "0x", "null", "undefined", "-1", "1e309", "0x" + "f".repeat(64), "true"),
);

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(
        null,
        true,
        false,
        0,
        -1,
        1.5,
        Number.MAX_SAFE_INTEGER,
        "",
        "0x",
        "a".repeat(5000),
    ),
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), {
        maxKeys: 4,
    }),
);

/** Values that mostly satisfy `schema`, with boundary cases; `anyJson` covers the rest. */
function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
    if (!schema || depth > 4) return anyJson;
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const variants = schema.anyOf ?? schema.oneOf;
    if (variants && variants.length > 0) {
        return fc.oneof(...variants.map((variant) => valueFor(variant, depth + 1)));
    }
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
        case "string":
            return stringFor(schema);
        case "integer":
            return fc.oneof(
                fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 }),
                fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER),
            );
        case "number":
            return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(0));
        case "boolean":
            return fc.boolean();
        case "array":
            return fc.array(valueFor(schema.items, depth + 1), {
                minLength: schema.minItems ?? 0,
                maxLength: Math.min(schema.maxItems ?? 4, 4),
            });
        case "object": {
            const properties = Object.entries(schema.properties ?? {});
            if (properties.length === 0) return fc.dictionary(fc.string(), anyJson, { maxKeys: 3 });
            const required = new Set(schema.required ?? []);
            const record: Record<string, fc.Arbitrary<unknown>> = {};
            for (const [name, property] of properties) record[name] = valueFor(property, depth + 1);
            return fc.record(record, {
                requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)),
            });
        }
        default:
            return anyJson;
    }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
    const pattern = schema.pattern ?? "";
    const max = Math.min(schema.maxLength ?? 64, 256);
    const hexOf = (length: number) =>
        fc.string({
            unit: fc.constantFrom(..."0123456789abcdefABCDEF"),
            minLength: length,
            maxLength: length,
        });
    if (pattern.includes("{40}")) return hexOf(40).map((hex) => `0x${hex}`);
    if (pattern.startsWith("^0x")) {
        return fc.oneof(
            hexOf(64).map((h) => `0x${h}`),
            fc.constantFrom("0x", "0x1", "0x00"),
        );
    }
    if (pattern.includes("http")) return loopbackUrl;
    if (/^\^?\[0-9\]/.test(pattern) || pattern.includes("\\d")) {
        return fc.integer({ min: 0, max: 999_999 }).map(String);
    }
    return fc.oneof(
        fc.string({ minLength: schema.minLength ?? 0, maxLength: max }),
        fc.constantFrom("", " ", "é🙂", "<script>", "' or 1=1 --", "../../etc/passwd"),
    );
}

type FuzzRequest = {
    pathValues: Record<string, string>;
    query: Record<string, string | undefined>;
    headers: Record<string, string | undefined>;
    body: { kind: "json"; value: unknown } | { kind: "raw"; text: string } | { kind: "none" };
    authenticated: boolean;
};

function requestFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
    const pathParams = operation.parameters.filter((p) => p.in === "path");
    const queryParams = operation.parameters.filter((p) => p.in === "query");
    const headerParams = operation.parameters.filter((p) => p.in === "header");
    const pathValues: Record<string, fc.Arbitrary<string>> = {};
    for (const param of pathParams) {
        pathValues[param.name] = fc.oneof(
            valueFor(param.schema).map(String),
            fc.string({ minLength: 1, maxLength: 80 }),
        );
    }
    const query: Record<string, fc.Arbitrary<string>> = {};
    for (const param of queryParams) {
        query[param.name] = fc.oneof(valueFor(param.schema).map(String), fc.string());
    }
    const headers: Record<string, fc.Arbitrary<string>> = {};
    for (const param of headerParams) {
        if (param.name === "cookie") continue;
        headers[param.name] = fc.oneof(
            valueFor(param.schema).map((v) => String(v).replace(/[^\x20-\x7e]/g, "")),
            headerText,
        );
    }
    const body: fc.Arbitrary<FuzzRequest["body"]> = operation.body
        ? fc.oneof(
              {
                  weight: 3,
                  arbitrary: valueFor(operation.body).map((value) => ({
                      kind: "json" as const,
                      value,
                  })),
              },
              { weight: 1, arbitrary: anyJson.map((value) => ({ kind: "json" as const, value })) },
              {
                  weight: 1,
                  arbitrary: fc
                      .oneof(fc.string(), fc.constantFrom("{", "[1,", '{"a":', "\u0000", "null"))
                      .map((text) => ({ kind: "raw" as const, text })),
              },
          )
        : fc.constant({ kind: "none" as const });
    return fc.record({
        pathValues: fc.record(pathValues),
        query: fc.record(query, { requiredKeys: [] }),
        headers: fc.record(headers, { requiredKeys: [] }),
        body,
        authenticated: fc.boolean(),
    });
}

function definedEntries(record: Record<string, string | undefined>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) if (value !== undefined) result[key] = value;
    return result;
}

async function send(operation: Operation, input: FuzzRequest): Promise<Response> {
    let path = operation.path;
    for (const [name, value] of Object.entries(input.pathValues)) {
        path = path.replace(`{${name}}`, encodeURIComponent(value));
    }
    const search = new URLSearchParams(definedEntries(input.query)).toString();
    const headers: Record<string, string> = definedEntries(input.headers);
    for (const requirement of operation.security) {
        for (const scheme of Object.keys(requirement)) {
            const header = sessionHeader[scheme];
            const token = tokens[scheme];
            if (input.authenticated && header && token) headers[header] = token;
        }
    }
    let body: string | undefined;
    if (input.body.kind === "json") {
        body = JSON.stringify(input.body.value) ?? "null";
        headers["content-type"] = "application/json";
    } else if (input.body.kind === "raw") {
        body = input.body.text;
        headers["content-type"] = "application/json";
    }
    return server.request(`${path}${search ? `?${search}` : ""}`, {
        method: operation.method,
        headers,
        body: operation.method === "GET" || operation.method === "HEAD" ? undefined : body,
        redirect: "manual",
    });
}

describe("fuzzing every route of the OpenAPI document", () => {
    test("the document lists the routes", () => {
        expect(operations.length).toBeGreaterThan(3);
    });

    test(
        "no 5xx, JSON errors, 422 naming the field",
        async () => {
            const failures: string[] = [];
            for (const operation of operations) {
                const label = `${operation.method} ${operation.path}`;
                const details = await fc.check(
                    fc.asyncProperty(requestFor(operation), async (input) => {
                        const response = await send(operation, input);
                        const text = await response.text();
                        if (response.status >= 500) {
                            throw new Error(`${response.status}: ${text.slice(0, 200)}`);
                        }
                        if (response.status >= 400 && response.status !== 404) {
                            const type = response.headers.get("content-type") ?? "";
                            if (!type.includes("application/json")) {
                                throw new Error(
                                    `${response.status} without JSON: ${text.slice(0, 100)}`,
                                );
                            }
                            const json = JSON.parse(text) as Record<string, unknown>;
                            if (typeof json.error !== "string") {
                                throw new Error(`${response.status} without error code: ${text}`);
                            }
                            if (response.status === 422 && typeof json.property !== "string") {
                                throw new Error(`422 without the field: ${text}`);
                            }
                        }
                    }),
                    { numRuns: runs, seed, endOnFailure: true },
                );
                if (details.failed) {
                    const reason =
                        details.errorInstance instanceof Error
                            ? details.errorInstance.message
                            : String(details.errorInstance);
                    const example = JSON.stringify(details.counterexample)?.slice(0, 600);
                    failures.push(
                        `${label}: ${reason} (seed ${seed}, path ${details.counterexamplePath}) for ${example}`,
                    );
                }
            }
            // The process is still healthy after all of it.
            expect((await server.request("/health")).status).toBe(200);
            expect(failures).toEqual([]);
        },
        10 * 60_000,
    );
});
