import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Address, encodeFunctionData, type Hex, serializeErc6492Signature } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage, generateSiweNonce, parseSiweMessage } from "viem/siwe";
import { ecdsaWalletAddress, walletFactoryAbi } from "../../src/infrastructure/blockchain";
import { fundedAccount, write } from "../chain/helpers";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { authClient, unlimitedAuthEnv } from "./helpers";

let app: TestApp;
let client: ReturnType<typeof authClient>;
const origin = "http://localhost:3010";

beforeAll(async () => {
    app = await startTestApp({ env: unlimitedAuthEnv });
    client = authClient(app);
});
afterAll(async () => {
    await app?.stop();
});

type MessageOverrides = Partial<Parameters<typeof createSiweMessage>[0]>;

async function siweMessage(address: Address, overrides: MessageOverrides = {}) {
    return createSiweMessage({
        address,
        chainId: app.infra.chain.clients.chain.id,
        domain: "localhost:3010",
        nonce: await client.nonce(),
        uri: `${origin}/login`,
        version: "1",
        issuedAt: new Date(),
        expirationTime: new Date(Date.now() + 5 * 60_000),
        ...overrides,
    });
}

const login = (
    body: { message: string; signature: Hex },
    headers: Record<string, string> = { origin },
) => client.post("/business/auth/login", body, headers);

async function signedBy(
    account: PrivateKeyAccount,
    overrides: MessageOverrides = {},
    address = account.address,
) {
    const message = await siweMessage(address, overrides);
    return { message, signature: await account.signMessage({ message }) };
}

describe("GET /business/auth/nonce", () => {
    test("an alphanumeric nonce of at least 8 characters, valid 10 minutes", async () => {
        const response = await app.request("/business/auth/nonce");
        expect(response.status).toBe(200);
        const body = await readJson(response);
        expect(body.nonce).toMatch(/^[A-Za-z0-9]{8,}$/);
        expect(body.expiresAt).toBeGreaterThan(Date.now() + 9 * 60_000);
        expect(body.nonce).not.toBe(await client.nonce());
    });
});

describe("POST /business/auth/login", () => {
    test("an EOA signs in: business JWT for its address", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const body = await signedBy(account);
        const response = await login(body);
        expect(response.status).toBe(200);
        const auth = await readJson(response);
        expect(auth.wallet).toBe(account.address);
        expect(auth.expiresAt).toBeGreaterThan(Date.now() + 6 * 86_400_000);
        const session = await app.infra.tokens.verifyBusiness(auth.token);
        expect(session?.wallet).toBe(account.address);
        expect(session?.siwe?.message).toBe(body.message);
    });

    test("a deployed smart wallet signs in (ERC-1271)", async () => {
        const owner = privateKeyToAccount(generatePrivateKey());
        const { walletFactory } = app.infra.chain.deployment;
        const wallet = ecdsaWalletAddress({ walletFactory, owner: owner.address });
        const payer = await fundedAccount(app.infra.chain.clients);
        await write(app.infra.chain.clients, payer, {
            address: walletFactory,
            abi: walletFactoryAbi,
            functionName: "createEcdsaWallet",
            args: [owner.address],
        });
        expect(await app.infra.chain.clients.publicClient.getCode({ address: wallet })).toMatch(
            /^0x.+/,
        );
        const response = await login(await signedBy(owner, {}, wallet));
        expect(response.status).toBe(200);
        expect((await readJson(response)).wallet).toBe(wallet);
        // The owner's signature does not make another smart wallet sign.
        const stranger = privateKeyToAccount(generatePrivateKey());
        const refused = await login(await signedBy(stranger, {}, wallet));
        expect(refused.status).toBe(400);
    });

    test("a counterfactual smart wallet signs in (ERC-6492)", async () => {
        const owner = privateKeyToAccount(generatePrivateKey());
        const { walletFactory } = app.infra.chain.deployment;
        const wallet = ecdsaWalletAddress({ walletFactory, owner: owner.address });
        const { message, signature } = await signedBy(owner, {}, wallet);
        const wrapped = serializeErc6492Signature({
            address: walletFactory,
            data: encodeFunctionData({
                abi: walletFactoryAbi,
                functionName: "createEcdsaWallet",
                args: [owner.address],
            }),
            signature,
        });
        const response = await login({ message, signature: wrapped });
        expect(response.status).toBe(200);
        expect((await readJson(response)).wallet).toBe(wallet);
    });

    test("a replayed message (nonce already used) is refused", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const body = await signedBy(account);
        expect((await login(body)).status).toBe(200);
        const replay = await login(body);
        expect(replay.status).toBe(401);
        expect(await readJson(replay)).toEqual({
            error: "siwe_nonce_used",
            message: "The SIWE nonce was already used",
        });
    });

    test("a nonce we never issued is accepted once; concurrent replays: one winner", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const body = await signedBy(account, { nonce: generateSiweNonce() });
        const responses = await Promise.all([login(body), login(body), login(body)]);
        expect(responses.map((r) => r.status).sort()).toEqual([200, 401, 401]);
        // A new message (other statement, same nonce) is refused as well: the nonce is spent.
        const reused = await signedBy(account, {
            nonce: parseSiweMessage(body.message).nonce,
            statement: "another message",
        });
        expect((await readJson(await login(reused))).error).toBe("siwe_nonce_used");
    });

    test("each refused rule is 401 with a code naming it", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const minutes = (n: number) => new Date(Date.now() + n * 60_000);
        const cases: [MessageOverrides, string][] = [
            [{ expirationTime: minutes(-0.1), issuedAt: minutes(-1) }, "siwe_expired"],
            [{ notBefore: minutes(1) }, "siwe_not_yet_valid"],
            [{ domain: "evil.example" }, "siwe_domain_not_allowed"],
            [{ uri: "https://evil.example/login" }, "siwe_uri_not_allowed"],
            [{ domain: "localhost:3011" }, "siwe_origin_mismatch"],
            [{ chainId: 1 }, "siwe_chain_mismatch"],
            [
                { issuedAt: minutes(-11), expirationTime: minutes(60) },
                "siwe_issued_at_out_of_window",
            ],
            [{ issuedAt: minutes(5) }, "siwe_issued_at_out_of_window"],
        ];
        for (const [overrides, code] of cases) {
            const response = await login(await signedBy(account, overrides));
            expect({ code, status: response.status }).toEqual({ code, status: 401 });
            expect((await readJson(response)).error).toBe(code);
        }
        // The Origin must match the message's domain, port included.
        const body = await signedBy(account);
        const otherOrigin = await login(body, { origin: "http://localhost:3011" });
        expect(otherOrigin.status).toBe(401);
        expect((await readJson(otherOrigin)).error).toBe("siwe_origin_mismatch");
        // None of these spent the nonce: the genuine message still logs in.
        expect((await login(body)).status).toBe(200);
        const garbage = await login({ message: "hello", signature: body.signature });
        expect(garbage.status).toBe(400);
        expect((await readJson(garbage)).error).toBe("invalid_siwe_message");
    });

    test("a signature of another key: 400 Invalid signature", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const other = privateKeyToAccount(generatePrivateKey());
        const message = await siweMessage(account.address);
        const response = await login({ message, signature: await other.signMessage({ message }) });
        expect(response.status).toBe(400);
        expect(await readJson(response)).toEqual({
            error: "invalid_signature",
            message: "Invalid signature",
        });
        const garbage = await login({
            message: await siweMessage(account.address),
            signature: "0x1234",
        });
        expect(garbage.status).toBe(400);
    });

    test("a missing Origin gives 400 JSON, not 500; bad body 422", async () => {
        const account = privateKeyToAccount(generatePrivateKey());
        const response = await login(await signedBy(account), {});
        expect(response.status).toBe(400);
        expect(await readJson(response)).toEqual({
            error: "missing_origin",
            message: "Missing Origin header",
        });
        expect((await login({ message: "x", signature: "nothex" as Hex })).status).toBe(422);
    });
});
