/**
 * Local chain for dev and tests: spawns the anvil binary of this platform's npm package
 * (@foundry-rs/anvil-<os>-<arch>, an optional dependency) or the `anvil` on PATH, on a free port,
 * and stops it with the process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";

export type AnvilOptions = {
    /** Port to listen on; a free one is picked when omitted. */
    port?: number;
    chainId?: number;
    /** Block time in seconds; automine (one block per transaction) when omitted. */
    blockTime?: number;
    /** Path of the anvil binary; defaults to the one of the npm package. */
    binary?: string;
    /** Max wait for the node to answer, in ms (default 10 000). */
    startTimeoutMs?: number;
    /** Extra command line arguments. */
    args?: string[];
};

export type AnvilInstance = {
    rpcUrl: string;
    chainId: number;
    port: number;
    /** Process id of the node. */
    readonly pid: number | undefined;
    stop: () => Promise<void>;
};

export const ANVIL_DEFAULT_CHAIN_ID = 31337;
/** anvil's first dev account (mnemonic "test test ... junk"), funded with 10 000 ETH. */
export const ANVIL_DEFAULT_PRIVATE_KEY =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as const;

/** The per-platform packages foundry publishes; npm installs the one matching this machine. */
export const ANVIL_PLATFORM_PACKAGES: Record<string, string> = {
    "darwin-arm64": "@foundry-rs/anvil-darwin-arm64",
    "darwin-x64": "@foundry-rs/anvil-darwin-amd64",
    "linux-arm64": "@foundry-rs/anvil-linux-arm64",
    "linux-x64": "@foundry-rs/anvil-linux-amd64",
    "win32-x64": "@foundry-rs/anvil-win32-amd64",
};

export class AnvilNotFoundError extends Error {
    constructor(platform: string) {
        const pkg = ANVIL_PLATFORM_PACKAGES[platform];
        super(
            pkg
                ? `anvil not found: the optional dependency ${pkg} is not installed and no anvil is on PATH (run npm install without --omit=optional, or install foundry: https://getfoundry.sh), or set RPC_URL to a running node`
                : `anvil not found: foundry publishes no npm package for ${platform} and no anvil is on PATH; install foundry (https://getfoundry.sh) or set RPC_URL to a running node`,
        );
        this.name = "AnvilNotFoundError";
    }
}

/**
 * The anvil to run: ANVIL_BINARY when set, then this platform's npm package, then `anvil` on
 * PATH (a foundry installation serves too).
 */
export function anvilBinaryPath(
    env: Record<string, string | undefined> = process.env,
    platform = `${process.platform}-${process.arch}`,
): string {
    if (env.ANVIL_BINARY) {
        if (!existsSync(env.ANVIL_BINARY)) {
            throw new Error(`ANVIL_BINARY points to ${env.ANVIL_BINARY}, which does not exist`);
        }
        return env.ANVIL_BINARY;
    }
    const executable = platform.startsWith("win32") ? "anvil.exe" : "anvil";
    const pkg = ANVIL_PLATFORM_PACKAGES[platform];
    if (pkg) {
        try {
            const require = createRequire(import.meta.url);
            const binary = join(dirname(require.resolve(`${pkg}/package.json`)), "bin", executable);
            if (existsSync(binary)) return binary;
        } catch {
            // Not installed (another platform's lockfile, or --omit=optional): try PATH.
        }
    }
    for (const dir of (env.PATH ?? "").split(delimiter)) {
        if (!dir) continue;
        const candidate = join(dir, executable);
        if (existsSync(candidate)) return candidate;
    }
    throw new AnvilNotFoundError(platform);
}

/** Asks the OS for a free port by binding port 0, then releases it for anvil. */
export function findFreePort(): Promise<number> {
    return new Promise((resolvePort, reject) => {
        const server = createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => resolvePort(port));
        });
    });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kill children synchronously on exit: an orphaned anvil would keep its port forever. */
function installExitHook() {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on("exit", () => {
        for (const child of running) child.kill("SIGKILL");
    });
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => {
            // When the app shuts down gracefully it stops anvil itself (SIGTERM, so anvil can
            // dump its --state file); only without such a handler do we kill it and exit.
            if (process.listenerCount(signal) > 1) return;
            for (const child of running) child.kill("SIGKILL");
            process.exit(signal === "SIGINT" ? 130 : 143);
        });
    }
}

async function answersChainId(rpcUrl: string): Promise<boolean> {
    try {
        const res = await fetch(rpcUrl, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        });
        const body = (await res.json()) as { result?: string };
        return typeof body.result === "string";
    } catch {
        return false;
    }
}

type AnvilProcess = {
    child: ChildProcess;
    exited: Promise<number | null>;
    hasExited: () => boolean;
    stderr: () => string;
    stop: () => Promise<void>;
};

function spawnAnvil(binary: string, args: string[]): AnvilProcess {
    const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    installExitHook();
    running.add(child);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
    });
    let exited = false;
    const exitedPromise = new Promise<number | null>((done) =>
        child.once("exit", (code) => {
            exited = true;
            running.delete(child);
            done(code);
        }),
    );
    return {
        child,
        exited: exitedPromise,
        hasExited: () => exited,
        stderr: () => stderr.trim(),
        stop: async () => {
            if (exited) return;
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
            await exitedPromise;
            clearTimeout(timer);
        },
    };
}

export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilInstance> {
    const chainId = options.chainId ?? ANVIL_DEFAULT_CHAIN_ID;
    const port = options.port ?? (await findFreePort());
    const args = [
        "--port",
        String(port),
        "--host",
        "127.0.0.1",
        "--chain-id",
        String(chainId),
        "--silent",
        ...(options.blockTime ? ["--block-time", String(options.blockTime)] : []),
        ...(options.args ?? []),
    ];
    const binary = options.binary ?? anvilBinaryPath();
    const rpcUrl = `http://127.0.0.1:${port}`;
    const node = spawnAnvil(binary, args);
    const stop = () => node.stop();

    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    while (!(await answersChainId(rpcUrl))) {
        if (node.hasExited()) throw new Error(`anvil exited before answering: ${node.stderr()}`);
        if (Date.now() > deadline) {
            await stop();
            throw new Error(`anvil did not answer on ${rpcUrl}: ${node.stderr()}`);
        }
        await new Promise((r) => setTimeout(r, 25));
    }
    return {
        rpcUrl,
        chainId,
        port,
        get pid() {
            return node.child.pid;
        },
        stop,
    };
}
