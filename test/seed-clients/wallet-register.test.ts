/**
 * The seed wallet's registration (useRegister: ox's createCredential without a challenge, so
 * ox's fixed creation challenge, and `btoa(JSON.stringify(raw))` of the browser credential)
 * against our API over HTTP; and the replays that must stay refused.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { WebAuthnP256 } from "ox";
import { type Hex, toHex } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { unlimitedAuthEnv } from "../auth/helpers";
import { startTestApp, type TestApp } from "../support/test-app";
import { seedWallet } from "./seed-wallet";
import { type VirtualAuthenticator, virtualAuthenticator } from "./virtual-authenticator";

const oxCreationChallenge = "0x69abb4b5a0de4bc62a2a201f8d25bae9";
let app: TestApp;

beforeAll(async () => {
    app = await startTestApp({ env: unlimitedAuthEnv });
});
afterAll(async () => {
    await app?.stop();
});

const challengeOf = (raw: string) => {
    const credential = JSON.parse(atob(raw));
    const clientData = JSON.parse(
        Buffer.from(credential.response.clientDataJSON, "base64url").toString(),
    );
    return `0x${Buffer.from(clientData.challenge, "base64url").toString("hex")}`;
};

/** A /register body built as useRegister builds it, optionally over another challenge. */
async function registrationBody(authenticator: VirtualAuthenticator, challenge?: Hex) {
    const credential = await WebAuthnP256.createCredential({
        rp: { id: "localhost", name: "Frak wallet" },
        user: { name: "Frak Wallet-01-01-2026" },
        ...(challenge ? { challenge } : {}),
        createFn: authenticator.create as never,
    });
    return {
        id: credential.id,
        userAgent: "Mozilla/5.0",
        publicKey: {
            x: toHex(BigInt(credential.publicKey.x)),
            y: toHex(BigInt(credential.publicKey.y)),
            prefix: credential.publicKey.prefix,
        },
        raw: btoa(JSON.stringify(credential.raw)),
    };
}

describe("the wallet's registration", () => {
    test("registers with ox's fixed challenge and logs in right after", async () => {
        const wallet = seedWallet(app.url, { authenticator: virtualAuthenticator() });
        const { body, response } = await wallet.register();
        expect(challengeOf(body.raw)).toBe(oxCreationChallenge);
        expect(response.status).toBe(200);
        expect(response.data).toMatchObject({ type: "webauthn", authenticatorId: body.id });
        expect((await wallet.api.auth.session.get()).status).toBe(200);
        const login = await wallet.login({ lastAuthentication: { authenticatorId: body.id } });
        expect(login.response.data?.address).toBe(response.data?.address as `0x${string}`);
    });

    test("every user registers with the same constant: it is not a spent challenge", async () => {
        const addresses = new Set<string>();
        for (let i = 0; i < 3; i++) {
            const wallet = seedWallet(app.url, { authenticator: virtualAuthenticator() });
            const { response } = await wallet.register();
            expect(response.status).toBe(200);
            addresses.add(response.data?.address as string);
        }
        expect(addresses.size).toBe(3);
    });

    test("a replayed attestation is refused: 409 for the known credential", async () => {
        const wallet = seedWallet(app.url, { authenticator: virtualAuthenticator() });
        const { body, response } = await wallet.register();
        expect(response.status).toBe(200);
        // An outsider replays the captured body, as is and with other claims around it.
        const outsider = seedWallet(app.url, { authenticator: virtualAuthenticator() });
        for (const replayed of [body, { ...body, userAgent: "curl/8" }]) {
            const replay = await outsider.api.auth.register.post(replayed);
            expect(replay.status).toBe(409);
            expect(String(replay.error?.value)).toBe("Credential already exists");
        }
        expect(outsider.store.session).toBeNull();
    });

    test("the same attestation sent concurrently registers once", async () => {
        const authenticator = virtualAuthenticator();
        const wallet = seedWallet(app.url, { authenticator });
        const body = await registrationBody(authenticator);
        const responses = await Promise.all(
            Array.from({ length: 4 }, () => wallet.api.auth.register.post(body)),
        );
        expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    });

    test("the constant is for registration only: a login over it is refused", async () => {
        const wallet = seedWallet(app.url, { authenticator: virtualAuthenticator() });
        await wallet.register();
        const { response } = await wallet.login({ challenge: oxCreationChallenge });
        expect(response.status).toBe(404);
    });

    test("any other challenge we did not issue is refused at registration", async () => {
        const authenticator = virtualAuthenticator();
        const wallet = seedWallet(app.url, { authenticator });
        const response = await wallet.api.auth.register.post(
            await registrationBody(authenticator, generatePrivateKey()),
        );
        expect(response.status).toBe(400);
        expect(String(response.error?.value)).toBe("Registration failed");
    });

    test("an authenticator that cannot verify the user does not register", async () => {
        const wallet = seedWallet(app.url, {
            authenticator: virtualAuthenticator({ verifiesUser: false }),
        });
        const { response } = await wallet.register();
        expect(response.status).toBe(400);
    });
});
