import { afterAll, beforeAll, expect, test } from "bun:test";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;

beforeAll(async () => {
    server = await startTestApp({ env: { HOSTNAME: "instance-a", STAGE: "staging" } });
});
afterAll(() => server.stop());

test("/health answers 200 with the seed's shape while the database answers", async () => {
    const response = await server.request("/health");
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
        status: "ok",
        hostname: "instance-a",
        stage: "staging",
    });
});

test("/health answers 503 naming the database once it is unreachable", async () => {
    await server.infra.database.close();
    const response = await server.request("/health");
    expect(response.status).toBe(503);
    expect(await readJson(response)).toEqual({
        status: "error",
        failed: ["database"],
        hostname: "instance-a",
        stage: "staging",
    });
    // Liveness does not depend on the database.
    expect((await server.request("/health/live")).status).toBe(200);
});
