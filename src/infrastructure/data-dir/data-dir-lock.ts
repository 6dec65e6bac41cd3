import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { isProcessAlive, processCommandLine } from "../../utils/process-liveness";

/**
 * One process at a time on a data directory: PGlite and the local anvil's state are single-writer
 * files, and a second server (or Drizzle Studio on the same PGlite directory) would silently read
 * stale data or corrupt them. The lock is a file holding the owner's pid; a `bun --watch` reload
 * keeps the pid, so the reloaded image takes its own lock back; a dead owner's lock is taken over.
 */
export type DataDirLock = { path: string; release(): void };

type LockRecord = { pid: number; command: string; since: string };

export class DataDirInUseError extends Error {
    constructor(
        readonly dataDir: string,
        readonly owner: LockRecord,
    ) {
        super(
            `DATA_DIR ${dataDir} is in use by process ${owner.pid} (${owner.command}, since ${owner.since}): stop it first, or give this process another DATA_DIR`,
        );
        this.name = "DataDirInUseError";
    }
}

export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, "backend.lock");
    const record: LockRecord = { pid: process.pid, command, since: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
        try {
            // `wx`: create or fail, atomically, so two starting processes cannot both win.
            const fd = openSync(path, "wx");
            writeSync(fd, JSON.stringify(record));
            closeSync(fd);
            return lockAt(path);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
        const owner = readRecord(path);
        if (owner && owner.pid === process.pid) return lockAt(path);
        if (owner && isProcessAlive(owner.pid) && looksLikeOwner(owner.pid)) {
            throw new DataDirInUseError(resolve(dataDir), owner);
        }
        // Stale (its owner is gone) or unreadable: remove it and try again.
        rmSync(path, { force: true });
    }
    throw new Error(`could not lock ${path}`);
}

function lockAt(path: string): DataDirLock {
    return {
        path,
        release() {
            if (readRecord(path)?.pid === process.pid) rmSync(path, { force: true });
        },
    };
}

function readRecord(path: string): LockRecord | undefined {
    try {
        const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockRecord>;
        if (typeof parsed.pid !== "number") return undefined;
        return {
            pid: parsed.pid,
            command: String(parsed.command ?? "?"),
            since: String(parsed.since ?? "?"),
        };
    } catch {
        return undefined;
    }
}

/** A pid reused by an unrelated program (after a reboot) does not hold our lock. */
function looksLikeOwner(pid: number): boolean {
    const commandLine = processCommandLine(pid);
    return commandLine === undefined || /bun|node|drizzle/.test(commandLine);
}
