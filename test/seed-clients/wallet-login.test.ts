/**
 * The seed wallet's passkey login (useLogin: a challenge from `generatePrivateKey()`, signed by
 * ox, posted as the compressed ox JSON) and its SDK token refresh (useGetSafeSdkSession), as its
 * code makes them, against our API over HTTP; and each replay that must stay refused.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { unlimitedAuthEnv } from "../auth/helpers";
import { startTestApp, type TestApp } from "../support/test-app";
import { type SeedWallet, seedWallet } from "./seed-wallet";
import { type VirtualAuthenticator, virtualAuthenticator } from "./virtual-authenticator";

const sdkSecret = "seed-wallet-replay-sdk-secret-0123456789";
let app: TestApp;

beforeAll(async () => {
    app = await startTestApp({ env: { ...unlimitedAuthEnv, JWT_SDK_SECRET: sdkSecret } });
});
afterAll(async () => {
    await app?.stop();
});

/** A wallet on a phone with a passkey registered the wallet's way. */
async function registeredWallet(
    options: Parameters<typeof virtualAuthenticator>[0] = {},
): Promise<{ wallet: SeedWallet; authenticator: VirtualAuthenticator }> {
    const authenticator = virtualAuthenticator(options);
    const wallet = seedWallet(app.url, { authenticator });
    const { response } = await wallet.register();
    expect(response.status).toBe(200);
    wallet.store.session = null; // a later visit: logged out, the passkey remains
    wallet.store.sdkSession = null;
    return { wallet, authenticator };
}

describe("the wallet's passkey login", () => {
    test("logs in with the challenge it generated; the session opens wallet routes", async () => {
        const { wallet, authenticator } = await registeredWallet();
        const lastAuthentication = { authenticatorId: authenticator.credentialIds[0] as string };
        const { response } = await wallet.login({ lastAuthentication });
        expect(response.status).toBe(200);
        expect(response.data).toMatchObject({
            type: "webauthn",
            authenticatorId: lastAuthentication.authenticatorId,
        });
        const session = await wallet.api.auth.session.get();
        expect(session.status).toBe(200);
        expect(session.data?.address).toBe(response.data?.address as `0x${string}`);
        // Without naming the credential (the discoverable-credential login) it works too.
        expect((await wallet.login()).response.status).toBe(200);
    });

    test("the same assertion twice: the replay is refused", async () => {
        const { wallet } = await registeredWallet();
        const { body, response } = await wallet.login();
        expect(response.status).toBe(200);
        const replay = await wallet.api.auth.login.post(body);
        expect(replay.status).toBe(404);
        expect(String(replay.error?.value)).toBe("Invalid signature");
    });

    test("the same assertion sent concurrently: exactly one login", async () => {
        const { wallet } = await registeredWallet();
        const body = await wallet.signLogin();
        const responses = await Promise.all(
            Array.from({ length: 4 }, () => wallet.api.auth.login.post(body)),
        );
        expect(responses.map((r) => r.status).sort()).toEqual([200, 404, 404, 404]);
    });

    test("the same client challenge twice: a new signature over a spent challenge is refused", async () => {
        // A counting authenticator too: the counter moves forward, the challenge still refuses.
        for (const signCount of ["zero", "increment"] as const) {
            const { wallet } = await registeredWallet({ signCount });
            const first = await wallet.login();
            expect(first.response.status).toBe(200);
            const again = await wallet.login({ challenge: first.challenge });
            expect(again.response.status).toBe(404);
        }
    });

    test("a login without user verification is refused", async () => {
        const { wallet, authenticator } = await registeredWallet();
        authenticator.setUserVerification(false);
        const { response } = await wallet.login();
        expect(response.status).toBe(404);
        expect(wallet.store.session).toBeNull();
        authenticator.setUserVerification(true);
        expect((await wallet.login()).response.status).toBe(200);
    });
});

describe("the wallet's SDK token refresh (useGetSafeSdkSession)", () => {
    /** An SDK token we issued eight days ago: authentic, lapsed. */
    async function lapsedSdkToken(address: string) {
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({ address, scopes: ["interaction"], sub: address })
            .setProtectedHeader({ alg: "HS256", typ: "JWT" })
            .setIssuer("frak.id")
            .setIssuedAt(now - 8 * 86_400)
            .setExpirationTime(now - 86_400)
            .sign(new TextEncoder().encode(sdkSecret));
        return { token, expires: (now - 86_400) * 1000 };
    }

    test("a lapsed token: the spent assertion is refused, the wallet session gets a new token", async () => {
        const { wallet } = await registeredWallet();
        const { response } = await wallet.login();
        const address = response.data?.address as string;
        wallet.store.sdkSession = await lapsedSdkToken(address);

        const { sdkSession, steps } = await wallet.getSafeSdkSession();
        expect(steps).toEqual([
            { step: "isValid", status: 200 }, // `{ isValid: false }`, not a 401 that logs out
            { step: "fromWebAuthNSignature", status: 403 }, // the login's spent assertion
            { step: "generate", status: 200 },
        ]);
        expect(wallet.store.sessionClears).toBe(0);
        const verified = await app.infra.tokens.verifySdk(sdkSession?.token);
        expect<string | undefined>(verified?.address).toBe(address);
        // The refreshed token is the one the wallet keeps, and it is valid.
        const again = await wallet.getSafeSdkSession();
        expect(again.steps).toEqual([{ step: "isValid", status: 200 }]);
        expect(again.sdkSession?.token).toBe(sdkSession?.token as string);
    });

    test("no stored token (a third-party frame): the same fallback", async () => {
        const { wallet } = await registeredWallet();
        await wallet.login();
        wallet.store.sdkSession = null;
        const { sdkSession, steps } = await wallet.getSafeSdkSession();
        expect(steps.map((s) => s.status)).toEqual([403, 200]);
        expect(sdkSession?.token).toBeString();
    });

    test("a forged SDK token is still 401 on isValid", async () => {
        const { wallet } = await registeredWallet();
        await wallet.login();
        const forged = await wallet.api.auth.sdk.isValid.get({
            headers: { "x-wallet-sdk-auth": `${wallet.store.sdkSession?.token}x` },
        });
        expect(forged.status).toBe(401);
    });
});
