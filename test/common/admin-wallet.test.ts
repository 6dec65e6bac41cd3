import { afterAll, beforeAll, expect, test } from "bun:test";
import { privateKeyToAccount } from "viem/accounts";
import { derivePrivateKey } from "../../src/infrastructure/blockchain";
import { apiClient } from "../support/api-client";
import { startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;
beforeAll(async () => {
    server = await startTestApp();
});
afterAll(() => server.stop());

const addressOf = (label: string) =>
    privateKeyToAccount(derivePrivateKey(server.infra.secrets.masterKey, label)).address;
const adminWallet = (query: { key?: string; productId?: `0x${string}` }) =>
    apiClient(server).common.adminWallet.get({ query });

test("key: the address derived from the master key for that label", async () => {
    const { status, data } = await adminWallet({ key: "oracle-updater" });
    expect(status).toBe(200);
    expect(data).toEqual({ pubKey: addressOf("oracle-updater") });
});

test("productId: the product signer (minimal hex label), and it wins over key", async () => {
    const padded = `0x${"00".repeat(30)}1a2b` as const;
    const { data } = await adminWallet({ productId: padded, key: "minter" });
    expect(data?.pubKey).toBe(addressOf("0x1a2b"));
    expect(addressOf("0x1a2b")).not.toBe(addressOf("minter"));
});

test("neither parameter: 400 JSON; a non-hex productId: 422", async () => {
    const missing = await adminWallet({});
    expect(missing.status).toBe(400);
    // A 400 of our own (not a schema error): typed by Eden as unknown.
    expect(missing.error?.value as unknown).toEqual({
        error: "invalid_query",
        message: "Invalid query",
    });
    const bad = await adminWallet({ productId: "shop" as `0x${string}` });
    expect(bad.status).toBe(422);
    expect(bad.error?.value).toMatchObject({ property: "/productId" });
});
