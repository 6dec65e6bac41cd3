/** The cleanupPairings job: what expires, what stays, which sockets close. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { toHex } from "viem";
import {
    devicePairingTable,
    pairingSignatureRequestTable,
} from "../../src/domain/pairing/db/schema";
import type { TestApp } from "../support/test-app";
import {
    initiatePairing,
    pairDevices,
    pairingRowOf,
    sampleRequest,
    sampleSignature,
    signatureRequestRowsOf,
    startPairingServer,
} from "./support";

let server: TestApp;

beforeAll(async () => {
    server = await startPairingServer();
});

afterAll(async () => {
    await server?.stop();
});

const initiate = () => initiatePairing(server);
const pairingRow = (pairingId: string) => pairingRowOf(server, pairingId);
const requestRows = (pairingId: string) => signatureRequestRowsOf(server, pairingId);
const db = () => server.infra.database.db;

describe("cleanupPairings job", () => {
    test("deletes expired pairings and requests, closes the expired desktop socket, keeps the rest", async () => {
        const stale = await initiate();
        const fresh = await initiate();
        const idle = await pairDevices(server);
        const active = await pairDevices(server);
        const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
        await db()
            .update(devicePairingTable)
            .set({ createdAt: hoursAgo(1) })
            .where(eq(devicePairingTable.pairingId, stale.pairingId));
        await db()
            .update(devicePairingTable)
            .set({ lastActiveAt: hoursAgo(24 * 8) })
            .where(eq(devicePairingTable.pairingId, idle.pairingId));
        await db()
            .insert(pairingSignatureRequestTable)
            .values([
                {
                    requestId: "old-unsigned",
                    pairingId: active.pairingId,
                    request: sampleRequest,
                    createdAt: hoursAgo(1),
                },
                { requestId: "new-unsigned", pairingId: active.pairingId, request: sampleRequest },
                {
                    requestId: "old-signed",
                    pairingId: active.pairingId,
                    request: sampleRequest,
                    signature: sampleSignature,
                    createdAt: hoursAgo(24 * 9),
                    processedAt: hoursAgo(24 * 8),
                },
                {
                    requestId: "recent-signed",
                    pairingId: active.pairingId,
                    request: sampleRequest,
                    signature: toHex(1n),
                    createdAt: hoursAgo(2),
                    processedAt: hoursAgo(1),
                },
            ]);

        await server.domains.pairing.cleanupJob.runNow();

        expect(await pairingRow(stale.pairingId)).toBeUndefined();
        expect(await pairingRow(idle.pairingId)).toBeUndefined();
        expect(await pairingRow(fresh.pairingId)).toBeDefined();
        expect(await pairingRow(active.pairingId)).toBeDefined();
        expect((await requestRows(active.pairingId)).map((row) => row.requestId).sort()).toEqual([
            "new-unsigned",
            "recent-signed",
        ]);
        expect(await stale.origin.waitClose()).toEqual({ code: 4404, reason: "Pairing expired" });
        expect((await idle.origin.waitClose()).code).toBe(4404);
        expect(fresh.origin.isOpen && active.origin.isOpen).toBe(true);
        for (const socket of [fresh.origin, active.origin, active.target, idle.target])
            socket.close();
    });
});
