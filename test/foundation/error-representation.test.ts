import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Elysia, t } from "elysia";
import { errorRepresentationFor } from "../../src/infrastructure/http";
import { jsonHeaders, readJson, startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;

beforeAll(async () => {
    server = await startTestApp({
        env: { RATE_LIMIT_NONCE: "1/60" },
        placeholderRoutes: () =>
            new Elysia().post("/test/orders", ({ body }) => ({ received: body.name }), {
                body: t.Object({ name: t.String({ minLength: 1 }) }),
            }),
    });
});
afterAll(() => server.stop());

/** Every kind of error the API produces, from the error handler, the macros and the hooks. */
const cases: Array<{
    name: string;
    status: number;
    text: string;
    path: string;
    init?: RequestInit;
}> = [
    {
        name: "a business error (ApiError)",
        status: 400,
        text: "Invalid url: an absolute http(s) URL is expected",
        path: "/common/social?u=javascript%3Aalert(1)",
        init: { redirect: "manual" },
    },
    {
        name: "a missing session (macro)",
        status: 401,
        text: "Unauthorized",
        path: "/wallet/balance",
    },
    {
        name: "an unknown path (legacy catch-all)",
        status: 404,
        text: "Not found",
        path: "/no/such/path",
    },
    {
        name: "malformed JSON",
        status: 400,
        text: "The request body is not valid JSON",
        path: "/test/orders",
        init: { method: "POST", headers: jsonHeaders, body: "{" },
    },
];

describe("one error model, two representations chosen by Accept", () => {
    for (const { name, status, text, path, init } of cases) {
        test(`${name}: JSON when asked for, the message as text otherwise`, async () => {
            const asJson = await server.request(path, {
                ...init,
                headers: { ...(init?.headers as object), accept: "application/json" },
            });
            expect(asJson.status).toBe(status);
            expect(asJson.headers.get("content-type")).toContain("application/json");
            expect((await readJson(asJson)).message).toBe(text);

            // What a browser's or Bun's fetch sends for Eden Treaty: `*/*`.
            for (const accept of ["*/*", "text/plain", "text/html,*/*;q=0.8"]) {
                const asText = await server.request(path, {
                    ...init,
                    headers: { ...(init?.headers as object), accept },
                });
                expect(asText.status).toBe(status);
                expect(asText.headers.get("content-type")).toContain("text/plain");
                expect(await asText.text()).toBe(text);
            }
        });
    }

    test("a validation error: JSON naming the field, or its message naming it as text", async () => {
        const init = { method: "POST", body: JSON.stringify({ name: "" }) };
        const asJson = await server.request("/test/orders", { ...init, headers: jsonHeaders });
        expect(asJson.status).toBe(422);
        expect((await readJson(asJson)).property).toBe("/name");
        const asText = await server.request("/test/orders", {
            ...init,
            headers: { ...jsonHeaders, accept: "*/*" },
        });
        expect(asText.status).toBe(422);
        expect(await asText.text()).toMatch(/^Invalid body \/name: /);
    });

    test("429 from the rate limiter keeps Retry-After in both representations", async () => {
        const call = (accept: string) =>
            server.request("/business/auth/nonce", { headers: { accept } });
        let limited: Response | undefined;
        for (let i = 0; i < 5 && !limited; i++) {
            const response = await call("*/*");
            if (response.status === 429) limited = response;
        }
        expect(limited?.status).toBe(429);
        expect(limited?.headers.get("retry-after")).toBeTruthy();
        expect(await limited?.text()).toBe("Too many requests, retry later");
        const asJson = await call("application/json");
        expect(asJson.status).toBe(429);
        expect(asJson.headers.get("retry-after")).toBeTruthy();
        expect((await readJson(asJson)).error).toBe("rate_limited");
    });

    test("the Accept rule", () => {
        expect(errorRepresentationFor(undefined)).toBe("text");
        expect(errorRepresentationFor("*/*")).toBe("text");
        expect(errorRepresentationFor("application/*")).toBe("text");
        expect(errorRepresentationFor("application/json")).toBe("json");
        expect(errorRepresentationFor("Application/JSON; charset=utf-8")).toBe("json");
        expect(errorRepresentationFor("text/html, application/json;q=0.9")).toBe("json");
        expect(errorRepresentationFor("application/problem+json")).toBe("json");
        expect(errorRepresentationFor("application/json;q=0")).toBe("text");
    });
});
