/**
 * The seed merchant dashboard's SIWE login as its code makes it: the SDK's `siweAuthenticate`
 * fills the parameters (its own nonce from `generateSiweNonce()`, `domain` = the page's host,
 * `uri` = `https://` + host, the dashboard's one-week `expirationTimeTimestamp`), the wallet's
 * listener builds the message with the signer's `address`, its `chainId` and `issuedAt` = now,
 * the signer signs it, and apps/business posts `{ message, signature }` through its Eden client
 * (`x-business-auth` header, session cleared on 401) from a browser on the dashboard's origin.
 */
import { treaty } from "@elysiajs/eden";
import type { Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage, generateSiweNonce, type SiweMessage } from "viem/siwe";
import type { App } from "../../src/app";
import { browserFetch } from "./seed-wallet";

export type DashboardPage = {
    /** `window.location.origin` of the dashboard, e.g. `http://localhost:3022`. */
    origin: string;
};

export function seedDashboard(backendUrl: string, page: DashboardPage) {
    const store = { token: null as string | null, authClears: 0 };
    // apps/business/src/context/api/backendClient.ts
    const authenticatedBackendApi = treaty<App>(backendUrl, {
        fetch: { credentials: "include" },
        fetcher: browserFetch(page.origin),
        headers(_path, options) {
            const headers = new Headers(options.headers);
            if (store.token && !headers.has("x-business-auth")) {
                headers.append("x-business-auth", store.token);
            }
            return headers;
        },
        onResponse(response) {
            if (response.status === 401) {
                store.token = null;
                store.authClears += 1;
            }
        },
    }).business;

    /**
     * sdk/core siweAuthenticate + apps/listener SiweAuthenticateModalStep: the message the
     * merchant's wallet signs on this page. `overrides` stand for a hostile page or wallet.
     */
    async function signIn(
        signer: PrivateKeyAccount,
        chainId: number,
        overrides: Partial<SiweMessage> = {},
    ): Promise<{ message: string; signature: Hex }> {
        const effectiveDomain = new URL(page.origin).host;
        const builtSiwe = {
            statement: "I confirm that I want to use my Frak wallet on: Dashboard",
            nonce: generateSiweNonce(),
            uri: `https://${effectiveDomain}`,
            version: "1" as const,
            domain: effectiveDomain,
        };
        // Login component: expire the session after 1 week.
        const expirationTimeTimestamp = Date.now() + 1000 * 60 * 60 * 24 * 7;
        const message = createSiweMessage({
            ...builtSiwe,
            address: signer.address,
            chainId,
            expirationTime: new Date(expirationTimeTimestamp),
            issuedAt: new Date(),
            ...overrides,
        });
        return { message, signature: await signer.signMessage({ message }) };
    }

    return {
        store,
        api: authenticatedBackendApi,
        signIn,
        /** The Login component's onSuccess: exchange the SIWE result for a JWT. */
        async login(siwe: { message: string; signature: Hex }) {
            const response = await authenticatedBackendApi.auth.login.post(siwe);
            if (response.data) store.token = response.data.token;
            return response;
        },
    };
}
