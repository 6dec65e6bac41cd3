/** Fixtures of the notification tests: a wallet session and a subscription registered through the API. */
import { type Address, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { TestApp } from "../support/test-app";
import type { Subscriber } from "./push-service";

export const randomWallet = (): Address => privateKeyToAccount(generatePrivateKey()).address;

export async function walletToken(server: TestApp, address: Address): Promise<string> {
    const { token } = await server.infra.tokens.signWallet({
        type: "webauthn",
        address,
        authenticatorId: `cred-${address}`,
        publicKey: { x: toHex(1n, { size: 32 }), y: toHex(2n, { size: 32 }) },
    });
    return token;
}

export async function subscribe(
    server: TestApp,
    token: string,
    subscription: Subscriber & { expirationTime?: number | null },
): Promise<Response> {
    return server.request("/wallet/notifications/tokens", {
        method: "PUT",
        headers: { "content-type": "application/json", "x-wallet-auth": token },
        body: JSON.stringify({ subscription }),
    });
}
