/**
 * `npm run dev:cluster`: two instances sharing PostgreSQL, Redis and one anvil. Shown through
 * what the sharing gives a user: both answer healthy under their own name, a per-IP rate limit is
 * counted across both (Redis), and Ctrl-C leaves no instance and no anvil behind.
 * Needs a PostgreSQL (DATABASE_URL) and a Redis (REDIS_URL, default redis://127.0.0.1:6379), as
 * CI provides; skipped otherwise.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { devAnvilFiles, findFreePort } from "../../src/infrastructure/blockchain";
import { eventually } from "../support/eventually";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const root = new URL("../../", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "dev-cluster-"));
let database: TestDatabase | undefined;
let cluster: Subprocess | undefined;

afterAll(async () => {
    cluster?.kill("SIGKILL");
    // The development anvil outlives its starter by design (reloads); after a failed test it
    // would be left running, so stop what is left of this data dir's.
    for (const pid of anvilsOfDataDir()) process.kill(pid, "SIGTERM");
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
});

function anvilsOfDataDir(): number[] {
    const dir = devAnvilFiles(dataDir).dir;
    return readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .filter((entry) => {
            try {
                const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[0] ?? "";
                return command.endsWith("anvil") && readlinkSync(`/proc/${entry}/cwd`) === dir;
            } catch {
                return false;
            }
        })
        .map(Number);
}

test.skipIf(!process.env.DATABASE_URL)(
    "two instances share the database, Redis and the chain, and stop together",
    async () => {
        database = await createTestDatabase();
        if (database.config.kind !== "postgres") throw new Error("expected PostgreSQL");
        // Two free ports in a row for instances a and b.
        let port = await findFreePort();
        while (port > 65000) port = await findFreePort();
        cluster = Bun.spawn([process.execPath, "scripts/dev-cluster.ts"], {
            cwd: root,
            env: {
                ...process.env,
                DATA_DIR: dataDir,
                DATABASE_URL: database.config.url,
                REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
                PORT: String(port),
                LOG_FORMAT: "json",
                RATE_LIMIT_NONCE: "3/60",
                // The client address comes from X-Forwarded-For: this run's own quota in the
                // shared Redis, whatever else on the machine asks for nonces from 127.0.0.1.
                TRUSTED_PROXY_HOPS: "1",
            },
            stdout: "pipe",
            stderr: "inherit",
        });
        let output = "";
        void (async () => {
            for await (const chunk of cluster.stdout as ReadableStream<Uint8Array>) {
                output += new TextDecoder().decode(chunk);
            }
        })();
        await eventually(() => output.includes("cluster ready"), 240_000, 200);
        const a = `http://127.0.0.1:${port}`;
        const b = `http://127.0.0.1:${port + 1}`;

        for (const [url, name] of [
            [a, "instance-a"],
            [b, "instance-b"],
        ] as const) {
            const health = await fetch(`${url}/health`);
            expect(health.status).toBe(200);
            expect(await health.json()).toMatchObject({ status: "ok", hostname: name });
        }
        expect(anvilsOfDataDir()).toHaveLength(1);

        // Three nonces per minute per client IP, counted in Redis: the fourth, on the other
        // instance, is refused.
        const clientIp = `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
        const nonce = (url: string) =>
            fetch(`${url}/business/auth/nonce`, {
                headers: { accept: "application/json", "x-forwarded-for": clientIp },
            });
        expect((await nonce(a)).status).toBe(200);
        expect((await nonce(b)).status).toBe(200);
        expect((await nonce(a)).status).toBe(200);
        expect((await nonce(b)).status).toBe(429);

        cluster.kill("SIGINT");
        expect(await cluster.exited).toBe(0);
        expect(output).toContain("cluster stopped");
        expect(anvilsOfDataDir()).toEqual([]);
        for (const url of [a, b]) {
            expect(
                await fetch(`${url}/health/live`).then(
                    () => "up",
                    () => "down",
                ),
            ).toBe("down");
        }
    },
    300_000,
);
