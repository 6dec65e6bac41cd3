import { readFileSync } from "node:fs";

/**
 * Whether `pid` is a running process. A zombie (exited, not yet reaped: an anvil this process
 * image inherited across a `bun --watch` reload has no handle that would reap it) counts as dead.
 */
export function isProcessAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch (error) {
        // EPERM: it exists but belongs to someone else.
        if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
    }
    const stat = readProc(pid, "stat");
    if (stat === undefined) return true;
    // `pid (comm) S ...`: the state letter follows the last parenthesis.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
}

/** The command line of `pid` where /proc tells it (Linux), else undefined. */
export function processCommandLine(pid: number): string | undefined {
    return readProc(pid, "cmdline")?.split("\0").join(" ").trim();
}

function readProc(pid: number, file: string): string | undefined {
    try {
        return readFileSync(`/proc/${pid}/${file}`, "utf8");
    } catch {
        return undefined;
    }
}
