/**
 * The development chain's state and lifetime, through the module `npm run dev` uses: state saved
 * atomically with the previous one kept, an unreadable state moved aside and the previous one
 * loaded, a node reused across process images (what a watch reload is), a dead node restarted.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devAnvilFiles, startDevAnvil } from "../../src/infrastructure/blockchain";
import { isProcessAlive } from "../../src/utils/process-liveness";
import { eventually } from "../support/eventually";

const scratch = mkdtempSync(join(tmpdir(), "dev-anvil-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Warning = { fields: Record<string, unknown>; message: string };
function recordingLog() {
    const warnings: Warning[] = [];
    return {
        warnings,
        log: {
            info() {},
            warn: (fields: Record<string, unknown>, message: string) =>
                void warnings.push({ fields, message }),
        },
    };
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
    const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    return ((await response.json()) as { result: T }).result;
}

const marker = "0x00000000000000000000000000000000000dead1";
const code = "0x6001600155";

test("the state is written atomically, the previous one kept, and a restart keeps the chain", async () => {
    const dataDir = join(scratch, "atomic");
    const files = devAnvilFiles(dataDir);
    const { log } = recordingLog();
    const first = await startDevAnvil({ dataDir, log, saveIntervalMs: 60_000 });
    try {
        expect(first.reused).toBe(false);
        await rpc(first.rpcUrl, "anvil_setCode", [marker, code]);
        expect(await first.saveState()).toBe(true);
        // Nothing changed: no rewrite.
        expect(await first.saveState()).toBe(false);
        await rpc(first.rpcUrl, "anvil_mine", ["0x3"]);
        expect(await first.saveState()).toBe(true);
    } finally {
        await first.stop();
    }
    expect(isProcessAlive(first.pid)).toBe(false);
    expect(existsSync(files.record)).toBe(false);
    const current = JSON.parse(readFileSync(files.state, "utf8"));
    const previous = JSON.parse(readFileSync(files.previous, "utf8"));
    expect(Number(current.best_block_number)).toBeGreaterThan(Number(previous.best_block_number));
    expect(readdirSync(dataDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);

    const second = await startDevAnvil({ dataDir, log, saveIntervalMs: 60_000 });
    try {
        expect(second.restoredFrom).toBe(files.state);
        expect(await rpc(second.rpcUrl, "eth_getCode", [marker, "latest"])).toBe(code);
    } finally {
        await second.stop();
    }
}, 60_000);

test("an unreadable state is moved aside with a message and the previous one is loaded", async () => {
    const dataDir = join(scratch, "corrupt");
    const files = devAnvilFiles(dataDir);
    const setup = await startDevAnvil({ dataDir, log: recordingLog().log, saveIntervalMs: 60_000 });
    await rpc(setup.rpcUrl, "anvil_setCode", [marker, code]);
    await setup.saveState();
    await rpc(setup.rpcUrl, "anvil_mine", ["0x1"]);
    await setup.stop(); // saves again: the first save becomes the previous state
    // What three anvils writing one file left behind: trailing characters.
    writeFileSync(files.state, `${readFileSync(files.state, "utf8")}}\n{"accounts`);

    const { log, warnings } = recordingLog();
    const node = await startDevAnvil({ dataDir, log, saveIntervalMs: 60_000 });
    try {
        expect(node.restoredFrom).toBe(files.previous);
        expect(await rpc(node.rpcUrl, "eth_getCode", [marker, "latest"])).toBe(code);
        const moved = warnings.find((w) => w.message.includes("cannot be read"));
        expect(moved?.fields.state).toBe(files.state);
        expect(existsSync(String(moved?.fields.movedTo))).toBe(true);
        expect(warnings.some((w) => w.message.includes("restored from the previous"))).toBe(true);
    } finally {
        await node.stop();
    }

    // Neither readable: a new chain, said so, instead of a node that dies at start.
    writeFileSync(files.state, "{");
    writeFileSync(files.previous, "not json");
    const fresh = recordingLog();
    const newChain = await startDevAnvil({ dataDir, log: fresh.log, saveIntervalMs: 60_000 });
    try {
        expect(newChain.restoredFrom).toBeUndefined();
        expect(await rpc(newChain.rpcUrl, "eth_getCode", [marker, "latest"])).toBe("0x");
        expect(fresh.warnings.some((w) => w.message.includes("starting a new local chain"))).toBe(
            true,
        );
    } finally {
        await newChain.stop();
    }
}, 60_000);

test("a node left running by the previous process image is reused, not duplicated", async () => {
    const dataDir = join(scratch, "reuse");
    const { log } = recordingLog();
    const first = await startDevAnvil({ dataDir, log });
    // A watch reload: the previous image never ran its shutdown; the next one starts again.
    const second = await startDevAnvil({ dataDir, log });
    try {
        expect(second.reused).toBe(true);
        expect(second.pid).toBe(first.pid);
        expect(second.rpcUrl).toBe(first.rpcUrl);
    } finally {
        await second.stop();
    }
    expect(isProcessAlive(first.pid)).toBe(false);
    // The first handle's supervisor does not bring back a node stopped on purpose.
    await Bun.sleep(1_500);
    expect(await rpc(first.rpcUrl, "eth_chainId").catch(() => "down")).toBe("down");
    await first.stop();
}, 60_000);

test("a node that dies is started again on its port from the saved state", async () => {
    const dataDir = join(scratch, "restart");
    const { log, warnings } = recordingLog();
    const node = await startDevAnvil({ dataDir, log, saveIntervalMs: 60_000 });
    try {
        await rpc(node.rpcUrl, "anvil_setCode", [marker, code]);
        await node.saveState();
        const first = node.pid;
        process.kill(first, "SIGKILL");
        await eventually(
            async () =>
                node.pid !== first &&
                (await rpc<string>(node.rpcUrl, "eth_getCode", [marker, "latest"]).catch(
                    () => "",
                )) === code,
            20_000,
            100,
        );
        expect(warnings.some((w) => w.message.includes("restarting it"))).toBe(true);
    } finally {
        await node.stop();
    }
}, 60_000);
