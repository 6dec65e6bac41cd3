/**
 * The seed dashboard's SIWE login (the SDK's own nonce, the page's host as domain) against our
 * API over HTTP, on the seed's local dashboard (port 3022) and its production host; and the
 * attacks each rule refuses: the same message twice, a message signed on another website
 * replayed with a forged Origin, another chain, a stale message.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { authClient, unlimitedAuthEnv } from "../auth/helpers";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { seedDashboard } from "./seed-dashboard";

let app: TestApp;
const localDashboard = { origin: "http://localhost:3022" };

beforeAll(async () => {
    app = await startTestApp({ env: unlimitedAuthEnv });
});
afterAll(async () => {
    await app?.stop();
});

const chainId = () => app.infra.chain.clients.chain.id;
const merchant = () => privateKeyToAccount(generatePrivateKey());

/** What a server-side caller can send: any body, any Origin (asking for JSON errors). */
const postLogin = (body: unknown, origin: string) =>
    app.request("/business/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", origin },
        body: JSON.stringify(body),
    });

describe("the dashboard's SIWE login", () => {
    test("signs in with the SDK's nonce: a business session for the signer", async () => {
        const dashboard = seedDashboard(app.url, localDashboard);
        const signer = merchant();
        const response = await dashboard.login(await dashboard.signIn(signer, chainId()));
        expect(response.status).toBe(200);
        expect(response.data?.wallet).toBe(signer.address);
        const session = await app.infra.tokens.verifyBusiness(dashboard.store.token);
        expect(session?.wallet).toBe(signer.address);
    });

    test("a nonce from GET /business/auth/nonce keeps working", async () => {
        const dashboard = seedDashboard(app.url, localDashboard);
        const nonce = await authClient(app).nonce();
        const response = await dashboard.login(
            await dashboard.signIn(merchant(), chainId(), { nonce }),
        );
        expect(response.status).toBe(200);
    });

    test("the same SIWE message twice, or concurrently: one session", async () => {
        const dashboard = seedDashboard(app.url, localDashboard);
        const siwe = await dashboard.signIn(merchant(), chainId());
        expect((await dashboard.login(siwe)).status).toBe(200);
        const replay = await dashboard.login(siwe);
        expect(replay.status).toBe(401);
        expect(String(replay.error?.value)).toBe("The SIWE nonce was already used");

        const fresh = await dashboard.signIn(merchant(), chainId());
        const responses = await Promise.all(
            Array.from({ length: 4 }, () => postLogin(fresh, localDashboard.origin)),
        );
        expect(responses.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
    });

    test("a message signed on another website, replayed with its Origin, is refused", async () => {
        const signer = merchant();
        const phishing = seedDashboard(app.url, { origin: "https://evil-dapp.example" });
        // With the SDK's nonce and with one fetched from us by the phishing site.
        for (const nonce of [undefined, await authClient(app).nonce()]) {
            const siwe = await phishing.signIn(signer, chainId(), nonce ? { nonce } : {});
            const response = await postLogin(siwe, "https://evil-dapp.example");
            expect(response.status).toBe(401);
            expect((await readJson(response)).error).toBe("siwe_domain_not_allowed");
        }
        // Our dashboard's domain with a uri on the other site is refused as well.
        const dashboard = seedDashboard(app.url, localDashboard);
        const mixed = await dashboard.signIn(signer, chainId(), {
            uri: "https://evil-dapp.example/login",
        });
        expect((await readJson(await postLogin(mixed, localDashboard.origin))).error).toBe(
            "siwe_uri_not_allowed",
        );
    });

    test("a message for another chain is refused", async () => {
        const dashboard = seedDashboard(app.url, localDashboard);
        for (const otherChain of [1, 42161]) {
            const response = await dashboard.login(await dashboard.signIn(merchant(), otherChain));
            expect(response.status).toBe(401);
            expect(String(response.error?.value)).toBe(`The SIWE chainId must be ${chainId()}`);
        }
    });

    test("a message signed more than 10 minutes ago is refused, one-week expiry or not", async () => {
        const dashboard = seedDashboard(app.url, localDashboard);
        const response = await dashboard.login(
            await dashboard.signIn(merchant(), chainId(), {
                issuedAt: new Date(Date.now() - 11 * 60_000),
            }),
        );
        expect(response.status).toBe(401);
        expect(String(response.error?.value)).toBe(
            "The SIWE message must have been issued within the last 10 minutes",
        );
    });
});

describe("BUSINESS_SIWE_DOMAINS: the seed's production dashboard host", () => {
    let production: TestApp;
    beforeAll(async () => {
        production = await startTestApp({
            env: { ...unlimitedAuthEnv, BUSINESS_SIWE_DOMAINS: "business.frak.id" },
        });
    });
    afterAll(async () => {
        await production?.stop();
    });

    test("business.frak.id signs in; a localhost dashboard does not", async () => {
        const id = production.infra.chain.clients.chain.id;
        const hosted = seedDashboard(production.url, { origin: "https://business.frak.id" });
        expect((await hosted.login(await hosted.signIn(merchant(), id))).status).toBe(200);
        const local = seedDashboard(production.url, localDashboard);
        const refused = await local.login(await local.signIn(merchant(), id));
        expect(refused.status).toBe(401);
        expect(String(refused.error?.value)).toBe("The SIWE domain is not one of our dashboards");
    });
});
