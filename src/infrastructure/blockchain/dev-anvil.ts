/**
 * The development chain: one anvil per data directory, whatever `bun --watch` reloads happen.
 *
 * A reload re-executes the process image without running its asynchronous shutdown, so an
 * anvil tied to the process would be left behind on every reload (and several would write the
 * same state file). Instead the node runs detached, is recorded in `<dataDir>/anvil.json`
 * (pid, port) and the next image reuses it; only a real stop (SIGINT/SIGTERM that completes the
 * graceful shutdown, or the process exiting) stops it. Its state is ours to write: dumped over
 * RPC every few seconds and on stop, written to a temporary file and renamed over
 * `anvil-state.json`, the previous one kept as `anvil-state.previous.json`. A state file that
 * cannot be read is moved aside with a message and the previous one is loaded instead.
 */
import { spawn } from "node:child_process";
import {
    closeSync,
    existsSync,
    fsyncSync,
    mkdirSync,
    openSync,
    readFileSync,
    renameSync,
    rmSync,
    writeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { isProcessAlive, processCommandLine } from "../../utils/process-liveness";
import { ANVIL_DEFAULT_CHAIN_ID, type AnvilInstance, anvilBinaryPath, findFreePort } from "./anvil";

export type DevAnvilLog = {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
};

export type DevAnvilOptions = {
    dataDir: string;
    log: DevAnvilLog;
    chainId?: number;
    binary?: string;
    /** How often the state is saved (default 5 s); it is also saved on stop. */
    saveIntervalMs?: number;
    startTimeoutMs?: number;
};

export type DevAnvil = AnvilInstance & {
    pid: number;
    /** True when a node left by the previous process image (a reload) was taken over. */
    reused: boolean;
    /** The state file the node was started from, if any. */
    restoredFrom: string | undefined;
    /** Dumps the chain into the state file (atomically); false when nothing changed. */
    saveState(): Promise<boolean>;
};

type NodeRecord = { pid: number; port: number; chainId: number; startedAt: string };

export function devAnvilFiles(dataDir: string) {
    const dir = resolve(dataDir);
    return {
        dir,
        record: join(dir, "anvil.json"),
        state: join(dir, "anvil-state.json"),
        previous: join(dir, "anvil-state.previous.json"),
        log: join(dir, "anvil.log"),
    };
}

export async function startDevAnvil(options: DevAnvilOptions): Promise<DevAnvil> {
    const files = devAnvilFiles(options.dataDir);
    mkdirSync(files.dir, { recursive: true });
    const chainId = options.chainId ?? ANVIL_DEFAULT_CHAIN_ID;
    const startTimeoutMs = options.startTimeoutMs ?? 15_000;

    let node = await reusableNode(files.record, chainId);
    const reused = node !== undefined;
    let restoredFrom: string | undefined;
    if (!node) {
        const started = await startFromBestState(
            files,
            chainId,
            undefined,
            options,
            startTimeoutMs,
        );
        node = started.node;
        restoredFrom = started.restoredFrom;
    }
    const rpcUrl = `http://127.0.0.1:${node.port}`;

    let stopping = false;
    let lastSaved: string | undefined;
    let saving: Promise<boolean> = Promise.resolve(false);
    const saveState = () => {
        saving = saving.then(async () => {
            const dump = await rpc<string>(rpcUrl, "anvil_dumpState");
            if (dump === lastSaved) return false;
            writeStateAtomically(files, gunzipSync(Buffer.from(dump.slice(2), "hex")));
            lastSaved = dump;
            return true;
        });
        return saving;
    };
    const saveQuietly = () =>
        saveState().catch((error: Error) => {
            if (!stopping) options.log.warn({ error: error.message }, "could not save anvil state");
            return false;
        });

    const saveTimer = setInterval(() => void saveQuietly(), options.saveIntervalMs ?? 5_000);
    saveTimer.unref();
    // A node that dies (killed, crashed) is started again on the same port from the saved state.
    let restarting = false;
    const superviseTimer = setInterval(async () => {
        if (stopping || restarting || !node || isProcessAlive(node.pid)) return;
        // Stopped on purpose by whoever took it over (its record is gone or names another
        // node): not ours to bring back.
        if (readJson<NodeRecord>(files.record)?.pid !== node.pid) return;
        restarting = true;
        options.log.warn(
            { anvilPid: node.pid },
            "local anvil exited, restarting it from its saved state",
        );
        try {
            const started = await startFromBestState(
                files,
                chainId,
                node.port,
                options,
                startTimeoutMs,
            );
            node = started.node;
        } catch (error) {
            options.log.warn({ error: (error as Error).message }, "could not restart local anvil");
        } finally {
            restarting = false;
        }
    }, 500);
    superviseTimer.unref();

    // A process that ends without its graceful shutdown (an uncaught error) does not leave the
    // node behind. A watch reload does not emit "exit", so the node survives it as intended.
    const onExit = () => {
        if (!stopping && node) killQuietly(node.pid, "SIGTERM");
        removeRecordOf(files.record, node?.pid);
    };
    process.on("exit", onExit);

    const stop = async () => {
        if (stopping) return;
        stopping = true;
        clearInterval(saveTimer);
        clearInterval(superviseTimer);
        process.off("exit", onExit);
        await saveQuietly();
        const pid = node?.pid;
        if (pid !== undefined) await terminate(pid);
        removeRecordOf(files.record, pid);
    };

    return {
        rpcUrl,
        chainId,
        port: node.port,
        get pid() {
            return node?.pid ?? 0;
        },
        reused,
        restoredFrom,
        saveState,
        stop,
    };
}

/** The node the previous image of this process (or a killed one) left running, if usable. */
async function reusableNode(recordPath: string, chainId: number): Promise<NodeRecord | undefined> {
    const record = readJson<NodeRecord>(recordPath);
    if (!record || typeof record.pid !== "number" || typeof record.port !== "number") {
        return undefined;
    }
    if (!isProcessAlive(record.pid) || !looksLikeAnvil(record.pid)) return undefined;
    const rpcUrl = `http://127.0.0.1:${record.port}`;
    // It may still be starting (or stopping): give it a moment before deciding.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && isProcessAlive(record.pid)) {
        const answered = await rpc<string>(rpcUrl, "eth_chainId").catch(() => undefined);
        if (answered !== undefined) {
            if (Number(answered) === chainId && record.chainId === chainId) return record;
            break;
        }
        await Bun.sleep(100);
    }
    // Ours (recorded in this data dir) but unusable: stop it so only one node runs.
    await terminate(record.pid);
    return undefined;
}

/** Starts a node from the newest readable state; unreadable states are moved aside. */
async function startFromBestState(
    files: ReturnType<typeof devAnvilFiles>,
    chainId: number,
    port: number | undefined,
    options: DevAnvilOptions,
    startTimeoutMs: number,
): Promise<{ node: NodeRecord; restoredFrom: string | undefined }> {
    let setAside = 0;
    for (const candidate of [files.state, files.previous, undefined]) {
        if (candidate && !existsSync(candidate)) continue;
        if (candidate) {
            const problem = unreadableStateReason(candidate);
            if (problem) {
                quarantine(candidate, problem, options.log);
                setAside++;
                continue;
            }
        }
        const nodePort = port ?? (await findFreePort());
        try {
            const node = await spawnDetached(
                files,
                chainId,
                nodePort,
                candidate,
                options,
                startTimeoutMs,
            );
            if (candidate === files.previous) {
                options.log.warn(
                    { state: candidate },
                    "local chain restored from the previous anvil state",
                );
            }
            if (!candidate && setAside > 0) {
                options.log.warn({}, "no anvil state could be loaded: starting a new local chain");
            }
            return { node, restoredFrom: candidate };
        } catch (error) {
            // anvil itself refused the state (e.g. written by another anvil version).
            if (!candidate) throw error;
            quarantine(candidate, (error as Error).message, options.log);
            setAside++;
        }
    }
    throw new Error("unreachable");
}

async function spawnDetached(
    files: ReturnType<typeof devAnvilFiles>,
    chainId: number,
    port: number,
    state: string | undefined,
    options: DevAnvilOptions,
    startTimeoutMs: number,
): Promise<NodeRecord> {
    const args = ["--port", String(port), "--host", "127.0.0.1", "--chain-id", String(chainId)];
    args.push("--silent", ...(state ? ["--load-state", state] : []));
    const logFd = openSync(files.log, "w");
    // detached: its own process group, so a Ctrl-C in the terminal reaches only our process,
    // whose graceful shutdown saves the state before stopping the node. cwd: the data dir, so
    // the node can be told apart from other anvils (`/proc/<pid>/cwd`).
    const child = spawn(options.binary ?? anvilBinaryPath(), args, {
        cwd: files.dir,
        detached: true,
        stdio: ["ignore", logFd, logFd],
    });
    closeSync(logFd);
    child.unref();
    let exited = false;
    child.once("exit", () => {
        exited = true;
    });
    const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
    spawnError.catch(() => {});
    const pid = child.pid;
    if (pid === undefined) await spawnError;
    const record: NodeRecord = {
        pid: pid as number,
        port,
        chainId,
        startedAt: new Date().toISOString(),
    };
    writeFileAtomically(files.record, JSON.stringify(record));
    const rpcUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + startTimeoutMs;
    while ((await rpc<string>(rpcUrl, "eth_chainId").catch(() => undefined)) === undefined) {
        if (exited || Date.now() > deadline) {
            await terminate(record.pid);
            removeRecordOf(files.record, record.pid);
            const output = readFileSync(files.log, "utf8").trim().slice(-1000);
            throw new Error(
                `anvil ${exited ? "exited" : "did not answer"} on ${rpcUrl}: ${output}`,
            );
        }
        await Bun.sleep(25);
    }
    return record;
}

/** Why a state file cannot be loaded, or undefined when it parses as anvil state. */
function unreadableStateReason(path: string): string | undefined {
    try {
        const parsed = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
        if (typeof parsed !== "object" || parsed === null || !("accounts" in parsed)) {
            return "not an anvil state (no accounts)";
        }
        return undefined;
    } catch (error) {
        return (error as Error).message;
    }
}

function quarantine(path: string, reason: string, log: DevAnvilLog): void {
    const aside = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(path, aside);
    log.warn(
        { state: path, movedTo: aside, reason: reason.slice(0, 300) },
        "anvil state cannot be read: moved aside, trying the previous one",
    );
}

/** temp file + fsync + rename: a reader sees the old file or the new one, never half of one. */
function writeStateAtomically(files: ReturnType<typeof devAnvilFiles>, content: Buffer): void {
    const temporary = `${files.state}.tmp`;
    writeDurably(temporary, content);
    if (existsSync(files.state)) renameSync(files.state, files.previous);
    renameSync(temporary, files.state);
}

function writeFileAtomically(path: string, content: string): void {
    const temporary = `${path}.tmp`;
    writeDurably(temporary, Buffer.from(content));
    renameSync(temporary, path);
}

function writeDurably(path: string, content: Buffer): void {
    const fd = openSync(path, "w");
    try {
        writeSync(fd, content);
        fsyncSync(fd);
    } finally {
        closeSync(fd);
    }
}

function removeRecordOf(recordPath: string, pid: number | undefined): void {
    if (pid !== undefined && readJson<NodeRecord>(recordPath)?.pid === pid) {
        rmSync(recordPath, { force: true });
    }
}

function looksLikeAnvil(pid: number): boolean {
    const commandLine = processCommandLine(pid);
    return commandLine === undefined || commandLine.includes("anvil");
}

async function terminate(pid: number): Promise<void> {
    killQuietly(pid, "SIGTERM");
    const deadline = Date.now() + 3_000;
    while (isProcessAlive(pid)) {
        if (Date.now() > deadline) {
            killQuietly(pid, "SIGKILL");
            break;
        }
        await Bun.sleep(25);
    }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(pid, signal);
    } catch {}
}

function readJson<T>(path: string): T | undefined {
    try {
        return JSON.parse(readFileSync(path, "utf8")) as T;
    } catch {
        return undefined;
    }
}

async function rpc<T>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
    const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error || body.result === undefined) {
        throw new Error(`${method}: ${body.error?.message ?? "no result"}`);
    }
    return body.result;
}
