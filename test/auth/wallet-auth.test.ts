import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ecdsaLoginMessage } from "../../src/domain/auth";
import { ecdsaWalletAddress, webAuthnWalletAddress } from "../../src/infrastructure/blockchain";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { authClient, unlimitedAuthEnv } from "./helpers";
import { type SoftwarePasskey, softwarePasskey } from "./software-passkey";

let app: TestApp;
let client: ReturnType<typeof authClient>;

beforeAll(async () => {
    app = await startTestApp({ env: unlimitedAuthEnv });
    client = authClient(app);
});
afterAll(async () => {
    await app?.stop();
});

async function register(
    passkey: SoftwarePasskey,
    extra: Record<string, unknown> = {},
    headers = {},
) {
    return client.post(
        "/wallet/auth/register",
        passkey.registration(await client.challenge(), extra),
        headers,
    );
}

async function registered(): Promise<{ passkey: SoftwarePasskey; token: string; address: Hex }> {
    const passkey = softwarePasskey();
    const response = await register(passkey);
    expect(response.status).toBe(200);
    const body = await readJson(response);
    return { passkey, token: body.token, address: body.address };
}

describe("POST /wallet/auth/challenge", () => {
    test("32 random bytes as hex, valid 5 minutes", async () => {
        const before = Date.now();
        const response = await app.request("/wallet/auth/challenge", { method: "POST" });
        expect(response.status).toBe(200);
        const body = await readJson(response);
        expect(body.challenge).toMatch(/^0x[0-9a-f]{64}$/);
        expect(body.expiresAt).toBeGreaterThanOrEqual(before + 5 * 60_000 - 1_000);
        expect(body.expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
        expect(body.challenge).not.toBe(await client.challenge());
    });
});

describe("POST /wallet/auth/register", () => {
    test("registers a passkey: its counterfactual wallet, a wallet JWT and an SDK JWT", async () => {
        const passkey = softwarePasskey();
        const response = await register(passkey);
        expect(response.status).toBe(200);
        const body = await readJson(response);
        expect(body).toMatchObject({
            type: "webauthn",
            authenticatorId: passkey.id,
            publicKey: { x: passkey.x, y: passkey.y },
            transports: ["internal"],
            address: webAuthnWalletAddress({
                walletFactory: app.infra.chain.deployment.walletFactory,
                credentialId: passkey.id,
                x: passkey.x,
                y: passkey.y,
            }),
        });
        expect(body.sdkJwt.expires).toBeGreaterThan(Date.now());
        const session = await client.get("/wallet/auth/session", { "x-wallet-auth": body.token });
        expect((await readJson(session)).address).toBe(body.address);
    });

    test("a challenge we did not issue, or one already used, is refused", async () => {
        const passkey = softwarePasskey();
        const forged = `0x${"ab".repeat(32)}` as Hex;
        const response = await client.post("/wallet/auth/register", passkey.registration(forged));
        expect(response.status).toBe(400);
        expect(await readJson(response)).toEqual({
            error: "registration_failed",
            message: "Registration failed",
        });
        const challenge = await client.challenge();
        expect(
            (await client.post("/wallet/auth/register", passkey.registration(challenge))).status,
        ).toBe(200);
        const other = softwarePasskey();
        const replay = await client.post("/wallet/auth/register", other.registration(challenge));
        expect(replay.status).toBe(400);
    });

    test("the body's public key must be the attested key", async () => {
        const passkey = softwarePasskey();
        const other = softwarePasskey();
        const body = passkey.registration(await client.challenge(), {
            publicKey: { x: other.x, y: other.y, prefix: 4 },
        });
        const response = await client.post("/wallet/auth/register", body);
        expect(response.status).toBe(400);
        expect((await readJson(response)).error).toBe("public_key_mismatch");
    });

    test("origin and RP id outside the allow-lists are refused; user presence is required", async () => {
        for (const overrides of [
            { origin: "https://evil.example" },
            { rpId: "evil.example" },
            { flags: 0x44 }, // AT | UV, no UP
        ]) {
            const passkey = softwarePasskey();
            const raw = passkey.registrationRaw(await client.challenge(), overrides);
            const response = await client.post("/wallet/auth/register", {
                ...passkey.registration(await client.challenge()),
                raw,
            });
            expect(response.status).toBe(400);
        }
    });

    test("a credential registered twice gives 409", async () => {
        const { passkey } = await registered();
        const response = await register(passkey);
        expect(response.status).toBe(409);
        expect((await readJson(response)).error).toBe("credential_exists");
    });

    test("malformed raw, mismatching id: 400; missing fields: 422", async () => {
        const passkey = softwarePasskey();
        const challenge = await client.challenge();
        const bad = await client.post("/wallet/auth/register", {
            ...passkey.registration(challenge),
            raw: "not base64 json",
        });
        expect(bad.status).toBe(400);
        const wrongId = await client.post("/wallet/auth/register", {
            ...passkey.registration(challenge),
            id: "another-id",
        });
        expect(wrongId.status).toBe(400);
        const missing = await client.post("/wallet/auth/register", { id: passkey.id });
        expect(missing.status).toBe(422);
    });

    test("previousWallet needs a wallet JWT of that same wallet", async () => {
        const first = await registered();
        const stranger = await registered();
        const passkey = softwarePasskey();
        const extra = { previousWallet: first.address };
        expect((await register(passkey, extra)).status).toBe(401);
        expect((await register(passkey, extra, { "x-wallet-auth": stranger.token })).status).toBe(
            403,
        );
        const attached = await register(passkey, extra, { "x-wallet-auth": first.token });
        expect(attached.status).toBe(200);
        expect((await readJson(attached)).address).toBe(first.address);
        // The attached passkey logs in to the previous wallet.
        const challenge = await client.challenge();
        const login = await client.post("/wallet/auth/login", {
            expectedChallenge: challenge,
            authenticatorResponse: passkey.oxAssertion(challenge),
        });
        expect(login.status).toBe(200);
        expect((await readJson(login)).address).toBe(first.address);
    });
});

async function login(passkey: SoftwarePasskey, format: "ox" | "standard" = "ox", overrides = {}) {
    const challenge = await client.challenge();
    const authenticatorResponse =
        format === "ox"
            ? passkey.oxAssertion(challenge, overrides)
            : passkey.standardAssertion(challenge, overrides);
    const body = { expectedChallenge: challenge, authenticatorResponse };
    return { response: await client.post("/wallet/auth/login", body), body };
}

describe("POST /wallet/auth/login", () => {
    test("logs in with the seed's compressed format and with a standard assertion", async () => {
        const { passkey, address } = await registered();
        for (const format of ["ox", "standard"] as const) {
            const { response } = await login(passkey, format);
            expect(response.status).toBe(200);
            const body = await readJson(response);
            expect(body).toMatchObject({
                type: "webauthn",
                address,
                authenticatorId: passkey.id,
                publicKey: { x: passkey.x, y: passkey.y },
            });
            const sdk = await client.get("/wallet/auth/sdk/generate", {
                "x-wallet-auth": body.token,
            });
            expect(sdk.status).toBe(200);
        }
    });

    test("r and s may be hex with a leading zero byte or decimal strings", async () => {
        const { passkey } = await registered();
        for (const scalars of ["padded", "decimal"] as const) {
            const challenge = await client.challenge();
            const response = await client.post("/wallet/auth/login", {
                expectedChallenge: challenge,
                authenticatorResponse: passkey.oxAssertion(challenge, {}, scalars),
            });
            expect(response.status).toBe(200);
        }
    });

    test("a replayed login body fails", async () => {
        const { passkey } = await registered();
        const { response, body } = await login(passkey);
        expect(response.status).toBe(200);
        const replay = await client.post("/wallet/auth/login", body);
        expect(replay.status).toBe(404);
        expect(await readJson(replay)).toEqual({
            error: "invalid_signature",
            message: "Invalid signature",
        });
    });

    test("a signature over another challenge fails", async () => {
        const { passkey } = await registered();
        const issued = await client.challenge();
        const other = await client.challenge();
        const mismatch = await client.post("/wallet/auth/login", {
            expectedChallenge: issued,
            authenticatorResponse: passkey.oxAssertion(other),
        });
        expect(mismatch.status).toBe(404);
    });

    test("a client-generated challenge logs in once; a new signature over it is refused too", async () => {
        const { passkey, address } = await registered();
        const challenge = generatePrivateKey(); // what the seed's wallet signs
        const first = await client.post("/wallet/auth/login", {
            expectedChallenge: challenge,
            authenticatorResponse: passkey.oxAssertion(challenge),
        });
        expect(first.status).toBe(200);
        expect((await readJson(first)).address).toBe(address);
        // The challenge is spent, not just the body: a fresh assertion (higher counter) over it
        // fails, in either format, and so does the upper-case spelling of the same bytes.
        for (const authenticatorResponse of [
            passkey.oxAssertion(challenge),
            passkey.standardAssertion(challenge),
        ]) {
            const again = await client.post("/wallet/auth/login", {
                expectedChallenge: challenge,
                authenticatorResponse,
            });
            expect(again.status).toBe(404);
        }
        const upper = await client.post("/wallet/auth/login", {
            expectedChallenge: `0x${challenge.slice(2).toUpperCase()}`,
            authenticatorResponse: passkey.oxAssertion(challenge),
        });
        expect(upper.status).toBe(404);
    });

    test("a challenge that is not 32 bytes (e.g. ox's registration constant) is refused", async () => {
        const { passkey } = await registered();
        for (const challenge of ["0x69abb4b5a0de4bc62a2a201f8d25bae9", "0x1234"] as Hex[]) {
            const response = await client.post("/wallet/auth/login", {
                expectedChallenge: challenge,
                authenticatorResponse: passkey.oxAssertion(challenge),
            });
            expect(response.status).toBe(404);
        }
    });

    test("user verification is required, whatever the client claims", async () => {
        const { passkey } = await registered();
        // User present only (0x01): a standard assertion, and an ox one claiming UV is optional.
        expect((await login(passkey, "standard", { flags: 0x01 })).response.status).toBe(404);
        const challenge = await client.challenge();
        const ox = JSON.parse(
            Buffer.from(passkey.oxAssertion(challenge, { flags: 0x01 }), "base64").toString(),
        );
        ox.response.metadata.userVerificationRequired = false;
        const claimed = await client.post("/wallet/auth/login", {
            expectedChallenge: challenge,
            authenticatorResponse: Buffer.from(JSON.stringify(ox)).toString("base64"),
        });
        expect(claimed.status).toBe(404);
        const sdkChallenge = generatePrivateKey();
        const sdk = await client.post("/wallet/auth/sdk/fromWebAuthNSignature", {
            challenge: sdkChallenge,
            signature: passkey.standardAssertion(sdkChallenge, { flags: 0x01 }),
            wallet: await addressOf(passkey),
        });
        expect(sdk.status).toBe(403);
        // The same authenticator with UV logs in.
        expect((await login(passkey, "standard")).response.status).toBe(200);
    });

    test("the counter is stored; one that does not increase (a clone) is refused", async () => {
        const { passkey } = await registered();
        expect((await login(passkey, "ox", { counter: 10 })).response.status).toBe(200);
        expect(
            (await app.domains.auth.authenticatorsOfWallet(await addressOf(passkey)))[0]?.counter,
        ).toBe(10);
        expect((await login(passkey, "ox", { counter: 7 })).response.status).toBe(404);
        expect((await login(passkey, "ox", { counter: 10 })).response.status).toBe(404);
        expect((await login(passkey, "standard", { counter: 11 })).response.status).toBe(200);
    });

    test("another key, unknown credential, wrong origin or RP id, no user presence: 404", async () => {
        const { passkey } = await registered();
        const impostor = softwarePasskey();
        // Same credential id, another key: the signature does not verify.
        const challenge = await client.challenge();
        const forgedBody = JSON.parse(
            Buffer.from(impostor.oxAssertion(challenge), "base64").toString(),
        );
        forgedBody.id = passkey.id;
        const forged = await client.post("/wallet/auth/login", {
            expectedChallenge: challenge,
            authenticatorResponse: Buffer.from(JSON.stringify(forgedBody)).toString("base64"),
        });
        expect(forged.status).toBe(404);
        expect((await login(impostor)).response.status).toBe(404);
        expect(
            (await login(passkey, "ox", { origin: "https://evil.example" })).response.status,
        ).toBe(404);
        expect((await login(passkey, "ox", { rpId: "evil.example" })).response.status).toBe(404);
        expect((await login(passkey, "ox", { flags: 0x00 })).response.status).toBe(404);
        const garbage = await client.post("/wallet/auth/login", {
            expectedChallenge: await client.challenge(),
            authenticatorResponse: "bm90IGpzb24=",
        });
        expect(garbage.status).toBe(404);
        const invalid = await client.post("/wallet/auth/login", { expectedChallenge: "nothex" });
        expect(invalid.status).toBe(422);
    });

    test("two concurrent uses of one challenge: exactly one succeeds", async () => {
        const { passkey } = await registered();
        const challenge = await client.challenge();
        // Same counter in both: the point is the challenge, consumed atomically.
        const bodies = [
            passkey.oxAssertion(challenge, { counter: 50 }),
            passkey.standardAssertion(challenge, { counter: 51 }),
        ];
        const responses = await Promise.all(
            bodies.map((authenticatorResponse) =>
                client.post("/wallet/auth/login", {
                    expectedChallenge: challenge,
                    authenticatorResponse,
                }),
            ),
        );
        expect(responses.map((r) => r.status).sort()).toEqual([200, 404]);
    });
});

async function addressOf(passkey: SoftwarePasskey) {
    return webAuthnWalletAddress({
        walletFactory: app.infra.chain.deployment.walletFactory,
        credentialId: passkey.id,
        x: passkey.x,
        y: passkey.y,
    });
}

describe("POST /wallet/auth/ecdsaLogin", () => {
    test("an EOA signs the seed's text over an issued challenge", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const challenge = await client.challenge();
        const signature = await account.signMessage({ message: ecdsaLoginMessage(challenge) });
        const body = {
            expectedChallenge: challenge,
            wallet: account.address,
            signature,
            demoPkey: "0x1234",
        };
        const response = await client.post("/wallet/auth/ecdsaLogin", body);
        expect(response.status).toBe(200);
        const auth = await readJson(response);
        expect(auth).toMatchObject({
            type: "ecdsa",
            address: ecdsaWalletAddress({
                walletFactory: app.infra.chain.deployment.walletFactory,
                owner: account.address,
            }),
            authenticatorId: `ecdsa-${account.address}`,
            publicKey: account.address,
        });
        const sdk = await app.infra.tokens.verifySdk(auth.sdkJwt.token);
        expect(sdk?.additionalData?.demoPkey).toBe("0x1234");
        expect(
            (await client.get("/wallet/auth/sdk/generate", { "x-wallet-auth": auth.token })).status,
        ).toBe(200);
        // Replay, another signer, an unissued challenge: 404 Invalid signature.
        expect((await client.post("/wallet/auth/ecdsaLogin", body)).status).toBe(404);
        const fresh = await client.challenge();
        const other = privateKeyToAccount(generatePrivateKey());
        const wrongSigner = await client.post("/wallet/auth/ecdsaLogin", {
            expectedChallenge: fresh,
            wallet: account.address,
            signature: await other.signMessage({ message: ecdsaLoginMessage(fresh) }),
        });
        expect(wrongSigner.status).toBe(404);
        // A challenge that is not 32 bytes of hex: 404 Invalid signature.
        const short = "0x1234";
        const malformed = await client.post("/wallet/auth/ecdsaLogin", {
            expectedChallenge: short,
            wallet: account.address,
            signature: await account.signMessage({ message: ecdsaLoginMessage(short) }),
        });
        expect(malformed.status).toBe(404);
        expect(await readJson(malformed)).toEqual({
            error: "invalid_signature",
            message: "Invalid signature",
        });
    });

    test("a client-generated challenge is accepted once", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const challenge = generatePrivateKey();
        const sign = async () => ({
            expectedChallenge: challenge,
            wallet: account.address,
            signature: await account.signMessage({ message: ecdsaLoginMessage(challenge) }),
        });
        expect((await client.post("/wallet/auth/ecdsaLogin", await sign())).status).toBe(200);
        expect((await client.post("/wallet/auth/ecdsaLogin", await sign())).status).toBe(404);
        // A challenge spent by an ECDSA login cannot be reused by a passkey login either.
        const { passkey } = await registered();
        const crossed = await client.post("/wallet/auth/login", {
            expectedChallenge: challenge,
            authenticatorResponse: passkey.oxAssertion(challenge),
        });
        expect(crossed.status).toBe(404);
    });
});

describe("SDK tokens", () => {
    test("sdk/generate and sdk/isValid need their tokens (401)", async () => {
        expect((await client.get("/wallet/auth/sdk/generate")).status).toBe(401);
        expect((await client.get("/wallet/auth/sdk/isValid")).status).toBe(401);
        const { token } = await registered();
        const generated = await readJson(
            await client.get("/wallet/auth/sdk/generate", { "x-wallet-auth": token }),
        );
        // A wallet JWT is not an SDK JWT, and vice versa.
        expect(
            (await client.get("/wallet/auth/sdk/isValid", { "x-wallet-sdk-auth": token })).status,
        ).toBe(401);
        expect(
            (await client.get("/wallet/auth/sdk/generate", { "x-wallet-auth": generated.token }))
                .status,
        ).toBe(401);
        const valid = await client.get("/wallet/auth/sdk/isValid", {
            "x-wallet-sdk-auth": generated.token,
        });
        expect(await readJson(valid)).toEqual({ isValid: true });
    });

    test("sdk/fromWebAuthNSignature: a token for the passkey's wallet, 403 otherwise", async () => {
        const { passkey, address } = await registered();
        const challenge = await client.challenge();
        const body = { challenge, signature: passkey.oxAssertion(challenge), wallet: address };
        const response = await client.post("/wallet/auth/sdk/fromWebAuthNSignature", body);
        expect(response.status).toBe(200);
        const sdk = await app.infra.tokens.verifySdk((await readJson(response)).token);
        expect(sdk?.address).toBe(address);
        const replay = await client.post("/wallet/auth/sdk/fromWebAuthNSignature", body);
        expect(replay.status).toBe(403);
        expect(await readJson(replay)).toEqual({
            error: "invalid_signature",
            message: "Invalid signature",
        });
        const other = await client.challenge();
        const wrongWallet = await client.post("/wallet/auth/sdk/fromWebAuthNSignature", {
            challenge: other,
            signature: passkey.oxAssertion(other),
            wallet: privateKeyToAccount(generatePrivateKey()).address,
        });
        expect(wrongWallet.status).toBe(403);
    });
});

describe("session, logout, routing", () => {
    test("/auth/session: 404 without or with a bad token; claims otherwise", async () => {
        const none = await client.get("/wallet/auth/session");
        expect(none.status).toBe(404);
        expect(await readJson(none)).toEqual({
            error: "no_wallet_session",
            message: "No wallet session found",
        });
        const bad = await client.get("/wallet/auth/session", { "x-wallet-auth": "abc" });
        expect(bad.status).toBe(404);
        expect(await readJson(bad)).toEqual({
            error: "invalid_wallet_session",
            message: "Invalid wallet session",
        });
        const { token, address, passkey } = await registered();
        const session = await readJson(
            await client.get("/wallet/auth/session", { "x-wallet-auth": token }),
        );
        expect(session).toEqual({
            token,
            type: "webauthn",
            address,
            authenticatorId: passkey.id,
            publicKey: { x: passkey.x, y: passkey.y },
            transports: ["internal"],
        });
    });

    test("/auth/session keeps pairingId of a distant-webauthn session", async () => {
        const { address, passkey } = await registered();
        const { token } = await app.infra.tokens.signWallet({
            type: "distant-webauthn",
            address,
            authenticatorId: passkey.id,
            publicKey: { x: passkey.x, y: passkey.y },
            pairingId: "pairing-1",
        });
        const session = await readJson(
            await client.get("/wallet/auth/session", { "x-wallet-auth": token }),
        );
        expect(session).toMatchObject({ type: "distant-webauthn", pairingId: "pairing-1" });
    });

    test("logout revokes the wallet session and clears the businessAuth cookie", async () => {
        const { token } = await registered();
        expect(
            (await client.get("/wallet/auth/sdk/generate", { "x-wallet-auth": token })).status,
        ).toBe(200);
        const response = await client.post("/wallet/auth/logout", undefined, {
            "x-wallet-auth": token,
            cookie: "businessAuth=abc",
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("set-cookie")).toContain("businessAuth=;");
        expect(response.headers.get("set-cookie")).toContain("Max-Age=0");
        expect(
            (await client.get("/wallet/auth/sdk/generate", { "x-wallet-auth": token })).status,
        ).toBe(401);
        // A revoked session is 401 there too (an invalid or missing one stays the seed's 404).
        expect((await client.get("/wallet/auth/session", { "x-wallet-auth": token })).status).toBe(
            401,
        );
        const anonymous = await client.post("/wallet/auth/logout");
        expect(anonymous.status).toBe(200);
        expect(anonymous.headers.get("set-cookie")).toBeNull();
    });

    test("/auth/routing answers evm; 422 without origin", async () => {
        const response = await client.get("/wallet/auth/routing?origin=https://shop.example");
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("evm");
        expect((await client.get("/wallet/auth/routing")).status).toBe(422);
    });
});

describe("WEBAUTHN_USER_VERIFICATION=preferred", () => {
    let relaxed: TestApp;
    beforeAll(async () => {
        relaxed = await startTestApp({
            env: { ...unlimitedAuthEnv, WEBAUTHN_USER_VERIFICATION: "preferred" },
        });
    });
    afterAll(async () => {
        await relaxed?.stop();
    });

    test("an authenticator that only tests presence registers and logs in", async () => {
        const relaxedClient = authClient(relaxed);
        const passkey = softwarePasskey();
        const challenge = await relaxedClient.challenge();
        const registration = await relaxedClient.post("/wallet/auth/register", {
            ...passkey.registration(challenge),
            raw: passkey.registrationRaw(challenge, { flags: 0x41 }), // UP | AT, no UV
        });
        expect(registration.status).toBe(200);
        const loginChallenge = generatePrivateKey();
        const response = await relaxedClient.post("/wallet/auth/login", {
            expectedChallenge: loginChallenge,
            authenticatorResponse: passkey.standardAssertion(loginChallenge, { flags: 0x01 }),
        });
        expect(response.status).toBe(200);
        // Presence stays required.
        const absent = generatePrivateKey();
        const noPresence = await relaxedClient.post("/wallet/auth/login", {
            expectedChallenge: absent,
            authenticatorResponse: passkey.standardAssertion(absent, { flags: 0x04 }),
        });
        expect(noPresence.status).toBe(404);
    });

    test("by default the same registration is refused", async () => {
        const passkey = softwarePasskey();
        const challenge = await client.challenge();
        const registration = await client.post("/wallet/auth/register", {
            ...passkey.registration(challenge),
            raw: passkey.registrationRaw(challenge, { flags: 0x41 }),
        });
        expect(registration.status).toBe(400);
    });
});
