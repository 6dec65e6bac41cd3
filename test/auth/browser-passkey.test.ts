/**
 * End to end in Debian's Chromium: a CDP WebAuthn virtual authenticator creates a real passkey
 * with a challenge from our API, registers it through our API, and logs in with a fresh challenge,
 * from a page served by the test on http://localhost (a secure context). The page server proxies
 * the API, so the browser calls it same-origin.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, type CDPSession, chromium, type Page } from "playwright-core";
import type { Address } from "viem";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { authClient, unlimitedAuthEnv } from "./helpers";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const browserAvailable = existsSync(chromiumPath);
if (!browserAvailable) {
    // In CI the browser test must run: a missing browser fails the suite instead of skipping.
    if (process.env.CI) {
        throw new Error(
            `Chromium not found at ${chromiumPath}: CI must install it (apt-get install chromium)`,
        );
    }
    console.warn(
        `[browser-passkey] skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`,
    );
}

const page_html = `<!doctype html><html><head><meta charset="utf-8"><title>passkey</title></head><body>
<script>
const hex = (bytes) => "0x" + [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (h) => new Uint8Array(h.slice(2).match(/../g).map((b) => parseInt(b, 16)));
const b64json = (value) => btoa(JSON.stringify(value));
const fromB64url = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
async function api(path, body) {
  const response = await fetch(path, { method: "POST", headers: body ? { accept: "application/json", "content-type": "application/json" } : { accept: "application/json" }, body: body ? JSON.stringify(body) : undefined });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
async function challenge() { return (await api("/wallet/auth/challenge")).body.challenge; }
window.createPasskey = async () => {
  const issued = await challenge();
  const credential = await navigator.credentials.create({ publicKey: {
    rp: { id: "localhost", name: "Wallet test" },
    user: { id: crypto.getRandomValues(new Uint8Array(16)), name: "alice", displayName: "Alice" },
    challenge: fromHex(issued),
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    attestation: "none",
  } });
  // SPKI of a P-256 key ends with the uncompressed point 0x04 || x || y.
  const spki = new Uint8Array(credential.response.getPublicKey());
  const point = spki.slice(spki.length - 65);
  return {
    id: credential.id,
    publicKey: { x: hex(point.slice(1, 33)), y: hex(point.slice(33)), prefix: 4 },
    raw: b64json(credential.toJSON()),
    userAgent: navigator.userAgent,
  };
};
window.register = async (registration) => api("/wallet/auth/register", registration);
/** Signs a fresh challenge; format "standard" (toJSON) or "ox" (the seed's compressed JSON). */
window.assert = async (format, relabelAs) => {
  const issued = await challenge();
  const assertion = await navigator.credentials.get({ publicKey: { challenge: fromHex(issued), rpId: "localhost", userVerification: "required" } });
  const json = assertion.toJSON();
  if (relabelAs) { json.id = relabelAs; json.rawId = relabelAs; }
  let encoded = b64json(json);
  if (format === "ox") {
    const der = fromB64url(json.response.signature);
    const rLength = der[3];
    const r = der.slice(4, 4 + rLength);
    const s = der.slice(6 + rLength);
    encoded = b64json({ id: json.id, response: {
      metadata: {
        authenticatorData: hex(fromB64url(json.response.authenticatorData)),
        clientDataJSON: new TextDecoder().decode(fromB64url(json.response.clientDataJSON)),
        userVerificationRequired: true,
      },
      signature: { r: hex(r), s: hex(s), yParity: 0 },
    } });
  }
  return { expectedChallenge: issued, authenticatorResponse: encoded };
};
window.login = async (body) => api("/wallet/auth/login", body);
</script></body></html>`;

let app: TestApp;
let pageServer: ReturnType<typeof Bun.serve> | undefined;
let context: BrowserContext | undefined;
let userDataDir: string | undefined;
let page: Page;
let cdp: CDPSession;

async function addAuthenticator(): Promise<string> {
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
        options: {
            protocol: "ctap2",
            transport: "internal",
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
        },
    });
    return authenticatorId;
}

describe.skipIf(!browserAvailable)("passkey in a real browser", () => {
    beforeAll(async () => {
        app = await startTestApp({ env: unlimitedAuthEnv });
        pageServer = Bun.serve({
            port: 0,
            hostname: "127.0.0.1",
            fetch(request) {
                const url = new URL(request.url);
                if (url.pathname === "/") {
                    return new Response(page_html, { headers: { "content-type": "text/html" } });
                }
                // Same-origin proxy to the API under test.
                return fetch(`${app.url}${url.pathname}${url.search}`, {
                    method: request.method,
                    headers: request.headers,
                    body: request.body,
                });
            },
        });
        userDataDir = mkdtempSync(join(tmpdir(), "passkey-chromium-"));
        context = await chromium.launchPersistentContext(userDataDir, {
            executablePath: chromiumPath,
            headless: true,
            args: [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        });
        page = context.pages()[0] ?? (await context.newPage());
        await page.goto(`http://localhost:${pageServer.port}/`);
        expect(
            await page.evaluate(
                () => (globalThis as never as { isSecureContext: boolean }).isSecureContext,
            ),
        ).toBe(true);
        cdp = await context.newCDPSession(page);
        await cdp.send("WebAuthn.enable");
    });

    afterAll(async () => {
        await context?.close();
        pageServer?.stop(true);
        if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
        await app?.stop();
    });

    test("create, register, log in; the JWT works; a replay and another authenticator fail", async () => {
        const client = authClient(app);
        const first = await addAuthenticator();

        // Registration with a challenge from our API, through our API.
        const registration = await page.evaluate(() =>
            (globalThis as never as Browser).createPasskey(),
        );
        const registered = await page.evaluate(
            (body) => (globalThis as never as Browser).register(body),
            registration,
        );
        expect(registered.status).toBe(200);
        expect(registered.body.authenticatorId).toBe(registration.id);
        const wallet = registered.body.address;

        // Login with a fresh challenge, in both formats the API accepts.
        for (const format of ["standard", "ox"] as const) {
            const body = await page.evaluate(
                (f) => (globalThis as never as Browser).assert(f),
                format,
            );
            const login = await page.evaluate(
                (b) => (globalThis as never as Browser).login(b),
                body,
            );
            expect(login.status).toBe(200);
            expect(login.body).toMatchObject({
                type: "webauthn",
                address: wallet,
                authenticatorId: registration.id,
                publicKey: { x: registration.publicKey.x, y: registration.publicKey.y },
            });
            // The wallet JWT opens a withWalletAuthent route.
            const sdk = await client.get("/wallet/auth/sdk/generate", {
                "x-wallet-auth": login.body.token,
            });
            expect(sdk.status).toBe(200);
            expect((await readJson(sdk)).token).toBeString();

            // Replaying the same signed login body fails.
            const replay = await client.post("/wallet/auth/login", body);
            expect(replay.status).toBe(404);
        }
        // The virtual authenticator counts signatures; the server stored the last count.
        const stored = await app.domains.auth.authenticatorsOfWallet(wallet as Address);
        expect(stored[0]?.counter).toBeGreaterThan(0);

        // A second authenticator cannot log in as the first, even relabelling its assertion.
        await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: first });
        await addAuthenticator();
        await page.evaluate(() => (globalThis as never as Browser).createPasskey());
        const relabelled = await page.evaluate(
            (id) => (globalThis as never as Browser).assert("standard", id),
            registration.id,
        );
        const impostor = await page.evaluate(
            (b) => (globalThis as never as Browser).login(b),
            relabelled,
        );
        expect(impostor.status).toBe(404);
        const unregistered = await page.evaluate(() =>
            (globalThis as never as Browser).assert("standard"),
        );
        expect((await client.post("/wallet/auth/login", unregistered)).status).toBe(404);
    });
});

type ApiResult = {
    status: number;
    body: Record<string, unknown> & { address: string; authenticatorId: string; token: string };
};
type Registration = {
    id: string;
    publicKey: { x: string; y: string; prefix: number };
    raw: string;
    userAgent: string;
};
type LoginBody = { expectedChallenge: string; authenticatorResponse: string };
type Browser = {
    createPasskey(): Promise<Registration>;
    register(body: Registration): Promise<ApiResult>;
    assert(format: "standard" | "ox", relabelAs?: string): Promise<LoginBody>;
    login(body: LoginBody): Promise<ApiResult>;
};
