import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import {
    pairDevices,
    phoneUserAgent,
    randomWallet,
    sampleRequest,
    sampleSignature,
    TestSocket,
    webauthnToken,
} from "./support";

/**
 * Two instances of the service on one PostgreSQL and one Redis: the desktop is connected to one,
 * the phone to the other. Needs DATABASE_URL (an in-memory PGlite cannot be shared).
 */
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const env = { REDIS_URL: redisUrl, RATE_LIMIT_PAIRING: "100000/60" };

let desktopSide: TestApp;
let phoneSide: TestApp;

describe.skipIf(!process.env.DATABASE_URL)("pairing across two instances through Redis", () => {
    beforeAll(async () => {
        desktopSide = await startTestApp({ env });
        phoneSide = await startTestApp({ env, sameDeploymentAs: desktopSide });
    });

    afterAll(async () => {
        await phoneSide?.stop();
        await desktopSide?.stop();
    });

    test("both instances use Redis pub/sub", () => {
        expect(desktopSide.infra.pubsub.kind).toBe("redis");
        expect(phoneSide.infra.pubsub.kind).toBe("redis");
    });

    test("initiate on one, join on the other: authenticated, ping/pong, request, response, reject", async () => {
        const initiator = await TestSocket.open(desktopSide.url, { action: "initiate" });
        const { pairingId, pairingCode } = (await initiator.next("pairing-initiated")).payload;
        const wallet = randomWallet();
        const phoneToken = await webauthnToken(phoneSide, wallet);
        const target = await TestSocket.open(
            phoneSide.url,
            { action: "join", id: pairingId, pairingCode, wallet: phoneToken },
            phoneUserAgent,
        );
        expect((await initiator.next("partner-connected")).payload.deviceName).toBe(
            "Mobile Safari on iOS",
        );
        const authenticated = await initiator.next("authenticated");
        expect(authenticated.payload.wallet).toMatchObject({ address: wallet, pairingId });
        initiator.close();

        const origin = await TestSocket.open(desktopSide.url, {
            wallet: authenticated.payload.token,
        });
        expect((await target.next("partner-connected")).payload.deviceName).toBe(
            "Chrome on Windows",
        );
        origin.send({ type: "ping" });
        expect((await target.next("ping")).payload).toEqual({ pairingId });
        target.send({ type: "pong", payload: { pairingId } });
        expect((await origin.next("pong")).payload).toEqual({ pairingId });

        origin.send({ type: "signature-request", payload: { id: "r1", request: sampleRequest } });
        expect((await target.next("signature-request")).payload).toMatchObject({
            pairingId,
            id: "r1",
            request: sampleRequest,
            partnerDeviceName: "Chrome on Windows",
        });
        target.send({
            type: "signature-response",
            payload: { pairingId, id: "r1", signature: sampleSignature },
        });
        expect((await origin.next("signature-response")).payload).toEqual({
            pairingId,
            id: "r1",
            signature: sampleSignature,
        });
        origin.send({ type: "signature-request", payload: { id: "r2", request: sampleRequest } });
        await target.next("signature-request");
        target.send({ type: "signature-reject", payload: { pairingId, id: "r2", reason: "no" } });
        expect((await origin.next("signature-reject")).payload).toEqual({
            pairingId,
            id: "r2",
            reason: "no",
        });
        origin.close();
        target.close();
    });

    test("a phone reconnecting to the other instance gets the pending requests", async () => {
        const paired = await pairDevices(desktopSide, phoneSide);
        paired.target.close();
        await paired.target.closed;
        paired.origin.send({
            type: "signature-request",
            payload: { id: "while-away", request: sampleRequest },
        });
        await Bun.sleep(200);
        // Back, but on the desktop's instance this time.
        const phone = await TestSocket.open(desktopSide.url, { wallet: paired.phoneToken });
        expect((await phone.next("signature-request")).payload.id).toBe("while-away");
        phone.send({
            type: "signature-response",
            payload: { pairingId: paired.pairingId, id: "while-away", signature: sampleSignature },
        });
        expect((await paired.origin.next("signature-response")).payload.id).toBe("while-away");
        phone.close();
        paired.origin.close();
    });

    test("deleting on one instance closes the sockets on the other", async () => {
        const paired = await pairDevices(phoneSide, desktopSide);
        const deleted = await phoneSide.request(`/wallet/pairings/${paired.pairingId}/delete`, {
            method: "POST",
            headers: { "x-wallet-auth": paired.phoneToken },
        });
        expect(deleted.status).toBe(200);
        expect(await paired.target.waitClose()).toEqual({ code: 4404, reason: "Pairing deleted" });
        expect(await paired.origin.waitClose()).toEqual({ code: 4404, reason: "Pairing deleted" });
        const listed = await desktopSide.request("/wallet/pairings/list", {
            headers: { "x-wallet-auth": paired.phoneToken },
        });
        expect(await readJson(listed)).toEqual([]);
    });
});
