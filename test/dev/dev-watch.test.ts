/**
 * `npm run dev` as a person uses it: the server under `bun --watch`, a source file saved five
 * times, then stopped. One anvil runs for the data directory during the reloads and none after;
 * the state file is valid JSON; a restart keeps the chain; a second server on the same data
 * directory refuses with a message. Anvils are told apart by their working directory (the data
 * directory), so other anvils on this machine are neither counted nor touched.
 */
import { afterAll, expect, test } from "bun:test";
import {
    existsSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    readlinkSync,
    rmSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { devAnvilFiles, findFreePort } from "../../src/infrastructure/blockchain";
import { eventually } from "../support/eventually";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const root = new URL("../../", import.meta.url).pathname;
const sourceFile = join(root, "src/index.ts");
const dataDir = mkdtempSync(join(tmpdir(), "dev-watch-"));
const files = devAnvilFiles(dataDir);
let database: TestDatabase | undefined;
const started: Subprocess[] = [];

afterAll(async () => {
    for (const child of started) child.kill("SIGKILL");
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
});

/** The anvil processes whose working directory is our data directory. */
function anvilsOfDataDir(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[0] ?? "";
            const state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
            if (!command.endsWith("anvil") || state === "Z") continue;
            if (readlinkSync(`/proc/${entry}/cwd`) === files.dir) pids.push(Number(entry));
        } catch {
            // Gone meanwhile, or not ours to read.
        }
    }
    return pids;
}

type LogLine = { msg: string; [key: string]: unknown };

/** A server process whose JSON log lines are collected as they come. */
function startServer(args: string[], env: Record<string, string>) {
    const child = Bun.spawn([process.execPath, ...args], {
        cwd: root,
        env: { ...process.env, ...env, LOG_FORMAT: "json", LOG_LEVEL: "info" },
        stdout: "pipe",
        stderr: "pipe",
    });
    started.push(child);
    const lines: LogLine[] = [];
    void (async () => {
        let buffered = "";
        for await (const chunk of child.stdout) {
            buffered += new TextDecoder().decode(chunk);
            const parts = buffered.split("\n");
            buffered = parts.pop() ?? "";
            for (const part of parts) {
                try {
                    lines.push(JSON.parse(part) as LogLine);
                } catch {
                    lines.push({ msg: part });
                }
            }
        }
    })();
    const count = (prefix: string) => lines.filter((line) => line.msg.startsWith(prefix)).length;
    return { child, lines, count };
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
    const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    return ((await response.json()) as { result: T }).result;
}

/** The local RPC URL from the `ready` line's `urls`. */
function localRpcOf(lines: LogLine[]): string {
    const ready = lines.find((line) => line.msg.startsWith("ready"));
    const urls = (ready?.urls ?? {}) as Record<string, string>;
    return String(urls["Local RPC"]);
}

const marker = "0x00000000000000000000000000000000000beef1";
const code = "0x60016002";

test("watch reloads keep one anvil, a stop leaves none and a valid state, a restart keeps the chain", async () => {
    // PostgreSQL when the suite runs on it (fast reloads), else PGlite in the data directory.
    database = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
    const env = {
        PORT: String(await findFreePort()),
        DATA_DIR: dataDir,
        DATABASE_URL: database?.config.kind === "postgres" ? database.config.url : "",
        // Without PostgreSQL: PGlite in memory (each reload migrates afresh, which is quicker
        // than on disk); the chain is what this test follows.
        PGLITE_DATA_DIR: database ? "" : "memory://",
    };
    const dev = startServer(["--watch", "src/index.ts"], env);
    await eventually(() => dev.count("ready") === 1, 300_000, 100);
    const rpcUrl = localRpcOf(dev.lines);
    expect(anvilsOfDataDir()).toHaveLength(1);
    const [anvilPid] = anvilsOfDataDir();
    await rpc(rpcUrl, "anvil_setCode", [marker, code]);

    const source = readFileSync(sourceFile);
    for (let reload = 1; reload <= 5; reload++) {
        // Saving the file unchanged is enough for the watcher, and leaves the tree clean.
        writeFileSync(sourceFile, source);
        await eventually(() => dev.count("ready") === reload + 1, 300_000, 100);
        expect(anvilsOfDataDir()).toEqual([anvilPid as number]);
    }
    expect(dev.count("chain: local anvil still running, reused")).toBe(5);
    expect(await rpc(rpcUrl, "eth_getCode", [marker, "latest"])).toBe(code);

    dev.child.kill("SIGINT");
    expect(await dev.child.exited).toBe(0);
    expect(dev.count("stopped")).toBe(1);
    expect(anvilsOfDataDir()).toEqual([]);
    expect(existsSync(files.record)).toBe(false);
    expect(existsSync(join(dataDir, "backend.lock"))).toBe(false);
    const state = JSON.parse(readFileSync(files.state, "utf8")) as {
        accounts: Record<string, unknown>;
    };
    expect(Object.keys(state.accounts).map((a) => a.toLowerCase())).toContain(marker);

    // A plain restart (no watch) comes back on the same chain and deployment.
    const again = startServer(["src/index.ts"], { ...env, PORT: String(await findFreePort()) });
    await eventually(() => again.count("ready") === 1, 300_000, 100);
    expect(again.count("chain: local anvil started from its saved state")).toBe(1);
    expect(again.count("contracts: reused from the deployment file")).toBe(1);
    const againRpc = localRpcOf(again.lines);
    expect(await rpc(againRpc, "eth_getCode", [marker, "latest"])).toBe(code);

    // A second server on the same data directory refuses, and says why, instead of sharing it.
    const second = Bun.spawn([process.execPath, "src/index.ts"], {
        cwd: root,
        env: { ...process.env, ...env, PORT: String(await findFreePort()) },
        stdout: "pipe",
        stderr: "pipe",
    });
    started.push(second);
    expect(await second.exited).toBe(1);
    const refusal = await new Response(second.stderr).text();
    expect(refusal).toContain(`DATA_DIR ${dataDir} is in use by process ${again.child.pid}`);
    expect(anvilsOfDataDir()).toHaveLength(1);

    // So does Drizzle Studio on the same PGlite directory.
    const studio = Bun.spawn([process.execPath, "scripts/db-studio.ts"], {
        cwd: root,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
        stdout: "pipe",
        stderr: "pipe",
    });
    started.push(studio);
    expect(await studio.exited).toBe(1);
    expect(await new Response(studio.stderr).text()).toContain("PGlite has one user at a time");

    again.child.kill("SIGTERM");
    expect(await again.child.exited).toBe(0);
    expect(anvilsOfDataDir()).toEqual([]);
}, 1_200_000);
