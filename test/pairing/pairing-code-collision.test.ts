/**
 * A new pairing whose code is already taken is retried with a fresh code; that retry hangs on
 * recognising the database's unique violation, which drivers report in different fields (Bun's
 * SQL client: `errno`; PGlite: `code`). Checked on the driver this run uses (PostgreSQL with
 * DATABASE_URL, else PGlite).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { DevicePairingRepository } from "../../src/domain/pairing/repositories/device-pairing-repository";
import {
    type DatabaseHandle,
    isUniqueViolation,
    openDatabase,
} from "../../src/infrastructure/persistence";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
    database = await createTestDatabase();
    handle = await openDatabase(database.config);
    await handle.migrate();
});

afterAll(async () => {
    await handle?.close();
    await database?.drop();
});

const newPairing = (pairingCode: string) => ({
    pairingId: randomUUID(),
    pairingCode,
    originUserAgent: "test",
    originName: "Test desktop",
});

test("a taken pairing code is a unique violation on this run's driver; other errors are not", async () => {
    const pairings = new DevicePairingRepository(handle.db);
    await pairings.insert(newPairing("424242"));
    const collision = await pairings.insert(newPairing("424242")).then(
        () => null,
        (error: unknown) => error,
    );
    expect(collision).not.toBeNull();
    expect(isUniqueViolation(collision)).toBe(true);
    expect(isUniqueViolation(new Error("duplicate key value violates unique constraint"))).toBe(
        false,
    );
    expect(isUniqueViolation(null)).toBe(false);
    // A fresh code goes in: the retry's next attempt.
    expect((await pairings.insert(newPairing("424243"))).pairingCode).toBe("424243");
});
