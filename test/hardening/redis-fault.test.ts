/**
 * Redis (shared by the instances for pairing pub/sub and rate limits) becomes unreachable and
 * comes back: readiness names it, a pairing socket is told clearly (close 1013, try again later) instead of
 * hanging, and pairing works again once Redis is back, without a restart.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "../support/eventually";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

let proxy: TcpProxy;
let server: TestApp;

beforeAll(async () => {
    proxy = await startTcpProxy("127.0.0.1", 6379);
    server = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
});
afterAll(async () => {
    await server.stop();
    proxy.stop();
});

/** Opens an initiating pairing socket; resolves with its first message or its close. */
function initiatePairing(): Promise<{
    message?: { type: string };
    closeCode?: number;
    reason?: string;
}> {
    const url = `${server.url.replace("http", "ws")}/wallet/pairings/ws?action=initiate`;
    return new Promise((resolve) => {
        const socket = new WebSocket(url);
        const timer = setTimeout(() => {
            socket.close();
            resolve({});
        }, 10_000);
        socket.onmessage = (event) => {
            clearTimeout(timer);
            resolve({ message: JSON.parse(String(event.data)) });
            socket.close();
        };
        socket.onclose = (event) => {
            clearTimeout(timer);
            resolve({ closeCode: event.code, reason: event.reason });
        };
    });
}

test("pairing and readiness report Redis down clearly, and recover when it is back", async () => {
    expect((await initiatePairing()).message?.type).toBe("pairing-initiated");
    expect((await server.request("/health")).status).toBe(200);

    proxy.cut();
    await eventually(async () => (await server.request("/health")).status === 503, 20_000);
    expect(await readJson(await server.request("/health"))).toMatchObject({ failed: ["redis"] });
    const during = await initiatePairing();
    expect(during.message).toBeUndefined();
    expect(during.closeCode).toBe(1013);
    expect(during.reason).toBe("Service temporarily unavailable");

    proxy.restore();
    await eventually(async () => (await server.request("/health")).status === 200, 20_000);
    await eventually(
        async () => (await initiatePairing()).message?.type === "pairing-initiated",
        20_000,
    );
}, 60_000);
