import { Elysia } from "elysia";

const allowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const defaultAllowedHeaders =
    "content-type, x-wallet-auth, x-wallet-sdk-auth, x-business-auth, x-request-id";
const headerListPattern = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/;

/**
 * CORS from an allow-list: only listed origins get `Access-Control-Allow-Origin` (with
 * credentials). Others get no CORS headers at all, so the browser blocks the response. Preflights
 * are answered before routing, on any path, with 204.
 */
export function cors(allowedOrigins: readonly string[]) {
    const allowed = new Set(allowedOrigins);
    return new Elysia({ name: "cors" }).onRequest(({ request, set }) => {
        const origin = request.headers.get("origin");
        const isAllowed = origin !== null && allowed.has(origin);
        const headers: Record<string, string> = { vary: "Origin" };
        if (isAllowed) {
            headers["access-control-allow-origin"] = origin;
            headers["access-control-allow-credentials"] = "true";
            headers["access-control-expose-headers"] = "x-request-id, retry-after";
        }
        const isPreflight =
            request.method === "OPTIONS" && request.headers.has("access-control-request-method");
        if (isPreflight) {
            if (isAllowed) {
                const requested = request.headers.get("access-control-request-headers");
                headers["access-control-allow-methods"] = allowedMethods;
                headers["access-control-allow-headers"] =
                    requested && headerListPattern.test(requested)
                        ? requested
                        : defaultAllowedHeaders;
                headers["access-control-max-age"] = "600";
            }
            return new Response(null, { status: 204, headers });
        }
        Object.assign(set.headers, headers);
    });
}
