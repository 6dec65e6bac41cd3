/**
 * The seed wallet's pairing, replayed as its code calls us (packages/wallet-shared/src/pairing:
 * clients/base.ts, origin.ts, target.ts, hook/usePairingInfo.tsx, useListPairings.tsx,
 * useDeletePairing.tsx; common/api/backendClient.ts; apps/wallet's PairingPage), through Eden
 * Treaty over real HTTP and WebSocket: the desktop initiates, the phone's pairing page reads the
 * code with its wallet session and joins with it, the desktop is authenticated, reconnects, pings
 * and asks for a signature. Then what must be refused: a join with a wrong code, the code to
 * anyone but the phone, and the desktop's tokens once its pairing is deleted (HTTP and frames),
 * an SDK token after logout, a merchant's token after logout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { treaty } from "@elysiajs/eden";
import type { App } from "../../src/app";
import { authClient, unlimitedAuthEnv } from "../auth/helpers";
import { softwarePasskey } from "../auth/software-passkey";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

let app: TestApp;

beforeAll(async () => {
    app = await startTestApp({ env: { ...unlimitedAuthEnv, RATE_LIMIT_PAIRING: "100000/60" } });
});
afterAll(() => app?.stop());

type Session = { token: string; type?: string; address: string; pairingId?: string };

/**
 * One browser of the seed wallet: its session store and `authenticatedWalletApi` (treaty with the
 * `headers` and `onResponse` hooks of backendClient.ts: both session headers when present, and a
 * 401 clears the session).
 */
function seedWallet() {
    const store = {
        session: null as Session | null,
        sdkSession: null as { token: string; expires: number } | null,
    };
    const backend = treaty<App>(app.url, {
        fetch: { credentials: "include" },
        headers(_path, options) {
            const token = store.session?.token;
            const sdkToken = store.sdkSession?.token;
            const headers = new Headers(options.headers);
            if (token && !headers.has("x-wallet-auth")) headers.append("x-wallet-auth", token);
            if (sdkToken && !headers.has("x-wallet-sdk-auth")) {
                headers.append("x-wallet-sdk-auth", sdkToken);
            }
            return headers as unknown as Record<string, string>;
        },
        onResponse(response) {
            if (response.status === 401) {
                store.session = null;
                store.sdkSession = null;
            }
        },
    });
    return { store, api: backend.wallet };
}
type SeedWallet = ReturnType<typeof seedWallet>;

// biome-ignore lint/suspicious/noExplicitAny: the messages are checked field by field
type Message = { type: string; payload: any };

/** `BasePairingClient.connect`: `authenticatedWalletApi.pairings.ws.subscribe({ query })`. */
function connect(wallet: SeedWallet, query: Record<string, string>) {
    const connection = wallet.api.pairings.ws.subscribe({ query: query as never });
    const messages: Message[] = [];
    let closed: { code: number; reason: string } | null = null;
    const waiters = new Set<() => void>();
    const notify = () => {
        for (const waiter of [...waiters]) waiter();
    };
    connection.on("message", ({ data }: { data: unknown }) => {
        messages.push(data as Message);
        notify();
    });
    connection.on("close", (event: CloseEvent) => {
        closed = { code: event.code, reason: event.reason };
        notify();
    });
    const until = async <T>(check: () => T | undefined, what: string): Promise<T> => {
        const deadline = Date.now() + 8_000;
        for (;;) {
            const found = check();
            if (found !== undefined) return found;
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
            await new Promise<void>((resolve) => {
                const done = () => {
                    waiters.delete(done);
                    clearTimeout(timer);
                    resolve();
                };
                const timer = setTimeout(done, 100);
                waiters.add(done);
            });
        }
    };
    let consumed = 0;
    return {
        send: (message: unknown) => connection.send(message as never),
        close: () => connection.close(),
        isOpen: () => connection.ws.readyState === WebSocket.OPEN,
        opened: () =>
            until(() => (connection.ws.readyState === WebSocket.OPEN ? true : undefined), "open"),
        next: (type: string) =>
            until(() => {
                while (consumed < messages.length) {
                    const message = messages[consumed++] as Message;
                    if (message.type === type) return message;
                }
                if (closed)
                    throw new Error(`closed ${closed.code} ${closed.reason} before ${type}`);
                return undefined;
            }, type),
        closedWith: () => until(() => closed ?? undefined, "close"),
    };
}

/** A phone with a registered passkey and its stored session, as after the wallet's register. */
async function phoneWithSession(): Promise<SeedWallet> {
    const client = authClient(app);
    const passkey = softwarePasskey();
    const response = await client.post(
        "/wallet/auth/register",
        passkey.registration(await client.challenge()),
    );
    const { sdkJwt, ...session } = await readJson(response);
    const wallet = seedWallet();
    wallet.store.session = session;
    wallet.store.sdkSession = sdkJwt;
    return wallet;
}

/** The whole pairing as the two seed clients run it; returns both sides, paired. */
async function pairAsTheSeedDoes() {
    const desktop = seedWallet();
    const phone = await phoneWithSession();

    // OriginPairingClient.initiatePairing → connect({ action: "initiate" }).
    const initiating = connect(desktop, { action: "initiate" });
    const { payload: initiated } = await initiating.next("pairing-initiated");

    // The phone's PairingPage: usePairingInfo → pairings.find({ id }).get(), with its session.
    const { data: pairingInfo, error } = await phone.api.pairings
        .find({ id: initiated.pairingId })
        .get();
    expect(error).toBeNull();
    expect(pairingInfo?.pairingCode).toBe(initiated.pairingCode);
    expect(pairingInfo?.originName).toBeString();

    // TargetPairingClient.joinPairing(id, pairingInfo.pairingCode).
    const target = connect(phone, {
        action: "join",
        id: initiated.pairingId,
        pairingCode: pairingInfo?.pairingCode as string,
        wallet: phone.store.session?.token as string,
    });
    const { payload: authenticated } = await initiating.next("authenticated");
    // The origin stores the session, then forceConnect(() => reconnect()).
    desktop.store.session = { token: authenticated.token, ...authenticated.wallet };
    desktop.store.sdkSession = authenticated.sdkJwt;
    initiating.close();
    const origin = connect(desktop, { wallet: authenticated.token });
    await origin.opened();
    await target.next("partner-connected");
    return { desktop, phone, origin, target, pairingId: initiated.pairingId as string };
}

describe("the seed's pairing, as its clients call it", () => {
    test("initiate, the phone's pairing page reads the code, join, authenticated, ping/pong, a signature", async () => {
        const { desktop, origin, target, pairingId } = await pairAsTheSeedDoes();
        expect(desktop.store.session).toMatchObject({ type: "distant-webauthn", pairingId });

        // startPingInterval: { type: "ping" }; the target answers with pong.
        origin.send({ type: "ping" });
        const { payload: ping } = await target.next("ping");
        target.send({ type: "pong", payload: { pairingId: ping.pairingId } });
        await origin.next("pong");

        // sendSignatureRequest → signature-request; useSignSignatureRequest → signature-response.
        const id = "V1StGXR8_Z5jdHi6"; // nanoid(16)
        origin.send({
            type: "signature-request",
            payload: { id, request: "0x1234", context: { kind: "test" } },
        });
        const { payload: request } = await target.next("signature-request");
        expect(request).toMatchObject({ pairingId, id, request: "0x1234" });
        target.send({
            type: "signature-response",
            payload: { pairingId: request.pairingId, id, signature: "0xabcdef" },
        });
        const { payload: answer } = await origin.next("signature-response");
        expect(answer).toEqual({ pairingId, id, signature: "0xabcdef" });

        // The desktop's SDK session works as useGetSafeSdkSession checks it.
        const { data } = await desktop.api.auth.sdk.isValid.get({
            headers: { "x-wallet-sdk-auth": desktop.store.sdkSession?.token as string },
        });
        expect(data).toEqual({ isValid: true });
        origin.close();
        target.close();
    });

    test("the phone's pairing list and delete (PairingList)", async () => {
        const { phone, origin, target, pairingId } = await pairAsTheSeedDoes();
        const { data: pairings } = await phone.api.pairings.list.get();
        expect(pairings?.map((pairing) => pairing.pairingId)).toEqual([pairingId]);
        const { error } = await phone.api.pairings({ id: pairingId }).delete.post();
        expect(error).toBeNull();
        expect((await origin.closedWith()).code).toBe(4404);
        const { data: after } = await phone.api.pairings.list.get();
        expect(after).toEqual([]);
        target.close();
    });
});

describe("what the protections refuse", () => {
    test("a join with a wrong code closes with 4403 and the pairing stays joinable with the right one", async () => {
        const desktop = seedWallet();
        const phone = await phoneWithSession();
        const initiating = connect(desktop, { action: "initiate" });
        const { payload: initiated } = await initiating.next("pairing-initiated");
        const wrongCode = initiated.pairingCode === "000000" ? "000001" : "000000";
        const guess = connect(phone, {
            action: "join",
            id: initiated.pairingId,
            pairingCode: wrongCode,
            wallet: phone.store.session?.token as string,
        });
        expect(await guess.closedWith()).toEqual({ code: 4403, reason: "Invalid pairing code" });
        const join = connect(phone, {
            action: "join",
            id: initiated.pairingId,
            pairingCode: initiated.pairingCode,
            wallet: phone.store.session?.token as string,
        });
        await initiating.next("authenticated");
        initiating.close();
        join.close();
    });

    test("the code goes to the phone's session only: not without one, not to a desktop or an SDK token", async () => {
        const { desktop, phone, origin, target, pairingId } = await pairAsTheSeedDoes();
        // Once joined, the code is of no use: not even the phone gets it.
        const { data: resolved } = await phone.api.pairings.find({ id: pairingId }).get();
        expect(resolved).not.toHaveProperty("pairingCode");
        const fresh = connect(seedWallet(), { action: "initiate" });
        const { payload: initiated } = await fresh.next("pairing-initiated");

        const anonymous = seedWallet();
        const sdkOnly = seedWallet();
        sdkOnly.store.sdkSession = desktop.store.sdkSession;
        for (const caller of [anonymous, desktop, sdkOnly]) {
            const { data, error } = await caller.api.pairings
                .find({ id: initiated.pairingId })
                .get();
            expect(error).toBeNull();
            expect(data).toMatchObject({ id: initiated.pairingId });
            expect(data).not.toHaveProperty("pairingCode");
        }
        fresh.close();
        origin.close();
        target.close();
    });

    test("the desktop's tokens after its pairing is deleted: 401 over HTTP, its socket closed and refused", async () => {
        const { desktop, phone, origin, target, pairingId } = await pairAsTheSeedDoes();
        const desktopToken = desktop.store.session?.token as string;
        const desktopSdk = desktop.store.sdkSession?.token as string;
        expect((await desktop.api.balance.get()).status).toBe(200);

        await phone.api.pairings({ id: pairingId }).delete.post();
        expect((await origin.closedWith()).code).toBe(4404);

        const { status } = await desktop.api.balance.get();
        expect(status).toBe(401);
        // backendClient's onResponse cleared the session, as on any 401.
        expect(desktop.store.session).toBeNull();
        const stale = seedWallet();
        stale.store.sdkSession = { token: desktopSdk, expires: 0 };
        expect(
            (await stale.api.auth.sdk.isValid.get({ headers: { "x-wallet-sdk-auth": desktopSdk } }))
                .status,
        ).toBe(401);
        // OriginPairingClient.reconnect with the old token: closed with 4401 on open.
        const again = connect(seedWallet(), { wallet: desktopToken });
        expect((await again.closedWith()).code).toBe(4401);
        target.close();
    });

    test("frames of a desktop whose session ended close the socket with 4401 (5 s re-check)", async () => {
        const { desktop, origin, target } = await pairAsTheSeedDoes();
        // Our own logout route (the seed's Logout only forgets the session locally).
        await desktop.api.auth.logout.post();
        const deadline = Date.now() + 8_000;
        while (origin.isOpen() && Date.now() < deadline) {
            origin.send({ type: "ping" });
            await Bun.sleep(250);
        }
        expect(await origin.closedWith()).toEqual({
            code: 4401,
            reason: "Session revoked or expired",
        });
        target.close();
    });

    test("an SDK token after its wallet session logged out: isValid is 401", async () => {
        const phone = await phoneWithSession();
        const sdkToken = phone.store.sdkSession?.token as string;
        const check = () =>
            phone.api.auth.sdk.isValid.get({ headers: { "x-wallet-sdk-auth": sdkToken } });
        expect((await check()).data).toEqual({ isValid: true });
        // useGetSafeSdkSession's fallback mints from the wallet session: ends with it too.
        const { data: minted } = await phone.api.auth.sdk.generate.get();
        await phone.api.auth.logout.post();
        expect((await check()).status).toBe(401);
        expect(
            (
                await seedWallet().api.auth.sdk.isValid.get({
                    headers: { "x-wallet-sdk-auth": minted?.token as string },
                })
            ).status,
        ).toBe(401);
    });

    test("a merchant's token after POST /business/auth/logout: the dashboard's calls get 401", async () => {
        const merchant = "0x00000000000000000000000000000000000b0b01";
        const { token } = await app.infra.tokens.signBusiness(merchant);
        let authToken: string | null = token;
        // apps/business backendClient.ts: x-business-auth from the auth store, cleared on 401.
        const dashboard = treaty<App>(app.url, {
            fetch: { credentials: "include" },
            headers(_path, options) {
                const headers = new Headers(options.headers);
                if (authToken && !headers.has("x-business-auth")) {
                    headers.append("x-business-auth", authToken);
                }
                return headers as unknown as Record<string, string>;
            },
            onResponse(response) {
                if (response.status === 401) authToken = null;
            },
        }).business;
        const productId = `0x${"02".repeat(32)}` as const;
        // useHasRoleOnProduct.
        expect((await dashboard.roles.get({ query: { productId } })).status).toBe(200);
        const { data } = await dashboard.auth.logout.post();
        expect(data).toEqual({ revoked: true });
        authToken = token; // a copy kept elsewhere (another tab, a thief)
        expect((await dashboard.roles.get({ query: { productId } })).status).toBe(401);
        expect(authToken).toBeNull();
    });
});
