import { Elysia } from "elysia";
import type { Infrastructure } from "../infrastructure";
import type { RateLimitBucket } from "../infrastructure/config";
import { errorBody, errorResponse } from "../infrastructure/http";
import { clientIp } from "../infrastructure/http/client-ip";

type Bucket = Exclude<RateLimitBucket, `${string}Wallet`>;
type LimitedRoute = {
    method: string;
    path: string | RegExp;
    bucket: Bucket;
    /** Extra condition on the URL (e.g. only pairing initiations, not joins). */
    when?: (url: URL) => boolean;
};

/**
 * The routes limited per client IP (docs/decisions.md, rate limits): auth, challenge, nonce, pairing initiation,
 * the SDK's purchase listening and interaction pushes (also limited per wallet in their routes)
 * and lead capture. Inbound commerce webhooks are deliberately absent: throttling them loses
 * orders.
 */
export const limitedRoutes: readonly LimitedRoute[] = [
    { method: "POST", path: "/wallet/auth/challenge", bucket: "challenge" },
    { method: "GET", path: "/business/auth/nonce", bucket: "nonce" },
    {
        method: "POST",
        path: /^\/wallet\/auth\/(login|register|ecdsaLogin|sdk\/fromWebAuthNSignature)$/,
        bucket: "auth",
    },
    { method: "POST", path: "/business/auth/login", bucket: "auth" },
    { method: "POST", path: "/wallet/interactions/listenForPurchase", bucket: "purchaseListen" },
    { method: "POST", path: "/wallet/interactions/push", bucket: "interactionsPush" },
    { method: "POST", path: "/common/airtable", bucket: "airtable" },
    {
        method: "GET",
        path: "/wallet/pairings/ws",
        bucket: "pairing",
        when: (url) => url.searchParams.get("action") === "initiate",
    },
];

/** Whether an operation of the API document (method, OpenAPI path) is limited per client IP. */
export function isRateLimitedOperation(method: string, path: string): boolean {
    const httpMethod = method === "WS" ? "GET" : method;
    return limitedRoutes.some(
        (route) =>
            route.method === httpMethod &&
            (typeof route.path === "string" ? route.path === path : route.path.test(path)),
    );
}

function bucketOf(method: string, url: URL): Bucket | undefined {
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    for (const route of limitedRoutes) {
        if (route.method !== method) continue;
        const matches =
            typeof route.path === "string" ? route.path === path : route.path.test(path);
        if (matches && (!route.when || route.when(url))) return route.bucket;
    }
    return undefined;
}

/** The path of a request URL without building a URL object (this runs on every request). */
function pathOf(url: string): string {
    const start = url.indexOf("/", url.indexOf("//") + 2);
    if (start < 0) return "/";
    const end = url.indexOf("?", start);
    return end < 0 ? url.slice(start) : url.slice(start, end);
}

/** Answers 429 with Retry-After before routing when a client exceeds its quota. */
export function rateLimits(infra: Pick<Infrastructure, "rateLimiter" | "config">) {
    const limitedPaths = new Set(
        limitedRoutes.map((route) => route.path).filter((p) => typeof p === "string"),
    );
    const prefixes = [
        "/wallet/auth/",
        "/business/auth/",
        "/wallet/pairings/ws",
        "/wallet/interactions/",
        "/common/airtable",
    ];
    return new Elysia({ name: "rate-limits" }).onRequest(({ request, server, set }) => {
        // Cheap pre-check, synchronous for the vast majority of requests.
        const path = pathOf(request.url);
        if (!limitedPaths.has(path) && !prefixes.some((prefix) => path.startsWith(prefix))) return;
        const bucket = bucketOf(request.method, new URL(request.url));
        if (!bucket) return;
        const ip = clientIp(
            request,
            server?.requestIP(request)?.address,
            infra.config.trustedProxyHops,
        );
        return infra.rateLimiter.check(bucket, ip).then((decision) => {
            if (decision.allowed) return;
            return errorResponse(
                request,
                429,
                errorBody("rate_limited", "Too many requests, retry later"),
                {
                    ...(set.headers as Record<string, string>),
                    "retry-after": String(decision.retryAfterSeconds),
                },
            );
        });
    });
}
