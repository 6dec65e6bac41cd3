import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { SignJWT } from "jose";
import { sessionMacros } from "../../src/infrastructure/http";
import { businessSessionsTable } from "../../src/infrastructure/sessions";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

/** The app's own session macros, built as `createApp` builds them. */
const macrosOf = (infra: TestApp["infra"]) =>
    sessionMacros({
        tokens: infra.tokens,
        productRoles: infra.productRoles,
        legacyRawAddressAuth: infra.config.interactions.legacyRawAddressAuth,
    });

let server: TestApp;
const wallet = "0x1111111111111111111111111111111111111111";
const publicKey = { x: `0x${"01".repeat(32)}`, y: `0x${"02".repeat(32)}` } as const;

beforeAll(async () => {
    server = await startTestApp({
        placeholderRoutes: (infra) =>
            new Elysia()
                .use(macrosOf(infra))
                .get("/test/wallet", ({ walletSession }) => walletSession.address, {
                    withWalletAuthent: true,
                })
                .get("/test/sdk", ({ walletSdkSession }) => walletSdkSession.address, {
                    withWalletSdkAuthent: true,
                })
                .get("/test/business", ({ businessSession }) => businessSession.wallet, {
                    withBusinessAuthent: true,
                })
                .get(
                    "/test/business-optional",
                    ({ businessSession }) => ({ wallet: businessSession?.wallet ?? null }),
                    { withBusinessSession: true },
                )
                // A wiring mistake: a role check with no session macro before it.
                .get("/test/product/:productId/unwired-role", () => "reached", {
                    withProductRole: "interactionManager",
                }),
    });
});
afterAll(() => server.stop());

/** A business session row as `signBusiness` records it, for tokens signed by hand. */
async function recordBusinessSession(app: TestApp, jti: string) {
    await app.infra.database.db.insert(businessSessionsTable).values({
        jti,
        wallet,
        expiresAt: new Date(Date.now() + 600_000),
    });
}

const get = (path: string, headers: Record<string, string> = {}) =>
    server.request(path, { headers });

async function signWith(secret: string, claims: Record<string, unknown>, exp?: number) {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt();
    if (exp !== undefined) jwt.setExpirationTime(exp);
    return jwt.sign(new TextEncoder().encode(secret));
}

type Kind = { path: string; header: string; secret: () => string; claims: () => object };
const kinds: Record<string, Kind> = {
    wallet: {
        path: "/test/wallet",
        header: "x-wallet-auth",
        secret: () => server.infra.secrets.jwtWallet,
        claims: () => ({ type: "webauthn", address: wallet, authenticatorId: "cred", publicKey }),
    },
    sdk: {
        path: "/test/sdk",
        header: "x-wallet-sdk-auth",
        secret: () => server.infra.secrets.jwtSdk,
        claims: () => ({ address: wallet, scopes: ["interaction"] }),
    },
    business: {
        path: "/test/business",
        header: "x-business-auth",
        secret: () => server.infra.secrets.jwtBusiness,
        claims: () => ({ wallet }),
    },
};

describe.each(Object.keys(kinds))("%s JWT", (name) => {
    const kind = () => kinds[name] as Kind;
    const expectUnauthorized = async (response: Response) => {
        expect(response.status).toBe(401);
        expect(await readJson(response)).toEqual({
            error: "unauthorized",
            message: "Unauthorized",
        });
    };

    test("missing", async () => {
        await expectUnauthorized(await get(kind().path));
    });
    test("malformed", async () => {
        await expectUnauthorized(await get(kind().path, { [kind().header]: "not.a.jwt" }));
    });
    test("signed with another secret", async () => {
        const token = await signWith(
            "x".repeat(40),
            {
                ...kind().claims(),
                iss: "frak.id",
            },
            Math.floor(Date.now() / 1000) + 60,
        );
        await expectUnauthorized(await get(kind().path, { [kind().header]: token }));
    });
    test("expired", async () => {
        const token = await signWith(
            kind().secret(),
            {
                ...kind().claims(),
                iss: "frak.id",
            },
            Math.floor(Date.now() / 1000) - 10,
        );
        await expectUnauthorized(await get(kind().path, { [kind().header]: token }));
    });
    test("wrong issuer", async () => {
        const token = await signWith(
            kind().secret(),
            {
                ...kind().claims(),
                iss: "someone.else",
            },
            Math.floor(Date.now() / 1000) + 60,
        );
        await expectUnauthorized(await get(kind().path, { [kind().header]: token }));
    });
    test("wrong claim shape", async () => {
        const token = await signWith(
            kind().secret(),
            {
                iss: "frak.id",
                address: "not-an-address",
                wallet: 42,
            },
            Math.floor(Date.now() / 1000) + 60,
        );
        await expectUnauthorized(await get(kind().path, { [kind().header]: token }));
    });
    test("a token of another kind is refused", async () => {
        const other = Object.values(kinds).find((k) => k !== kind()) as Kind;
        const token = await signWith(
            other.secret(),
            {
                ...other.claims(),
                iss: "frak.id",
            },
            Math.floor(Date.now() / 1000) + 60,
        );
        await expectUnauthorized(await get(kind().path, { [kind().header]: token }));
    });
});

describe("issued tokens", () => {
    test("a wallet JWT we issue works until it is revoked", async () => {
        const { token, expiresAt } = await server.infra.tokens.signWallet({
            type: "webauthn",
            address: wallet,
            authenticatorId: "cred",
            publicKey,
        });
        expect(expiresAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);
        const ok = await get("/test/wallet", { "x-wallet-auth": token });
        expect(ok.status).toBe(200);
        expect(await ok.text()).toBe(wallet);

        expect(await server.infra.tokens.revokeWallet(token)).toBe(true);
        expect((await get("/test/wallet", { "x-wallet-auth": token })).status).toBe(401);
        expect(await server.infra.tokens.revokeWallet(token)).toBe(false);
    });

    test("a validly signed wallet JWT that we never recorded is refused", async () => {
        const token = await signWith(
            server.infra.secrets.jwtWallet,
            {
                ...kinds.wallet?.claims(),
                iss: "frak.id",
                jti: crypto.randomUUID(),
            },
            Math.floor(Date.now() / 1000) + 60,
        );
        expect((await get("/test/wallet", { "x-wallet-auth": token })).status).toBe(401);
    });

    test("seed-era wallet JWTs (no exp, iat in ms) are refused unless enabled", async () => {
        const legacy = await new SignJWT({ ...kinds.wallet?.claims(), iss: "frak.id" })
            .setProtectedHeader({ alg: "HS256" })
            .setIssuedAt(Date.now())
            .sign(new TextEncoder().encode(server.infra.secrets.jwtWallet));
        expect((await get("/test/wallet", { "x-wallet-auth": legacy })).status).toBe(401);
    });

    test("SDK and business tokens we issue are accepted, with iat in ms tolerated", async () => {
        const sdk = await server.infra.tokens.signSdk(wallet);
        expect(sdk.expires).toBeGreaterThan(Date.now() + 6 * 86_400_000);
        expect((await get("/test/sdk", { "x-wallet-sdk-auth": sdk.token })).status).toBe(200);

        const business = await server.infra.tokens.signBusiness(wallet);
        expect((await get("/test/business", { "x-business-auth": business.token })).status).toBe(
            200,
        );
        // iat in milliseconds, as the seed wrote it, on a session we recorded.
        const jti = crypto.randomUUID();
        await recordBusinessSession(server, jti);
        const seedStyle = await new SignJWT({ wallet, iss: "frak.id" })
            .setProtectedHeader({ alg: "HS256" })
            .setIssuedAt(Date.now())
            .setJti(jti)
            .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
            .sign(new TextEncoder().encode(server.infra.secrets.jwtBusiness));
        expect((await get("/test/business", { "x-business-auth": seedStyle })).status).toBe(200);
    });

    test("a validly signed business JWT without a recorded jti is refused (it could not be revoked)", async () => {
        const exp = Math.floor(Date.now() / 1000) + 600;
        const secret = server.infra.secrets.jwtBusiness;
        const withoutJti = await signWith(secret, { wallet, iss: "frak.id" }, exp);
        expect((await get("/test/business", { "x-business-auth": withoutJti })).status).toBe(401);
        const unrecorded = await signWith(
            secret,
            { wallet, iss: "frak.id", jti: crypto.randomUUID() },
            exp,
        );
        expect((await get("/test/business", { "x-business-auth": unrecorded })).status).toBe(401);
    });

    test("the optional business session resolves to null instead of rejecting", async () => {
        expect(await readJson(await get("/test/business-optional"))).toEqual({ wallet: null });
        const business = await server.infra.tokens.signBusiness(wallet);
        const response = await get("/test/business-optional", {
            "x-business-auth": business.token,
        });
        expect(await readJson(response)).toEqual({ wallet });
    });
});

describe("secret rotation", () => {
    test("tokens signed with the previous secret stay valid; unknown secrets do not", async () => {
        const previous = "p".repeat(40);
        const rotated = await startTestApp({
            env: {
                JWT_BUSINESS_SECRET: "n".repeat(40),
                JWT_BUSINESS_SECRET_PREVIOUS: previous,
            },
            placeholderRoutes: (infra) =>
                new Elysia()
                    .use(macrosOf(infra))
                    .get("/test/business", ({ businessSession }) => businessSession.wallet, {
                        withBusinessAuthent: true,
                    }),
        });
        try {
            const exp = Math.floor(Date.now() / 1000) + 60;
            const call = (token: string) =>
                rotated.request("/test/business", { headers: { "x-business-auth": token } });
            const jti = crypto.randomUUID();
            await recordBusinessSession(rotated, jti);
            const old = await signWith(previous, { wallet, iss: "frak.id", jti }, exp);
            expect((await call(old)).status).toBe(200);
            const fresh = await rotated.infra.tokens.signBusiness(wallet);
            expect((await call(fresh.token)).status).toBe(200);
            const foreign = await signWith("f".repeat(40), { wallet, iss: "frak.id", jti }, exp);
            expect((await call(foreign)).status).toBe(401);
        } finally {
            await rotated.stop();
        }
    });
});

describe("role macros", () => {
    test("a role check without a session macro before it fails loudly, never passes", async () => {
        const { token } = await server.infra.tokens.signBusiness(wallet);
        const response = await get("/test/product/0x01/unwired-role", {
            "x-business-auth": token,
            accept: "application/json",
        });
        expect(response.status).toBe(500);
        expect(await response.text()).not.toContain("reached");
    });
});
