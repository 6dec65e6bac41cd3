/**
 * The pairing WebSocket protocol: close codes on open, the code attempts, who may send which
 * frame, bad frames, and what a side gets when it reconnects. The HTTP routes are in
 * pairing-routes.test.ts, the cleanup job in pairing-cleanup.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { devicePairingTable } from "../../src/domain/pairing/db/schema";
import type { TestApp } from "../support/test-app";
import {
    initiatePairing,
    pairDevices,
    pairingRowOf,
    phoneUserAgent,
    randomWallet,
    sampleRequest,
    sampleSignature,
    signatureRequestRowsOf,
    startPairingServer,
    TestSocket,
    webauthnToken,
} from "./support";

let server: TestApp;

beforeAll(async () => {
    // Many initiations from one IP: lift the per-IP limit the service applies to them.
    // Parallel guesses open many sockets of one wallet: the socket caps have their own test.
    server = await startPairingServer({ WS_MAX_PER_WALLET: "100" });
});

afterAll(async () => {
    await server?.stop();
});

const db = () => server.infra.database.db;
const pairingRow = (pairingId: string) => pairingRowOf(server, pairingId);
const requestRows = (pairingId: string) => signatureRequestRowsOf(server, pairingId);

async function ecdsaToken(address = randomWallet()): Promise<string> {
    const { token } = await server.infra.tokens.signWallet({
        type: "ecdsa",
        address,
        authenticatorId: `ecdsa-${address}`,
        publicKey: address,
    });
    return token;
}

const initiate = () => initiatePairing(server);

const join = (pairingId: string, pairingCode: string, wallet: string | undefined) =>
    TestSocket.open(
        server.url,
        { action: "join", id: pairingId, pairingCode, wallet },
        phoneUserAgent,
    );

/** A different 6-digit code. */
const wrongCode = (code: string) => String(((Number(code) - 100_000 + 1) % 900_000) + 100_000);

describe("close codes on open", () => {
    test("4401 without action nor valid wallet token, and for join without a token", async () => {
        for (const query of [
            {},
            { wallet: "not-a-jwt" },
            { action: "join", id: "x", pairingCode: "123456" },
            { action: "unknown" },
        ]) {
            const socket = await TestSocket.open(server.url, query);
            expect(await socket.waitClose()).toEqual({
                code: 4401,
                reason: "Missing action or wallet token",
            });
        }
    });

    test("4404 when joining an unknown pairing", async () => {
        const token = await webauthnToken(server, randomWallet());
        const socket = await join("no-such-pairing", "123456", token);
        expect(await socket.waitClose()).toEqual({ code: 4404, reason: "Pairing not found" });
    });

    test("4403 for a wrong code, an already resolved pairing, a non-webauthn wallet", async () => {
        const { origin, pairingId, pairingCode } = await initiate();
        const phone = await webauthnToken(server, randomWallet());

        const wrong = await join(pairingId, wrongCode(pairingCode), phone);
        expect(await wrong.waitClose()).toEqual({ code: 4403, reason: "Invalid pairing code" });

        const ecdsa = await join(pairingId, pairingCode, await ecdsaToken());
        expect(await ecdsa.waitClose()).toEqual({
            code: 4403,
            reason: "Can't resolve non-webauthn wallet",
        });
        expect((await pairingRow(pairingId))?.wallet).toBeNull();

        const target = await join(pairingId, pairingCode, phone);
        await origin.next("authenticated");
        const second = await join(
            pairingId,
            pairingCode,
            await webauthnToken(server, randomWallet()),
        );
        expect(await second.waitClose()).toEqual({
            code: 4403,
            reason: "Pairing already resolved",
        });
        expect(target.isOpen).toBe(true);
        origin.close();
        target.close();
    });

    test("4444 for a phone wallet without any pairing", async () => {
        const socket = await TestSocket.open(server.url, {
            wallet: await webauthnToken(server, randomWallet()),
        });
        expect(await socket.waitClose()).toEqual({
            code: 4444,
            reason: "No connection to connect to",
        });
    });

    test("4404 when the desktop reconnects to a pairing that no longer exists", async () => {
        const paired = await pairDevices(server);
        await db()
            .delete(devicePairingTable)
            .where(eq(devicePairingTable.pairingId, paired.pairingId));
        const origin = await TestSocket.open(server.url, { wallet: paired.distantToken });
        expect(await origin.waitClose()).toEqual({ code: 4404, reason: "Pairing not found" });
        paired.origin.close();
        paired.target.close();
    });

    test("an ecdsa wallet's socket has nothing to listen for: closed 4444 (the client does not retry)", async () => {
        const socket = await TestSocket.open(server.url, { wallet: await ecdsaToken() });
        expect(await socket.waitClose()).toEqual({
            code: 4444,
            reason: "No connection to connect to",
        });
    });
});

describe("five wrong codes invalidate a pairing", () => {
    test("sequential guesses: the fifth wrong code closes the desktop and the right code no longer works", async () => {
        const { origin, pairingId, pairingCode } = await initiate();
        const phone = await webauthnToken(server, randomWallet());
        for (let attempt = 1; attempt <= 5; attempt++) {
            const guess = await join(pairingId, wrongCode(pairingCode), phone);
            expect(await guess.waitClose()).toEqual({ code: 4403, reason: "Invalid pairing code" });
        }
        expect(await origin.waitClose()).toEqual({
            code: 4403,
            reason: "Pairing invalidated after too many invalid codes",
        });
        const right = await join(pairingId, pairingCode, phone);
        expect(await right.waitClose()).toEqual({
            code: 4403,
            reason: "Pairing invalidated after too many invalid codes",
        });
        expect(await pairingRow(pairingId)).toMatchObject({ wallet: null, codeAttempts: 5 });
    });

    test("parallel guesses cannot spend more than five attempts", async () => {
        const { origin, pairingId, pairingCode } = await initiate();
        const phone = await webauthnToken(server, randomWallet());
        const guesses = await Promise.all(
            Array.from({ length: 12 }, () => join(pairingId, wrongCode(pairingCode), phone)),
        );
        const closes = await Promise.all(guesses.map((guess) => guess.waitClose()));
        expect(closes.every((close) => close.code === 4403)).toBe(true);
        expect((await pairingRow(pairingId))?.codeAttempts).toBe(5);
        const right = await join(pairingId, pairingCode, phone);
        expect((await right.waitClose()).code).toBe(4403);
        expect((await origin.waitClose()).code).toBe(4403);
    });
});

describe("who may send what", () => {
    test("ping and signature-request only from the paired desktop (else 4403, nothing written)", async () => {
        const paired = await pairDevices(server);
        paired.target.send({ type: "ping" });
        expect(await paired.target.waitClose()).toEqual({
            code: 4403,
            reason: "Only the paired desktop can send this message",
        });
        const phoneAgain = await TestSocket.open(server.url, { wallet: paired.phoneToken });
        phoneAgain.send({
            type: "signature-request",
            payload: { id: "r", request: sampleRequest },
        });
        expect((await phoneAgain.waitClose()).code).toBe(4403);
        expect(await requestRows(paired.pairingId)).toEqual([]);
        paired.origin.close();
    });

    test("pong, signature-response, signature-reject from a wallet outside the pairing: 4403, nothing written", async () => {
        const paired = await pairDevices(server);
        paired.origin.send({
            type: "signature-request",
            payload: { id: "req", request: sampleRequest },
        });
        await paired.target.next("signature-request");
        const before = await pairingRow(paired.pairingId);

        // Another phone, with its own pairing, names ours.
        const stranger = await pairDevices(server);
        const frames = [
            { type: "pong", payload: { pairingId: paired.pairingId } },
            {
                type: "signature-response",
                payload: { pairingId: paired.pairingId, id: "req", signature: sampleSignature },
            },
            {
                type: "signature-reject",
                payload: { pairingId: paired.pairingId, id: "req", reason: "no" },
            },
        ];
        for (const frame of frames) {
            const socket = await TestSocket.open(server.url, { wallet: stranger.phoneToken });
            await stranger.origin.next("partner-connected");
            socket.send(frame);
            expect(await socket.waitClose()).toEqual({
                code: 4403,
                reason: "Not a member of this pairing",
            });
        }
        // The desktop of the pairing (same address, distant-webauthn) is not the phone either.
        paired.origin.send(frames[1]);
        expect((await paired.origin.waitClose()).code).toBe(4403);
        // An ecdsa session of any wallet neither: it is closed before any frame is handled.
        const ecdsa = await TestSocket.open(server.url, {
            wallet: await ecdsaToken(paired.wallet),
        });
        ecdsa.send(frames[0]);
        expect((await ecdsa.waitClose()).code).toBe(4444);

        const [request] = await requestRows(paired.pairingId);
        expect(request).toMatchObject({ processedAt: null, signature: null, rejectReason: null });
        expect((await pairingRow(paired.pairingId))?.lastActiveAt).toEqual(before!.lastActiveAt);
        expect(await paired.target.receivesNothing("pong", 100)).toBe(true);
        paired.target.close();
        stranger.origin.close();
        stranger.target.close();
    });

    test("frames without a valid wallet token are ignored (the desktop before it reconnects)", async () => {
        const { origin, pairingId } = await initiate();
        origin.send({ type: "ping" });
        origin.send({ type: "signature-request", payload: { id: "r", request: sampleRequest } });
        expect(await origin.receivesNothing("ping")).toBe(true);
        expect(origin.isOpen).toBe(true);
        expect(await requestRows(pairingId)).toEqual([]);
        origin.close();
    });
});

describe("bad frames close with 4422 and write nothing", () => {
    const badFrames: Array<[string, string | Uint8Array, string]> = [
        ["not JSON", "{not json", "Invalid message"],
        ["plain text", "hello", "Invalid message"],
        ["a JSON array", "[1,2]", "Invalid message"],
        ["a number", "42", "Invalid message"],
        ["binary", new Uint8Array([1, 2, 3]), "Invalid message"],
        ["no type", JSON.stringify({ payload: { id: "x" } }), "Invalid message"],
        ["a non-string type", JSON.stringify({ type: 7 }), "Invalid message"],
        ["an unknown type", JSON.stringify({ type: "sign-everything" }), "Unknown message type"],
        [
            "signature-request without request",
            JSON.stringify({ type: "signature-request", payload: { id: "x" } }),
            "Invalid message",
        ],
        [
            "signature-request with odd hex",
            JSON.stringify({ type: "signature-request", payload: { id: "x", request: "0xabc" } }),
            "Invalid message",
        ],
        [
            "signature-request without payload",
            JSON.stringify({ type: "signature-request" }),
            "Invalid message",
        ],
    ];
    for (const [name, frame, reason] of badFrames) {
        test(`from the desktop: ${name}`, async () => {
            const paired = await pairDevices(server);
            const before = await pairingRow(paired.pairingId);
            paired.origin.sendRaw(frame);
            expect(await paired.origin.waitClose()).toEqual({ code: 4422, reason });
            expect(await requestRows(paired.pairingId)).toEqual([]);
            expect((await pairingRow(paired.pairingId))?.lastActiveAt).toEqual(
                before!.lastActiveAt,
            );
            paired.target.close();
        });
    }

    const badPhoneFrames: Array<[string, unknown]> = [
        ["pong without pairingId", { type: "pong", payload: {} }],
        [
            "signature-response without signature",
            { type: "signature-response", payload: { pairingId: "p", id: "req" } },
        ],
        [
            "signature-response with a non-hex signature",
            { type: "signature-response", payload: { pairingId: "p", id: "req", signature: "zz" } },
        ],
        [
            "signature-reject without reason",
            { type: "signature-reject", payload: { pairingId: "p", id: "req" } },
        ],
    ];
    for (const [name, frame] of badPhoneFrames) {
        test(`from the phone: ${name}`, async () => {
            const paired = await pairDevices(server);
            paired.origin.send({
                type: "signature-request",
                payload: { id: "req", request: sampleRequest },
            });
            await paired.target.next("signature-request");
            const withPairing = JSON.parse(
                JSON.stringify(frame).replace('"p"', JSON.stringify(paired.pairingId)),
            );
            const before = await pairingRow(paired.pairingId);
            paired.target.send(withPairing);
            expect(await paired.target.waitClose()).toEqual({
                code: 4422,
                reason: "Invalid message",
            });
            const [request] = await requestRows(paired.pairingId);
            expect(request).toMatchObject({
                processedAt: null,
                signature: null,
                rejectReason: null,
            });
            expect((await pairingRow(paired.pairingId))?.lastActiveAt).toEqual(
                before!.lastActiveAt,
            );
            paired.origin.close();
        });
    }
});

describe("nothing is lost while a side is away", () => {
    test("a reconnecting phone gets every unanswered request again, and only those", async () => {
        const paired = await pairDevices(server);
        paired.target.close();
        await paired.target.closed;
        for (const id of ["a", "b", "c"]) {
            paired.origin.send({
                type: "signature-request",
                payload: { id, request: sampleRequest, context: { n: id } },
            });
        }
        // Wait for the three rows (the phone is offline, nothing else tells us).
        for (let i = 0; i < 50 && (await requestRows(paired.pairingId)).length < 3; i++)
            await Bun.sleep(20);

        const phone = await TestSocket.open(
            server.url,
            { wallet: paired.phoneToken },
            phoneUserAgent,
        );
        const replayed = [
            await phone.next("signature-request"),
            await phone.next("signature-request"),
            await phone.next("signature-request"),
        ];
        expect(
            replayed.map((m) => [m.payload.id, m.payload.context, m.payload.partnerDeviceName]),
        ).toEqual([
            ["a", { n: "a" }, "Chrome on Windows"],
            ["b", { n: "b" }, "Chrome on Windows"],
            ["c", { n: "c" }, "Chrome on Windows"],
        ]);
        expect((await paired.origin.next("partner-connected")).payload.deviceName).toBe(
            "Mobile Safari on iOS",
        );
        phone.send({
            type: "signature-response",
            payload: { pairingId: paired.pairingId, id: "a", signature: sampleSignature },
        });
        phone.send({
            type: "signature-reject",
            payload: { pairingId: paired.pairingId, id: "b", reason: "no" },
        });
        await paired.origin.next("signature-reject");
        phone.close();
        await phone.closed;

        const again = await TestSocket.open(
            server.url,
            { wallet: paired.phoneToken },
            phoneUserAgent,
        );
        expect((await again.next("signature-request")).payload.id).toBe("c");
        expect(await again.receivesNothing("signature-request")).toBe(true);
        again.close();
        paired.origin.close();
    });

    test("answers given while the desktop is away reach it when it reconnects, once", async () => {
        const paired = await pairDevices(server);
        paired.origin.send({
            type: "signature-request",
            payload: { id: "x", request: sampleRequest },
        });
        paired.origin.send({
            type: "signature-request",
            payload: { id: "y", request: sampleRequest },
        });
        await paired.target.next("signature-request");
        await paired.target.next("signature-request");
        paired.origin.close();
        await paired.origin.closed;

        paired.target.send({
            type: "signature-response",
            payload: { pairingId: paired.pairingId, id: "x", signature: sampleSignature },
        });
        paired.target.send({
            type: "signature-reject",
            payload: { pairingId: paired.pairingId, id: "y", reason: "later" },
        });
        for (let i = 0; i < 50; i++) {
            const rows = await requestRows(paired.pairingId);
            if (rows.every((row) => row.processedAt)) break;
            await Bun.sleep(20);
        }

        const desktop = await TestSocket.open(server.url, { wallet: paired.distantToken });
        expect((await desktop.next("signature-response")).payload).toEqual({
            pairingId: paired.pairingId,
            id: "x",
            signature: sampleSignature,
        });
        expect((await desktop.next("signature-reject")).payload).toEqual({
            pairingId: paired.pairingId,
            id: "y",
            reason: "later",
        });
        desktop.close();
        await desktop.closed;
        for (let i = 0; i < 50; i++) {
            const rows = await requestRows(paired.pairingId);
            if (rows.every((row) => row.deliveredAt)) break;
            await Bun.sleep(20);
        }
        const third = await TestSocket.open(server.url, { wallet: paired.distantToken });
        expect(await third.receivesNothing("signature-response")).toBe(true);
        third.close();
        paired.target.close();
    });
});
