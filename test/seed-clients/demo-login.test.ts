/**
 * The seed wallet's demo login (useDemoLogin: an EOA signs the CGU text over a challenge from
 * `generatePrivateKey()`, posted to `ecdsaLogin` with the demo key) against our API over HTTP;
 * and the replays that must stay refused.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ecdsaWalletAddress } from "../../src/infrastructure/blockchain";
import { unlimitedAuthEnv } from "../auth/helpers";
import { startTestApp, type TestApp } from "../support/test-app";
import { seedWallet } from "./seed-wallet";
import { virtualAuthenticator } from "./virtual-authenticator";

let app: TestApp;

beforeAll(async () => {
    app = await startTestApp({ env: unlimitedAuthEnv });
});
afterAll(async () => {
    await app?.stop();
});

const demoWallet = () => seedWallet(app.url, { authenticator: virtualAuthenticator() });

describe("the wallet's demo login", () => {
    test("logs in the demo key's smart wallet; its SDK token carries the demo key", async () => {
        const pkey = generatePrivateKey();
        const wallet = demoWallet();
        const { response } = await wallet.demoLogin(pkey);
        expect(response.status).toBe(200);
        const signer = privateKeyToAccount(pkey).address;
        expect(response.data).toMatchObject({
            type: "ecdsa",
            publicKey: signer,
            address: ecdsaWalletAddress({
                walletFactory: app.infra.chain.deployment.walletFactory,
                owner: signer,
            }),
        });
        const sdk = await app.infra.tokens.verifySdk(response.data?.sdkJwt.token);
        expect(sdk?.additionalData?.demoPkey).toBe(pkey);
        const generated = await wallet.getSafeSdkSession();
        expect(generated.steps).toEqual([{ step: "isValid", status: 200 }]);
        expect((await wallet.api.auth.sdk.generate.get()).status).toBe(200);
    });

    test("the same body twice, or concurrently: one login", async () => {
        const wallet = demoWallet();
        const { body, response } = await wallet.demoLogin(generatePrivateKey());
        expect(response.status).toBe(200);
        const replay = await wallet.api.auth.ecdsaLogin.post(body);
        expect(replay.status).toBe(404);
        expect(String(replay.error?.value)).toBe("Invalid signature");

        const pkey = generatePrivateKey();
        const challenge = generatePrivateKey();
        const account = privateKeyToAccount(pkey);
        const message = `I want to connect to Frak and I accept the CGU.\n Verification code:${challenge}`;
        const fresh = {
            expectedChallenge: challenge,
            signature: await account.signMessage({ message }),
            wallet: account.address,
            demoPkey: pkey,
        };
        const responses = await Promise.all(
            Array.from({ length: 4 }, () => wallet.api.auth.ecdsaLogin.post(fresh)),
        );
        expect(responses.map((r) => r.status).sort()).toEqual([200, 404, 404, 404]);
    });

    test("the same client challenge twice, even signed by another key: refused", async () => {
        const wallet = demoWallet();
        const first = await wallet.demoLogin(generatePrivateKey());
        expect(first.response.status).toBe(200);
        const challenge = first.body.expectedChallenge;
        const again = await wallet.demoLogin(generatePrivateKey(), { challenge });
        expect(again.response.status).toBe(404);
    });

    test("a signature by another key than `wallet` is refused", async () => {
        const wallet = demoWallet();
        const attacker = privateKeyToAccount(generatePrivateKey());
        const victim = privateKeyToAccount(generatePrivateKey()).address;
        const challenge = generatePrivateKey();
        const message = `I want to connect to Frak and I accept the CGU.\n Verification code:${challenge}`;
        const forged = await wallet.api.auth.ecdsaLogin.post({
            expectedChallenge: challenge,
            signature: await attacker.signMessage({ message }),
            wallet: victim,
        });
        expect(forged.status).toBe(404);
    });
});
