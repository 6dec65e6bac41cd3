import { afterAll, beforeAll, expect, test } from "bun:test";
import { getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
// Through the package's own export, as a project depending on this one imports it.
import { createApiClient } from "wallet-backend/client";
import { startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;
beforeAll(async () => {
    server = await startTestApp();
});
afterAll(() => server.stop());

const wallet = () => getAddress(privateKeyToAccount(generatePrivateKey()).address);

test("each session goes in its own header; a missing one is a typed 401", async () => {
    const address = wallet();
    const { token: sdk } = await server.infra.tokens.signSdk(address);
    const valid = await createApiClient(server.url, { sdk }).wallet.auth.sdk.isValid.get();
    expect(valid.status).toBe(200);
    expect(valid.data).toMatchObject({ isValid: true });

    const anonymous = await createApiClient(server.url).wallet.auth.sdk.isValid.get();
    expect(anonymous.status).toBe(401);
    expect(anonymous.data).toBeNull();
});

test("errors come back as JSON bodies (the client asks for JSON)", async () => {
    const seen: Headers[] = [];
    const client = createApiClient(
        server.url,
        {},
        {
            fetcher: ((input: string | URL | Request, init?: RequestInit) => {
                seen.push(new Headers(init?.headers));
                return fetch(input, init);
            }) as typeof fetch,
        },
    );
    const { status, error } = await client.wallet.balance.get();
    expect(status).toBe(401);
    expect(error?.value).toMatchObject({ error: "unauthorized" });
    expect(seen[0]?.get("accept")).toBe("application/json");
});
