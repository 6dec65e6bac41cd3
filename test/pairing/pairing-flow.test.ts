import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import webpush from "web-push";
import { pairingSignatureRequestTable } from "../../src/domain/pairing/db/schema";
import { startTestPushService, type TestPushService } from "../notifications/push-service";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import {
    phonePublicKey,
    phoneUserAgent,
    randomWallet,
    sampleRequest,
    sampleSignature,
    TestSocket,
    webauthnToken,
} from "./support";

let server: TestApp;
let push: TestPushService;

beforeAll(async () => {
    const vapid = webpush.generateVAPIDKeys();
    server = await startTestApp({
        env: {
            VAPID_PUBLIC_KEY: vapid.publicKey,
            // The local push service listens on loopback: exempt it from the public-address rule.
            PUSH_ENDPOINT_ALLOWLIST: "127.0.0.1",
            VAPID_PRIVATE_KEY: vapid.privateKey,
            RATE_LIMIT_PAIRING: "100000/60",
        },
    });
    push = startTestPushService({ vapidPublicKey: vapid.publicKey });
});

afterAll(async () => {
    push?.stop();
    await server?.stop();
});

const requestsOf = (pairingId: string) =>
    server.infra.database.db
        .select()
        .from(pairingSignatureRequestTable)
        .where(eq(pairingSignatureRequestTable.pairingId, pairingId));

describe("WS /wallet/pairings/ws: the whole flow", () => {
    test("initiate, join, authenticated, ping/pong, signature request, response and reject", async () => {
        const wallet = randomWallet();
        const phoneToken = await webauthnToken(server, wallet);
        const subscription = push.subscriber();
        const registered = await server.request("/wallet/notifications/tokens", {
            method: "PUT",
            headers: { "content-type": "application/json", "x-wallet-auth": phoneToken },
            body: JSON.stringify({ subscription }),
        });
        expect(registered.status).toBe(200);

        // The desktop opens a pairing and shows its id and code.
        const initiator = await TestSocket.open(server.url, { action: "initiate" });
        const initiated = await initiator.next("pairing-initiated");
        expect(initiated.payload.pairingId).toMatch(/^[0-9a-f-]{36}$/);
        expect(initiated.payload.pairingCode).toMatch(/^[1-9][0-9]{5}$/);
        const { pairingId, pairingCode } = initiated.payload;

        const found = await server.request(`/wallet/pairings/find/${pairingId}`);
        expect(found.status).toBe(200);
        const info = await readJson(found);
        expect(info).toEqual({
            id: pairingId,
            originName: "Chrome on Windows",
            createdAt: expect.any(String),
        });
        expect(new Date(info.createdAt).toISOString()).toBe(info.createdAt);

        // The phone joins with the code: the desktop learns it and receives its sessions.
        const target = await TestSocket.open(
            server.url,
            { action: "join", id: pairingId, pairingCode, wallet: phoneToken },
            phoneUserAgent,
        );
        const partner = await initiator.next("partner-connected");
        expect(partner.payload).toEqual({ pairingId, deviceName: "Mobile Safari on iOS" });
        const authenticated = await initiator.next("authenticated");
        const { token, sdkJwt, wallet: distantWallet } = authenticated.payload;
        expect(distantWallet).toEqual({
            type: "distant-webauthn",
            address: wallet,
            authenticatorId: `cred-${wallet}`,
            publicKey: phonePublicKey,
            pairingId,
        });
        const session = await server.infra.tokens.verifyWallet(token);
        expect(session).toMatchObject({ type: "distant-webauthn", address: wallet, pairingId });
        expect(sdkJwt.expires).toBeGreaterThan(Date.now());
        expect(await server.infra.tokens.verifySdk(sdkJwt.token)).toMatchObject({
            address: wallet,
        });
        initiator.close();

        // The desktop reconnects with its distant-webauthn JWT; the phone is told.
        const origin = await TestSocket.open(server.url, { wallet: token });
        expect((await target.next("partner-connected")).payload).toEqual({
            pairingId,
            deviceName: "Chrome on Windows",
        });

        origin.send({ type: "ping" });
        expect((await target.next("ping")).payload).toEqual({ pairingId });
        target.send({ type: "pong", payload: { pairingId } });
        expect((await origin.next("pong")).payload).toEqual({ pairingId });

        // A signature request reaches the phone (and wakes it with a Web Push).
        const context = { origin: "https://shop.example", operation: "login" };
        origin.send({
            type: "signature-request",
            payload: { id: "req-1", request: sampleRequest, context },
        });
        expect((await target.next("signature-request")).payload).toEqual({
            pairingId,
            id: "req-1",
            request: sampleRequest,
            context,
            partnerDeviceName: "Chrome on Windows",
        });
        for (let i = 0; i < 50 && push.deliveries.length === 0; i++) await Bun.sleep(20);
        expect(push.deliveries.map((d) => [d.endpoint, d.payload.title, d.payload.body])).toEqual([
            [
                subscription.endpoint,
                "Signature request",
                "A biometric signature is requested from your desktop device",
            ],
        ]);

        target.send({
            type: "signature-response",
            payload: { pairingId, id: "req-1", signature: sampleSignature },
        });
        expect((await origin.next("signature-response")).payload).toEqual({
            pairingId,
            id: "req-1",
            signature: sampleSignature,
        });

        origin.send({
            type: "signature-request",
            payload: { id: "req-2", request: sampleRequest },
        });
        expect((await target.next("signature-request")).payload.id).toBe("req-2");
        target.send({
            type: "signature-reject",
            payload: { pairingId, id: "req-2", reason: "User cancelled" },
        });
        expect((await origin.next("signature-reject")).payload).toEqual({
            pairingId,
            id: "req-2",
            reason: "User cancelled",
        });

        const rows = await requestsOf(pairingId);
        const byId = new Map(rows.map((row) => [row.requestId, row]));
        expect(byId.get("req-1")).toMatchObject({
            signature: sampleSignature,
            request: sampleRequest,
            context,
        });
        expect(byId.get("req-1")?.processedAt).toBeInstanceOf(Date);
        expect(byId.get("req-2")).toMatchObject({
            signature: null,
            rejectReason: "User cancelled",
        });

        const listed = await server.request("/wallet/pairings/list", {
            headers: { "x-wallet-auth": phoneToken },
        });
        expect(listed.status).toBe(200);
        expect(await readJson(listed)).toEqual([
            {
                pairingId,
                originName: "Chrome on Windows",
                targetName: "Mobile Safari on iOS",
                createdAt: info.createdAt,
                lastActiveAt: expect.any(String),
            },
        ]);
        expect(origin.isOpen && target.isOpen).toBe(true);
        origin.close();
        target.close();
    });
});
