/**
 * Issue 15, item 9, the parts not replayed by hostile-input.test.ts: the PGlite data directory
 * is private to the service (0700, also when it existed before), and `/metrics` still tells a
 * right token from a wrong one now that it compares them in constant time.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/infrastructure/persistence";
import { startTestApp } from "../support/test-app";

const scratch = mkdtempSync(join(tmpdir(), "pglite-mode-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("PGlite data directory", () => {
    test("is created 0700, and an existing world-readable one is made 0700", async () => {
        for (const [name, existing] of [
            ["fresh", false],
            ["existing", true],
        ] as const) {
            const dataDir = join(scratch, name);
            if (existing) mkdirSync(dataDir, { mode: 0o755 });
            const database = await openDatabase({ kind: "pglite", dataDir });
            await database.close();
            expect(statSync(dataDir).mode & 0o777).toBe(0o700);
        }
    });
});

describe("/metrics behind a token", () => {
    test("answers the right bearer token only", async () => {
        const token = "metrics-token-0123456789abcdef";
        const server = await startTestApp({ env: { METRICS_TOKEN: token } });
        try {
            const scrape = (authorization?: string) =>
                server.request("/metrics", {
                    headers: authorization ? { authorization } : {},
                });
            expect((await scrape(`Bearer ${token}`)).status).toBe(200);
            expect((await scrape()).status).toBe(401);
            expect((await scrape(`Bearer ${token.slice(0, -1)}x`)).status).toBe(401);
            expect((await scrape(`Bearer ${token}0`)).status).toBe(401);
        } finally {
            await server.stop();
        }
    });
});
