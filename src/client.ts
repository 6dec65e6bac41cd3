/**
 * A typed client of this API: Eden Treaty over the `App` type, so paths, bodies, queries and
 * responses are checked by the TypeScript compiler against the routes themselves.
 *
 *   import { createApiClient } from "wallet-backend/client";
 *   const api = createApiClient("http://localhost:3030", { wallet: token });
 *   const { data, error } = await api.wallet.balance.get();
 *
 * Only types come from the server code (`import type`): bundling the client pulls in Eden, not
 * the backend.
 */
import { type Treaty, treaty } from "@elysiajs/eden";
import type { App } from "./app";

/** The session tokens a caller holds; each one is sent in its own header. */
export type ApiSessions = {
    /** Wallet session (passkey or ECDSA login): `x-wallet-auth`. */
    wallet?: string;
    /** SDK session of a wallet on a merchant's site: `x-wallet-sdk-auth`. */
    sdk?: string;
    /** Merchant dashboard session (Sign-In with Ethereum): `x-business-auth`. */
    business?: string;
};

export type ApiClientOptions = {
    /** Extra headers on every request (e.g. `origin`, `user-agent`). */
    headers?: Record<string, string>;
    /** Another fetch implementation (tests, instrumentation, retries). */
    fetcher?: typeof fetch;
};

export type ApiClient = Treaty.Create<App>;

/** The header of each session kind, as the API reads them. */
export const sessionHeaders = {
    wallet: "x-wallet-auth",
    sdk: "x-wallet-sdk-auth",
    business: "x-business-auth",
} as const satisfies Record<keyof ApiSessions, string>;

/**
 * A client of the API at `baseUrl`. It always asks for JSON (`Accept: application/json`): the
 * API answers some errors of browser-facing routes in plain text to callers that do not.
 */
export function createApiClient(
    baseUrl: string,
    sessions: ApiSessions = {},
    options: ApiClientOptions = {},
): ApiClient {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    for (const [kind, header] of Object.entries(sessionHeaders)) {
        const token = sessions[kind as keyof ApiSessions];
        if (token) headers[header] = token;
    }
    return treaty<App>(baseUrl, {
        headers,
        fetcher: options.fetcher,
        // Dates stay strings, as the JSON carries them (no guessing from string contents).
        parseDate: false,
    });
}

export type { App } from "./app";
