/**
 * Pairing sockets are bounded: per wallet and per client address (each socket holds one of the
 * instance's file descriptors), a session with nothing to listen for is closed, and a peer that
 * answers neither data nor pings is timed out.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually } from "../support/eventually";
import { startTestApp, type TestApp } from "../support/test-app";
import { randomWallet, webauthnToken } from "./support";

let server: TestApp;
const IDLE_SECONDS = 4;

beforeAll(async () => {
    server = await startTestApp({
        env: {
            TRUSTED_PROXY_HOPS: "1",
            RATE_LIMIT_PAIRING: "0/60",
            WS_MAX_PER_WALLET: "3",
            WS_MAX_PER_IP: "5",
            WS_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
        },
    });
}, 120_000);
afterAll(() => server?.stop());

type Opened = {
    ws: WebSocket;
    closed: Promise<{ code: number; reason: string }>;
    messages: unknown[];
};

/** Opens a socket as a client behind our proxy at `ip`; rejects when it never opens. */
function open(query: Record<string, string>, ip: string): Promise<Opened> {
    const url = `${server.url.replace(/^http/, "ws")}/wallet/pairings/ws?${new URLSearchParams(query)}`;
    const ws = new WebSocket(url, { headers: { "x-forwarded-for": ip } } as never);
    const messages: unknown[] = [];
    ws.onmessage = (event) => messages.push(JSON.parse(String(event.data)));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
        ws.addEventListener("close", (event) =>
            resolve({ code: event.code, reason: event.reason }),
        );
    });
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("not opened in time")), 10_000);
        ws.onopen = () => {
            clearTimeout(timer);
            resolve({ ws, closed, messages });
        };
        ws.onerror = () => {
            clearTimeout(timer);
            reject(new Error("not opened"));
        };
    });
}

/** A bounded wait that fails with what was awaited, instead of the test's whole timeout. */
const within = <T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> =>
    Promise.race([
        promise,
        Bun.sleep(ms).then(() => {
            throw new Error(`${what}: not within ${ms} ms`);
        }),
    ]);

const nextMessage = async (socket: Opened, count: number) => {
    const deadline = Date.now() + 5_000;
    while (socket.messages.length < count && Date.now() < deadline) await Bun.sleep(20);
    return socket.messages[count - 1] as { type: string; payload: Record<string, string> };
};

describe("pairing socket bounds", () => {
    test("one wallet holds at most WS_MAX_PER_WALLET sockets: the next is closed 4429", async () => {
        const desktop = await open({ action: "initiate" }, "198.51.100.1");
        const { pairingId, pairingCode } = (await nextMessage(desktop, 1)).payload;
        const phone = await webauthnToken(server, randomWallet());
        const joined = await open(
            { action: "join", id: pairingId!, pairingCode: pairingCode!, wallet: phone },
            "198.51.100.2",
        );
        // Paired once the desktop is told so; then the phone's other sockets have a pairing
        // (before that they would be closed 4444 and free their places).
        const received = (type: string) =>
            desktop.messages.filter((m) => (m as { type: string }).type === type).length;
        await eventually(() => received("authenticated") === 1, 20_000);
        const more = [
            await open({ wallet: phone }, "198.51.100.3"),
            await open({ wallet: phone }, "198.51.100.4"),
        ];
        // Both hold their place once the server has served them (partner-connected reaches the
        // desktop for each), so the next one is the fourth whatever the machine's speed.
        await eventually(() => received("partner-connected") >= 3, 20_000);
        const over = await open({ wallet: phone }, "198.51.100.5");
        expect(await within(over.closed, "the fourth socket closed")).toEqual({
            code: 4429,
            reason: "Too many sockets for this wallet",
        });
        // The three in use stay open; closing one frees a place.
        await Bun.sleep(100);
        for (const socket of [joined, ...more]) expect(socket.ws.readyState).toBe(WebSocket.OPEN);
        more[0]!.ws.close();
        await within(more[0]!.closed, "a closed socket's close event");
        const again = await open({ wallet: phone }, "198.51.100.6");
        await Bun.sleep(200);
        expect(again.ws.readyState).toBe(WebSocket.OPEN);
        for (const socket of [desktop, joined, more[1]!, again]) socket.ws.close();
    });

    test("one address holds at most WS_MAX_PER_IP sockets: refused with 429 before any upgrade", async () => {
        const ip = "203.0.113.77";
        const sockets = await Promise.all(
            Array.from({ length: 5 }, () => open({ action: "initiate" }, ip)),
        );
        await expect(open({ action: "initiate" }, ip)).rejects.toThrow("not opened");
        // The refusal is a plain HTTP answer: no socket, no file descriptor kept.
        const refused = await server.request("/wallet/pairings/ws?action=initiate", {
            headers: {
                connection: "Upgrade",
                upgrade: "websocket",
                "sec-websocket-version": "13",
                "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
                "x-forwarded-for": ip,
                accept: "application/json",
            },
        });
        expect(refused.status).toBe(429);
        expect(await refused.json()).toMatchObject({ error: "too_many_sockets" });
        // Another address is not affected; closing one frees a place.
        (await open({ action: "initiate" }, "203.0.113.78")).ws.close();
        sockets[0]!.ws.close();
        await sockets[0]!.closed;
        const again = await open({ action: "initiate" }, ip);
        for (const socket of [...sockets.slice(1), again]) socket.ws.close();
    });

    test("a peer that answers no ping is closed; a live client that does stays open", async () => {
        const live = await open({ action: "initiate" }, "192.0.2.20");
        const startedAt = performance.now();
        const port = Number(new URL(server.url).port);
        let rawClosedAt = 0;
        // A raw TCP client: completes the WebSocket handshake, then never answers anything.
        const raw = await Bun.connect({
            hostname: "127.0.0.1",
            port,
            socket: {
                data() {},
                close() {
                    rawClosedAt = performance.now();
                },
            },
        });
        raw.write(
            "GET /wallet/pairings/ws?action=initiate HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                "Upgrade: websocket\r\nConnection: Upgrade\r\nX-Forwarded-For: 192.0.2.21\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        );
        const deadline = startedAt + 4 * IDLE_SECONDS * 1000;
        while (!rawClosedAt && performance.now() < deadline) await Bun.sleep(100);
        expect(rawClosedAt).toBeGreaterThan(0);
        expect(live.ws.readyState).toBe(WebSocket.OPEN);
        live.ws.close();
    }, 60_000);
});
