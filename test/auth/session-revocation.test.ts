/**
 * A paired desktop has no passkey rights, and ending a session ends every token derived from it:
 * the SDK token of a login, the desktop session of a deleted or expired pairing (HTTP and socket
 * frames), a merchant's session after logout; on every instance.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ecdsaLoginMessage } from "../../src/domain/auth";
import { devicePairingTable } from "../../src/domain/pairing/db/schema";
import { walletSessionsTable } from "../../src/infrastructure/sessions";
import { phoneUserAgent, TestSocket } from "../pairing/support";
import { eventually } from "../support/eventually";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { authClient, unlimitedAuthEnv } from "./helpers";
import { type SoftwarePasskey, softwarePasskey } from "./software-passkey";

let app: TestApp;
let client: ReturnType<typeof authClient>;
const env = { ...unlimitedAuthEnv, RATE_LIMIT_PAIRING: "100000/60" };

beforeAll(async () => {
    app = await startTestApp({ env });
    client = authClient(app);
});
afterAll(() => app?.stop());

type Phone = {
    passkey: SoftwarePasskey;
    token: string;
    sdkToken: string;
    address: Address;
};

/** A phone: a passkey registered over HTTP, with its wallet JWT and SDK JWT. */
async function phone(target: TestApp = app): Promise<Phone> {
    const passkey = softwarePasskey();
    const c = authClient(target);
    const response = await c.post(
        "/wallet/auth/register",
        passkey.registration(await c.challenge()),
    );
    expect(response.status).toBe(200);
    const body = await readJson(response);
    return { passkey, token: body.token, sdkToken: body.sdkJwt.token, address: body.address };
}

type Desktop = { pairingId: string; token: string; sdkToken: string; socket: TestSocket };

/** Pairs a desktop with `owner`'s phone through the socket, as the wallet app does. */
async function pairedDesktop(owner: Phone, target: TestApp = app): Promise<Desktop> {
    const initiator = await TestSocket.open(target.url, { action: "initiate" });
    const { payload: initiated } = await initiator.next("pairing-initiated");
    const joined = await TestSocket.open(
        target.url,
        {
            action: "join",
            id: initiated.pairingId,
            pairingCode: initiated.pairingCode,
            wallet: owner.token,
        },
        phoneUserAgent,
    );
    const { payload } = await initiator.next("authenticated");
    initiator.close();
    joined.close();
    const socket = await TestSocket.open(target.url, { wallet: payload.token });
    return {
        pairingId: initiated.pairingId,
        token: payload.token,
        sdkToken: payload.sdkJwt.token,
        socket,
    };
}

const walletGet = (path: string, token: string, target: TestApp = app) =>
    target.request(path, { headers: { "x-wallet-auth": token } });
const sdkIsValid = (token: string, target: TestApp = app) =>
    target.request("/wallet/auth/sdk/isValid", { headers: { "x-wallet-sdk-auth": token } });
const logout = (token: string, target: TestApp = app) =>
    target.request("/wallet/auth/logout", { method: "POST", headers: { "x-wallet-auth": token } });

async function sdkFromSession(token: string): Promise<string> {
    const response = await walletGet("/wallet/auth/sdk/generate", token);
    expect(response.status).toBe(200);
    return (await readJson(response)).token;
}

async function loginStatus(passkey: SoftwarePasskey): Promise<number> {
    const challenge = await client.challenge();
    const response = await client.post("/wallet/auth/login", {
        expectedChallenge: challenge,
        authenticatorResponse: passkey.oxAssertion(challenge),
    });
    return response.status;
}

describe("a paired desktop cannot give itself a passkey", () => {
    test("register with previousWallet and the desktop's session: 403, nothing stored", async () => {
        const owner = await phone();
        const desktop = await pairedDesktop(owner);
        const attacker = softwarePasskey();
        const response = await client.post(
            "/wallet/auth/register",
            attacker.registration(await client.challenge(), { previousWallet: owner.address }),
            { "x-wallet-auth": desktop.token },
        );
        expect(response.status).toBe(403);
        expect(await readJson(response)).toMatchObject({ error: "passkey_session_required" });
        // The passkey was not attached: after the pairing is gone it logs in nowhere.
        expect(
            (
                await client.post(`/wallet/pairings/${desktop.pairingId}/delete`, undefined, {
                    "x-wallet-auth": owner.token,
                })
            ).status,
        ).toBe(200);
        expect(await loginStatus(attacker)).toBe(404);
        desktop.socket.close();
    });

    test("an ecdsa session cannot attach a passkey either", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const challenge = await client.challenge();
        const login = await client.post("/wallet/auth/ecdsaLogin", {
            expectedChallenge: challenge,
            wallet: account.address,
            signature: await account.signMessage({ message: ecdsaLoginMessage(challenge) }),
        });
        const ecdsa = await readJson(login);
        const response = await client.post(
            "/wallet/auth/register",
            softwarePasskey().registration(await client.challenge(), {
                previousWallet: ecdsa.address,
            }),
            { "x-wallet-auth": ecdsa.token },
        );
        expect(response.status).toBe(403);
    });

    test("previousWalletProof, when sent, must be an assertion by a passkey of that wallet", async () => {
        const owner = await phone();
        const stranger = await phone();
        const added = softwarePasskey();
        const proofBy = async (signer: SoftwarePasskey) => {
            const challenge = await client.challenge();
            return { challenge, signature: signer.oxAssertion(challenge) };
        };
        const refused = await client.post(
            "/wallet/auth/register",
            added.registration(await client.challenge(), {
                previousWallet: owner.address,
                previousWalletProof: await proofBy(stranger.passkey),
            }),
            { "x-wallet-auth": owner.token },
        );
        expect(refused.status).toBe(403);
        expect(await readJson(refused)).toMatchObject({ error: "invalid_wallet_proof" });
        expect(await loginStatus(added)).toBe(404);

        const accepted = await client.post(
            "/wallet/auth/register",
            added.registration(await client.challenge(), {
                previousWallet: owner.address,
                previousWalletProof: await proofBy(owner.passkey),
            }),
            { "x-wallet-auth": owner.token },
        );
        expect(accepted.status).toBe(200);
        expect((await readJson(accepted)).address).toBe(owner.address);
        expect(await loginStatus(added)).toBe(200);
    });

    test("a proof without previousWallet is a 400 naming the field", async () => {
        const challenge = await client.challenge();
        const passkey = softwarePasskey();
        const response = await client.post(
            "/wallet/auth/register",
            passkey.registration(await client.challenge(), {
                previousWalletProof: { challenge, signature: passkey.oxAssertion(challenge) },
            }),
        );
        expect(response.status).toBe(400);
        expect(await readJson(response)).toMatchObject({ error: "unexpected_wallet_proof" });
    });

    test("the desktop can neither list nor delete the wallet's pairings, nor manage its push subscriptions", async () => {
        const owner = await phone();
        const desktop = await pairedDesktop(owner);
        const other = await pairedDesktop(owner);
        const asDesktop = { "x-wallet-auth": desktop.token };
        expect((await walletGet("/wallet/pairings/list", desktop.token)).status).toBe(403);
        const kick = await client.post(
            `/wallet/pairings/${other.pairingId}/delete`,
            undefined,
            asDesktop,
        );
        expect(kick.status).toBe(403);
        expect(await readJson(kick)).toMatchObject({ error: "paired_device_forbidden" });
        const silence = await app.request("/wallet/notifications/tokens", {
            method: "DELETE",
            headers: asDesktop,
        });
        expect(silence.status).toBe(403);
        // The other desktop is still paired and served.
        expect((await walletGet("/wallet/balance", other.token)).status).toBe(200);
        const list = await readJson(await walletGet("/wallet/pairings/list", owner.token));
        expect(list.map((p: { pairingId: string }) => p.pairingId).sort()).toEqual(
            [desktop.pairingId, other.pairingId].sort(),
        );
        desktop.socket.close();
        other.socket.close();
    });
});

describe("revocation reaches every derived token", () => {
    test("wallet logout revokes the SDK tokens of that login and those minted from the session", async () => {
        const owner = await phone();
        const minted = await sdkFromSession(owner.token);
        const otherLogin = await phone();
        expect((await sdkIsValid(owner.sdkToken)).status).toBe(200);
        expect((await sdkIsValid(minted)).status).toBe(200);

        expect((await logout(owner.token)).status).toBe(200);
        expect((await walletGet("/wallet/balance", owner.token)).status).toBe(401);
        expect((await sdkIsValid(owner.sdkToken)).status).toBe(401);
        expect((await sdkIsValid(minted)).status).toBe(401);
        // Another session of another login is untouched.
        expect((await sdkIsValid(otherLogin.sdkToken)).status).toBe(200);
    });

    test("deleting a pairing revokes the desktop's JWT and its SDK tokens; its socket is closed and cannot come back", async () => {
        const owner = await phone();
        const desktop = await pairedDesktop(owner);
        const minted = await sdkFromSession(desktop.token);
        expect((await walletGet("/wallet/balance", desktop.token)).status).toBe(200);

        const deleted = await client.post(
            `/wallet/pairings/${desktop.pairingId}/delete`,
            undefined,
            {
                "x-wallet-auth": owner.token,
            },
        );
        expect(deleted.status).toBe(200);
        expect((await desktop.socket.waitClose()).code).toBe(4404);

        expect((await walletGet("/wallet/balance", desktop.token)).status).toBe(401);
        expect((await walletGet("/wallet/auth/sdk/generate", desktop.token)).status).toBe(401);
        expect((await sdkIsValid(desktop.sdkToken)).status).toBe(401);
        expect((await sdkIsValid(minted)).status).toBe(401);
        const back = await TestSocket.open(app.url, { wallet: desktop.token });
        expect((await back.waitClose()).code).toBe(4401);
        // The phone keeps its own session.
        expect((await walletGet("/wallet/balance", owner.token)).status).toBe(200);
    });

    test("the cleanup job expiring an idle pairing revokes its desktop's tokens", async () => {
        const owner = await phone();
        const desktop = await pairedDesktop(owner);
        desktop.socket.close();
        await app.infra.database.db
            .update(devicePairingTable)
            .set({ lastActiveAt: new Date(Date.now() - 8 * 86_400_000) })
            .where(eq(devicePairingTable.pairingId, desktop.pairingId));
        await app.domains.pairing.cleanupJob.runNow();
        expect((await walletGet("/wallet/balance", desktop.token)).status).toBe(401);
        expect((await sdkIsValid(desktop.sdkToken)).status).toBe(401);
        const [row] = await app.infra.database.db
            .select({ revokedAt: walletSessionsTable.revokedAt })
            .from(walletSessionsTable)
            .where(eq(walletSessionsTable.pairingId, desktop.pairingId));
        expect(row?.revokedAt).toBeInstanceOf(Date);
    });

    test("a logout closes the session's open sockets at once (desktop and phone), without waiting for a frame", async () => {
        const owner = await phone();
        const desktop = await pairedDesktop(owner);
        const phoneSocket = await TestSocket.open(app.url, { wallet: owner.token }, phoneUserAgent);
        // Both sockets are open and served: the desktop's pings reach the phone.
        await eventually(() => {
            desktop.socket.send({ type: "ping" });
            return phoneSocket.messages.some((message) => message.type === "ping");
        });

        expect((await logout(desktop.token)).status).toBe(200);
        expect(await desktop.socket.waitClose(2_000)).toEqual({
            code: 4401,
            reason: "Session revoked or expired",
        });
        expect(phoneSocket.isOpen).toBe(true);
        expect((await logout(owner.token)).status).toBe(200);
        expect((await phoneSocket.waitClose(2_000)).code).toBe(4401);
    });

    test("a session revoked straight in the database: the socket's next frame after the 5 s re-check closes it", async () => {
        const owner = await phone();
        const desktop = await pairedDesktop(owner);
        // The desktop's socket is open and served: its pings reach the phone.
        const phoneSocket = await TestSocket.open(app.url, { wallet: owner.token }, phoneUserAgent);
        await eventually(() => {
            desktop.socket.send({ type: "ping" });
            return phoneSocket.messages.some((message) => message.type === "ping");
        });
        await app.infra.database.db
            .update(walletSessionsTable)
            .set({ revokedAt: new Date() })
            .where(eq(walletSessionsTable.pairingId, desktop.pairingId));
        await eventually(
            () => {
                if (desktop.socket.isOpen) desktop.socket.send({ type: "ping" });
                return !desktop.socket.isOpen;
            },
            12_000,
            250,
        );
        expect(desktop.socket.closedWith).toEqual({
            code: 4401,
            reason: "Session revoked or expired",
        });
        phoneSocket.close();
    });
});

describe("the database is the source of truth", () => {
    test("a session revoked straight in the table (an operator) is refused within the 5 s cache", async () => {
        const owner = await phone();
        const minted = await sdkFromSession(owner.token);
        expect((await walletGet("/wallet/balance", owner.token)).status).toBe(200);
        await app.infra.database.db
            .update(walletSessionsTable)
            .set({ revokedAt: new Date() })
            .where(eq(walletSessionsTable.wallet, owner.address.toLowerCase() as Address));
        await eventually(
            async () =>
                (await walletGet("/wallet/balance", owner.token)).status === 401 &&
                (await sdkIsValid(minted)).status === 401,
            7_000,
            250,
        );
    });
});

describe("POST /business/auth/logout", () => {
    const roles = (token: string) =>
        app.request(`/business/roles?productId=0x${"01".repeat(32)}`, {
            headers: { "x-business-auth": token },
        });
    const businessLogout = (headers: Record<string, string> = {}) =>
        app.request("/business/auth/logout", { method: "POST", headers });

    test("revokes the merchant's session: 401 on every business route afterwards", async () => {
        const merchant = privateKeyToAccount(generatePrivateKey()).address;
        const { token } = await app.infra.tokens.signBusiness(merchant);
        const other = await app.infra.tokens.signBusiness(merchant);
        expect((await roles(token)).status).toBe(200);

        const response = await businessLogout({ "x-business-auth": token });
        expect(response.status).toBe(200);
        expect(await readJson(response)).toEqual({ revoked: true });
        const after = await roles(token);
        expect(after.status).toBe(401);
        const mint = await app.request("/business/product/mint", {
            method: "PUT",
            headers: { "content-type": "application/json", "x-business-auth": token },
            body: JSON.stringify({
                name: "n",
                domain: "shop.example",
                currency: "eure",
                productTypes: ["webshop"],
            }),
        });
        expect(mint.status).toBe(401);
        // Another session of the same merchant (another browser) stays.
        expect((await roles(other.token)).status).toBe(200);
    });

    test("logging out twice, without a token or with garbage is a harmless 200", async () => {
        const { token } = await app.infra.tokens.signBusiness(
            privateKeyToAccount(generatePrivateKey()).address,
        );
        await businessLogout({ "x-business-auth": token });
        expect(await readJson(await businessLogout({ "x-business-auth": token }))).toEqual({
            revoked: false,
        });
        expect(await readJson(await businessLogout())).toEqual({ revoked: false });
        expect(await readJson(await businessLogout({ "x-business-auth": "x.y.z" }))).toEqual({
            revoked: false,
        });
    });
});

describe.skipIf(!process.env.DATABASE_URL)("two instances agree (Redis pub/sub)", () => {
    let first: TestApp;
    let second: TestApp;
    beforeAll(async () => {
        const redis = { REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" };
        first = await startTestApp({ env: { ...env, ...redis } });
        second = await startTestApp({ env: { ...env, ...redis }, sameDeploymentAs: first });
    });
    afterAll(async () => {
        await second?.stop();
        await first?.stop();
    });

    test("a session revoked on one instance is refused by the other, which had it cached as active", async () => {
        const owner = await phone(first);
        const desktop = await pairedDesktop(owner, first);
        const { token: business } = await first.infra.tokens.signBusiness(owner.address);
        // The second instance has just checked them (cached as active for a few seconds).
        expect((await walletGet("/wallet/balance", owner.token, second)).status).toBe(200);
        expect((await walletGet("/wallet/balance", desktop.token, second)).status).toBe(200);
        expect((await sdkIsValid(owner.sdkToken, second)).status).toBe(200);
        const roles = () =>
            second.request(`/business/roles?productId=0x${"01".repeat(32)}`, {
                headers: { "x-business-auth": business },
            });
        expect((await roles()).status).toBe(200);

        const deleted = await authClient(first).post(
            `/wallet/pairings/${desktop.pairingId}/delete`,
            undefined,
            { "x-wallet-auth": owner.token },
        );
        expect(deleted.status).toBe(200);
        expect((await logout(owner.token, first)).status).toBe(200);
        const loggedOut = await first.request("/business/auth/logout", {
            method: "POST",
            headers: { "x-business-auth": business },
        });
        expect(await readJson(loggedOut)).toEqual({ revoked: true });
        // Well within the cache's 5 s: the announcement, not the expiry of the cached answer.
        await eventually(
            async () =>
                (await walletGet("/wallet/balance", owner.token, second)).status === 401 &&
                (await walletGet("/wallet/balance", desktop.token, second)).status === 401 &&
                (await sdkIsValid(owner.sdkToken, second)).status === 401 &&
                (await roles()).status === 401,
            2_000,
        );
        desktop.socket.close();
    });

    test("a logout on one instance closes the session's socket on the other", async () => {
        const owner = await phone(first);
        const desktop = await pairedDesktop(owner, first);
        const elsewhere = await TestSocket.open(second.url, { wallet: desktop.token });
        expect((await logout(desktop.token, first)).status).toBe(200);
        expect((await elsewhere.waitClose(2_000)).code).toBe(4401);
        expect((await desktop.socket.waitClose(2_000)).code).toBe(4401);
    });
});
