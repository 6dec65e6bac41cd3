/**
 * `npm run db:studio`: Drizzle Studio on the service's database. On PGlite (no DATABASE_URL) it
 * takes the data directory's lock first: PGlite is single-process, and Studio opened next to a
 * running server would show stale data (and the server would refuse to start next to Studio).
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { loadConfig } from "../src/infrastructure/config";
import { acquireDataDirLock, DataDirInUseError } from "../src/infrastructure/data-dir";

const config = loadConfig(process.env);
let lock: ReturnType<typeof acquireDataDirLock> | undefined;
if (config.database.kind === "pglite") {
    try {
        lock = acquireDataDirLock(config.dataDir, "npm run db:studio");
    } catch (error) {
        if (!(error instanceof DataDirInUseError)) throw error;
        console.error(
            `${error.message}\nPGlite has one user at a time: stop the server, or run both on PostgreSQL (DATABASE_URL).`,
        );
        process.exit(1);
    }
}
process.on("exit", () => lock?.release());
const drizzleKit = new URL("../node_modules/.bin/drizzle-kit", import.meta.url).pathname;
const env = { ...process.env };
if (config.database.kind === "pglite" && config.database.dataDir) {
    mkdirSync(config.database.dataDir, { recursive: true });
    env.PGLITE_DATA_DIR = config.database.dataDir;
}
const studio = spawn(drizzleKit, ["studio", ...process.argv.slice(2)], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => studio.kill(signal));
}
studio.on("exit", (code) => {
    lock?.release();
    process.exit(code ?? 0);
});
