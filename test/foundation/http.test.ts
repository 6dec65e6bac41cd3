import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Elysia, t } from "elysia";
import { legacyPathFor } from "../../src/api/legacy";
import { hmacBase64, startOracleFixture } from "../oracle/helpers";
import { jsonHeaders, readJson, startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;

beforeAll(async () => {
    server = await startTestApp({
        placeholderRoutes: () =>
            new Elysia()
                .post("/test/orders", ({ body }) => ({ received: body.name }), {
                    body: t.Object({
                        name: t.String({ minLength: 1 }),
                        quantity: t.Integer({ minimum: 1 }),
                    }),
                })
                .get("/test/crash", () => {
                    throw new Error("secret internal detail: select * from users");
                }),
    });
});

afterAll(() => server.stop());

describe("error model", () => {
    test("a bad body gives 422 JSON naming the field", async () => {
        const response = await server.request("/test/orders", {
            method: "POST",
            headers: jsonHeaders,
            body: JSON.stringify({ name: "shoes", quantity: 0 }),
        });
        expect(response.status).toBe(422);
        expect(response.headers.get("content-type")).toContain("application/json");
        const body = await readJson(response);
        expect(body).toMatchObject({ error: "validation", on: "body", property: "/quantity" });
        expect(body.message).toContain("/quantity");
    });

    test("a missing field is named too", async () => {
        const response = await server.request("/test/orders", {
            method: "POST",
            headers: jsonHeaders,
            body: JSON.stringify({ quantity: 2 }),
        });
        expect(response.status).toBe(422);
        expect((await readJson(response)).property).toBe("/name");
    });

    test("malformed JSON gives 400 JSON", async () => {
        const response = await server.request("/test/orders", {
            method: "POST",
            headers: jsonHeaders,
            body: '{"name": "shoes",',
        });
        expect(response.status).toBe(400);
        expect(await readJson(response)).toEqual({
            error: "malformed_body",
            message: "The request body is not valid JSON",
        });
    });

    test("an unhandled error gives a 500 without internals", async () => {
        const response = await server.request("/test/crash");
        expect(response.status).toBe(500);
        const text = await response.text();
        expect(JSON.parse(text)).toEqual({
            error: "internal_error",
            message: "Internal server error",
        });
        expect(text).not.toContain("select");
        // The process is still serving.
        expect((await server.request("/health/live")).status).toBe(200);
    });

    test("an unknown path gives 404 JSON", async () => {
        const response = await server.request("/definitely/not/here");
        expect(response.status).toBe(404);
        expect(await readJson(response)).toEqual({ error: "not_found", message: "Not found" });
    });

    test("a known path with the wrong method gives 404 JSON", async () => {
        const response = await server.request("/test/orders");
        expect(response.status).toBe(404);
        expect((await readJson(response)).error).toBe("not_found");
    });

    test("every response carries a request id, and a sane incoming one is kept", async () => {
        const fresh = await server.request("/health/live");
        expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
        const kept = await server.request("/health/live", {
            headers: { "x-request-id": "trace-123" },
        });
        expect(kept.headers.get("x-request-id")).toBe("trace-123");
    });
});

describe("CORS", () => {
    test("a preflight from an allowed origin gets 204 and the allow headers", async () => {
        const response = await server.request("/wallet/anything", {
            method: "OPTIONS",
            headers: {
                origin: "http://localhost:3000",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type, x-wallet-auth",
            },
        });
        expect(response.status).toBe(204);
        expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
        expect(response.headers.get("access-control-allow-credentials")).toBe("true");
        expect(response.headers.get("access-control-allow-methods")).toContain("POST");
        expect(response.headers.get("access-control-allow-headers")).toBe(
            "content-type, x-wallet-auth",
        );
    });

    test("a preflight from a refused origin gets no allow-origin", async () => {
        const response = await server.request("/wallet/anything", {
            method: "OPTIONS",
            headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
        });
        expect(response.status).toBe(204);
        expect(response.headers.get("access-control-allow-origin")).toBeNull();
        expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    });

    test("a simple request from an allowed origin is allowed, others are not", async () => {
        const allowed = await server.request("/health/live", {
            headers: { origin: "http://localhost:3000" },
        });
        expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
        const refused = await server.request("/health/live", {
            headers: { origin: "https://evil.example" },
        });
        expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    });
});

describe("legacy paths", () => {
    test("/oracle/custom/<id>/hook reaches its /ext route with headers and body kept", async () => {
        const oracle = await startOracleFixture({ app: server, platform: "custom" });
        const body = JSON.stringify({
            id: "legacy-order-1",
            customerId: "customer-1",
            status: "confirmed",
            token: "legacy-token",
            currency: "EUR",
            totalPrice: "12.50",
        });
        const response = await server.request(
            `/oracle/custom/${oracle.productId}/hook?via=legacy`,
            {
                method: "POST",
                headers: {
                    ...jsonHeaders,
                    origin: "http://localhost:3000",
                    "x-hmac-sha256": hmacBase64(oracle.secret, body),
                },
                body,
            },
        );
        expect(response.status).toBe(200);
        // CORS headers appear once, from the outer request.
        expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
        const status = await server.request(
            `/business/product/${oracle.productId}/oracleWebhook/status`,
            { headers: { "x-business-auth": oracle.ownerToken } },
        );
        expect((await readJson(status)).stats.totalPurchaseHandled).toBe(1);
    });

    test("each legacy path maps onto its route", () => {
        expect(legacyPathFor("/interactions/webhook/0x01/pushRaw")).toBe(
            "/ext/products/0x01/webhook/interactions/pushRaw",
        );
        expect(legacyPathFor("/interactions/listenForPurchase")).toBe(
            "/wallet/interactions/listenForPurchase",
        );
        expect(legacyPathFor("/oracle/shopify/0xab/hook/")).toBe(
            "/ext/products/0xab/webhook/oracle/shopify",
        );
        expect(legacyPathFor("/oracle/magento/0xab/hook")).toBeNull();
    });

    test("an unmapped legacy-looking path is a 404", async () => {
        const response = await server.request("/oracle/unknown/0x01/hook", { method: "POST" });
        expect(response.status).toBe(404);
    });
});

describe("OpenAPI", () => {
    test("the document is served as JSON and the UI from our own assets", async () => {
        const document = await readJson(await server.request("/openapi/json"));
        expect(document.openapi).toMatch(/^3\./);
        expect(document.paths["/health"]).toBeDefined();
        expect(document.components.securitySchemes.walletAuth.name).toBe("x-wallet-auth");

        const page = await server.request("/openapi");
        expect(page.headers.get("content-type")).toContain("text/html");
        const html = await page.text();
        expect(html).not.toContain("cdn.");
        const script = await server.request("/openapi/assets/swagger-ui-bundle.js");
        expect(script.status).toBe(200);
        expect((await server.request("/openapi/assets/..%2Fpackage.json")).status).toBe(404);
    });
});
