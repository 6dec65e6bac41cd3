import { afterAll, beforeAll, expect, test } from "bun:test";
import { apiClient } from "../support/api-client";
import { startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;

beforeAll(async () => {
    server = await startTestApp({ env: { HOSTNAME: "instance-a", STAGE: "staging" } });
});
afterAll(() => server.stop());

test("/health answers 200 with the seed's shape while the database answers", async () => {
    const { status, data } = await apiClient(server).health.get();
    expect(status).toBe(200);
    expect(data).toEqual({ status: "ok", hostname: "instance-a", stage: "staging" });
});

test("/health answers 503 naming the database once it is unreachable", async () => {
    await server.infra.database.close();
    const { status, error } = await apiClient(server).health.get();
    expect(status).toBe(503);
    expect(error?.value).toEqual({
        status: "error",
        failed: ["database"],
        hostname: "instance-a",
        stage: "staging",
    });
    // Liveness does not depend on the database.
    expect((await apiClient(server).health.live.get()).status).toBe(200);
});
