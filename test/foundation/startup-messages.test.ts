import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "../../src/infrastructure/blockchain";
import { formatLogLine } from "../../src/infrastructure/logger";

const root = new URL("../../", import.meta.url).pathname;

test("an unreachable DATABASE_URL is one line naming its host and port", async () => {
    const closedPort = await findFreePort();
    const dataDir = mkdtempSync(join(tmpdir(), "startup-"));
    try {
        const child = Bun.spawn([process.execPath, "src/index.ts"], {
            cwd: root,
            env: {
                PATH: process.env.PATH,
                DATA_DIR: dataDir,
                LOG_FORMAT: "json",
                DATABASE_URL: `postgres://app:secret@127.0.0.1:${closedPort}/wallet`,
            },
            stdout: "pipe",
            stderr: "pipe",
        });
        expect(await child.exited).toBe(1);
        const stderr = (await new Response(child.stderr).text()).trim();
        expect(stderr.split("\n")).toHaveLength(1);
        expect(stderr).toStartWith(`database unreachable at 127.0.0.1:${closedPort}/wallet`);
        expect(stderr).toContain("check DATABASE_URL");
        expect(stderr).not.toContain("secret");
    } finally {
        rmSync(dataDir, { recursive: true, force: true });
    }
}, 60_000);

test("pretty log lines: time, level, message, fields; the start-up URLs on their own lines", () => {
    const time = Date.parse("2026-01-02T03:04:05.678Z");
    expect(
        formatLogLine(
            JSON.stringify({
                level: 30,
                time,
                pid: 1,
                name: "backend",
                msg: "chain: up",
                rpcUrl: "http://127.0.0.1:1",
                n: 2,
            }),
            false,
        ),
    ).toBe("03:04:05.678 INFO  chain: up  rpcUrl=http://127.0.0.1:1 n=2\n");
    expect(
        formatLogLine(
            JSON.stringify({
                level: 30,
                time,
                msg: "ready in 1.0 s\n    API  http://x",
                port: 1,
                urls: {},
            }),
            false,
        ),
    ).toBe("03:04:05.678 INFO  ready in 1.0 s  port=1\n    API  http://x\n");
    const withError = formatLogLine(
        JSON.stringify({
            level: 50,
            time,
            msg: "failed",
            err: { message: "boom", stack: "Error: boom\n    at x" },
        }),
        false,
    );
    expect(withError).toBe(
        '03:04:05.678 ERROR failed  err="boom"\n    Error: boom\n        at x\n',
    );
    expect(formatLogLine("not json", false)).toBe("not json\n");
});
