import type { Hex } from "viem";
import { apiClient } from "../support/api-client";
import { jsonHeaders, type TestApp } from "../support/test-app";

export function authClient(app: TestApp) {
    const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
        app.request(path, {
            method: "POST",
            headers: { ...jsonHeaders, ...headers },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    const get = (path: string, headers: Record<string, string> = {}) =>
        app.request(path, { headers });
    return {
        post,
        get,
        async challenge(): Promise<Hex> {
            const { data, error } = await apiClient(app).wallet.auth.challenge.post();
            if (error) throw new Error(`challenge: ${error.status}`);
            return data.challenge;
        },
        async nonce(): Promise<string> {
            const { data, error } = await apiClient(app).business.auth.nonce.get();
            if (error) throw new Error(`nonce: ${error.status}`);
            return data.nonce;
        },
    };
}

/** Our tests send many auth requests from one IP: lift the per-IP rate limits. */
export const unlimitedAuthEnv = {
    RATE_LIMIT_AUTH: "100000/60",
    RATE_LIMIT_CHALLENGE: "100000/60",
    RATE_LIMIT_NONCE: "100000/60",
};
