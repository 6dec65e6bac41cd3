/** Fixtures of the pairing tests: real WebSocket clients and wallet sessions. */
import { eq } from "drizzle-orm";
import { type Address, type Hex, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    devicePairingTable,
    pairingSignatureRequestTable,
} from "../../src/domain/pairing/db/schema";
import { startTestApp, type TestApp } from "../support/test-app";

export const desktopUserAgent =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
export const phoneUserAgent =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

/** Many initiations from one IP: lift the per-IP limit the service applies to them. */
export const unlimitedPairingEnv = { RATE_LIMIT_PAIRING: "100000/60" };

/** A test app for pairing tests (no initiation limit), plus `env`. */
export const startPairingServer = (env: Record<string, string> = {}) =>
    startTestApp({ env: { ...unlimitedPairingEnv, ...env } });

export const randomWallet = (): Address => privateKeyToAccount(generatePrivateKey()).address;

export const phonePublicKey = { x: toHex(11n, { size: 32 }), y: toHex(22n, { size: 32 }) };

/** A phone's webauthn wallet JWT. */
export async function webauthnToken(server: TestApp, address: Address): Promise<string> {
    const { token } = await server.infra.tokens.signWallet({
        type: "webauthn",
        address,
        authenticatorId: `cred-${address}`,
        publicKey: phonePublicKey,
    });
    return token;
}

// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON messages
export type Message = { type: string; payload: any };
export type Closed = { code: number; reason: string };

/** A WebSocket client that records every message and its close, with waits that time out. */
export class TestSocket {
    readonly messages: Message[] = [];
    private consumed = 0;
    private readonly waiters = new Set<() => void>();
    closedWith: Closed | null = null;
    readonly closed: Promise<Closed>;

    private constructor(private readonly ws: WebSocket) {
        let resolveClosed: (closed: Closed) => void = () => {};
        this.closed = new Promise((resolve) => {
            resolveClosed = resolve;
        });
        ws.onmessage = (event) => {
            this.messages.push(JSON.parse(String(event.data)));
            this.notify();
        };
        ws.onclose = (event) => {
            this.closedWith = { code: event.code, reason: event.reason };
            resolveClosed(this.closedWith);
            this.notify();
        };
    }

    /** Opens `/wallet/pairings/ws?<query>` and resolves once the socket is open. */
    static async open(
        baseUrl: string,
        query: Record<string, string | undefined>,
        userAgent = desktopUserAgent,
    ): Promise<TestSocket> {
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(query)) {
            if (value !== undefined) params.set(key, value);
        }
        const url = `${baseUrl.replace(/^http/, "ws")}/wallet/pairings/ws?${params}`;
        // Bun's WebSocket accepts request headers (browsers send their User-Agent).
        const ws = new WebSocket(url, { headers: { "user-agent": userAgent } } as never);
        const socket = new TestSocket(ws);
        await new Promise<void>((resolve, reject) => {
            ws.onopen = () => resolve();
            ws.onerror = () => reject(new Error(`could not open ${url}`));
        });
        return socket;
    }

    send(frame: unknown): void {
        this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    }

    sendRaw(data: string | Uint8Array): void {
        this.ws.send(data);
    }

    /** The next message not yet returned, optionally of a given type (others are skipped). */
    async next(type?: string, timeoutMs = 5_000): Promise<Message> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            while (this.consumed < this.messages.length) {
                const message = this.messages[this.consumed++]!;
                if (!type || message.type === type) return message;
            }
            if (this.closedWith) {
                throw new Error(
                    `socket closed (${this.closedWith.code} ${this.closedWith.reason}) while waiting for ${type ?? "a message"}`,
                );
            }
            const remaining = deadline - Date.now();
            if (remaining <= 0) throw new Error(`timed out waiting for ${type ?? "a message"}`);
            await this.wait(remaining);
        }
    }

    /** Resolves with the close code and reason, or fails if the socket is still open in time. */
    async waitClose(timeoutMs = 5_000): Promise<Closed> {
        return Promise.race([
            this.closed,
            Bun.sleep(timeoutMs).then(() => {
                throw new Error(`socket still open after ${timeoutMs} ms`);
            }),
        ]);
    }

    /** True if no message of `type` arrives within `ms`. */
    async receivesNothing(type: string, ms = 300): Promise<boolean> {
        await Bun.sleep(ms);
        return !this.messages.slice(this.consumed).some((message) => message.type === type);
    }

    get isOpen(): boolean {
        return this.ws.readyState === WebSocket.OPEN;
    }

    close(): void {
        this.ws.close();
    }

    private wait(ms: number): Promise<void> {
        return new Promise((resolve) => {
            const done = () => {
                clearTimeout(timer);
                this.waiters.delete(done);
                resolve();
            };
            const timer = setTimeout(done, ms);
            this.waiters.add(done);
        });
    }

    private notify(): void {
        for (const waiter of [...this.waiters]) waiter();
    }
}

export type PairedDevices = {
    pairingId: string;
    wallet: Address;
    phoneToken: string;
    distantToken: string;
    /** The phone's socket (joined). */
    target: TestSocket;
    /** The desktop's socket reconnected with its distant-webauthn JWT. */
    origin: TestSocket;
};

/** Initiate on `originServer`, join on `targetServer`, reconnect the desktop with its JWT. */
export async function pairDevices(
    originServer: TestApp,
    targetServer: TestApp = originServer,
    wallet: Address = randomWallet(),
): Promise<PairedDevices> {
    const initiator = await TestSocket.open(originServer.url, { action: "initiate" });
    const { payload: initiated } = await initiator.next("pairing-initiated");
    const phoneToken = await webauthnToken(targetServer, wallet);
    const target = await TestSocket.open(
        targetServer.url,
        {
            action: "join",
            id: initiated.pairingId,
            pairingCode: initiated.pairingCode,
            wallet: phoneToken,
        },
        phoneUserAgent,
    );
    const { payload: authenticated } = await initiator.next("authenticated");
    initiator.close();
    const origin = await TestSocket.open(originServer.url, { wallet: authenticated.token });
    await target.next("partner-connected");
    return {
        pairingId: initiated.pairingId,
        wallet,
        phoneToken,
        distantToken: authenticated.token,
        target,
        origin,
    };
}

export const sampleRequest: Hex = "0x7b226368616c6c656e6765223a2231323334227d";
export const sampleSignature: Hex = "0xa1b2c3d4e5f6";

/** A desktop socket that initiated a pairing, with the pairing's id and code. */
export async function initiatePairing(server: TestApp) {
    const origin = await TestSocket.open(server.url, { action: "initiate" });
    const { payload } = await origin.next("pairing-initiated");
    return {
        origin,
        pairingId: payload.pairingId as string,
        pairingCode: payload.pairingCode as string,
    };
}

/** The pairing's row, or undefined once deleted. */
export async function pairingRowOf(server: TestApp, pairingId: string) {
    return (
        await server.infra.database.db
            .select()
            .from(devicePairingTable)
            .where(eq(devicePairingTable.pairingId, pairingId))
    )[0];
}

/** The pairing's signature request rows. */
export function signatureRequestRowsOf(server: TestApp, pairingId: string) {
    return server.infra.database.db
        .select()
        .from(pairingSignatureRequestTable)
        .where(eq(pairingSignatureRequestTable.pairingId, pairingId));
}
