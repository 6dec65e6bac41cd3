import type { Hex } from "viem";
import { jsonHeaders, readJson, type TestApp } from "../support/test-app";

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
            const response = await app.request("/wallet/auth/challenge", { method: "POST" });
            if (response.status !== 200) throw new Error(`challenge: ${response.status}`);
            return (await readJson(response)).challenge;
        },
        async nonce(): Promise<string> {
            const response = await app.request("/business/auth/nonce");
            if (response.status !== 200) throw new Error(`nonce: ${response.status}`);
            return (await readJson(response)).nonce;
        },
    };
}

/** Our tests send many auth requests from one IP: lift the per-IP rate limits. */
export const unlimitedAuthEnv = {
    RATE_LIMIT_AUTH: "100000/60",
    RATE_LIMIT_CHALLENGE: "100000/60",
    RATE_LIMIT_NONCE: "100000/60",
};
