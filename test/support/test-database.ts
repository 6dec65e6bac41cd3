import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { DatabaseConfig } from "../../src/infrastructure/config";

export type TestDatabase = { config: DatabaseConfig; drop(): Promise<void> };

/**
 * An isolated, empty database for one test file: a fresh in-memory PGlite by default, or a new
 * database created on the server of `DATABASE_URL` (and dropped afterwards), so test files never
 * share state and may run in parallel.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
        return { config: { kind: "pglite", dataDir: undefined }, drop: async () => {} };
    }
    const name = `test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
        await admin.unsafe(`create database "${name}"`);
    } finally {
        await admin.end();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
        config: { kind: "postgres", url: url.toString(), poolSize: 10 },
        async drop() {
            const cleaner = postgres(serverUrl, { max: 1, onnotice: () => {} });
            try {
                await cleaner.unsafe(`drop database if exists "${name}" with (force)`);
            } finally {
                await cleaner.end();
            }
        },
    };
}
