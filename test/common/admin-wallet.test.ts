import { afterAll, beforeAll, expect, test } from "bun:test";
import { privateKeyToAccount } from "viem/accounts";
import { derivePrivateKey } from "../../src/infrastructure/blockchain";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

let server: TestApp;
beforeAll(async () => {
    server = await startTestApp();
});
afterAll(() => server.stop());

const addressOf = (label: string) =>
    privateKeyToAccount(derivePrivateKey(server.infra.secrets.masterKey, label)).address;

test("key: the address derived from the master key for that label", async () => {
    const response = await server.request("/common/adminWallet?key=oracle-updater");
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ pubKey: addressOf("oracle-updater") });
});

test("productId: the product signer (minimal hex label), and it wins over key", async () => {
    const padded = `0x${"00".repeat(30)}1a2b`;
    const response = await server.request(`/common/adminWallet?productId=${padded}&key=minter`);
    expect(await readJson(response)).toEqual({ pubKey: addressOf("0x1a2b") });
    expect(addressOf("0x1a2b")).not.toBe(addressOf("minter"));
});

test("neither parameter: 400 JSON; a non-hex productId: 422", async () => {
    const missing = await server.request("/common/adminWallet");
    expect(missing.status).toBe(400);
    expect(await readJson(missing)).toEqual({ error: "invalid_query", message: "Invalid query" });
    const bad = await server.request("/common/adminWallet?productId=shop");
    expect(bad.status).toBe(422);
    expect((await readJson(bad)).property).toBe("/productId");
});
