import { Elysia } from "elysia";

const allowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const defaultAllowedHeaders =
    "content-type, x-wallet-auth, x-wallet-sdk-auth, x-business-auth, x-request-id";
const headerListPattern = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/;
/** What the SDK's calls from a shop's pages send (`trackPurchaseStatus`), and no more. */
const merchantSiteMethods = "POST, OPTIONS";
const merchantSiteHeaders = "accept, content-type, x-wallet-sdk-auth, x-request-id";

/**
 * Merchants' own websites: the SDK calls a few routes from a shop's pages, so the domains of
 * minted products are allowed there (https, default port, the domain or its `www.` form), without
 * credentials (the SDK authenticates with its `x-wallet-sdk-auth` header, not cookies).
 */
export type MerchantSiteOrigins = {
    /** Paths (as requested, legacy ones included) the SDK calls from merchants' pages. */
    isSdkPath(path: string): boolean;
    hasHost(hostname: string): Promise<boolean>;
};

type Grant = "none" | "configured" | "merchant-site";

/**
 * CORS from an allow-list: listed origins (`CORS_ORIGINS`) get `Access-Control-Allow-Origin` with
 * credentials on every route; a minted product's site gets it, without credentials, on the SDK's
 * routes only. Others get no CORS headers at all, so the browser blocks the response. Preflights
 * are answered before routing, on any path, with 204.
 */
export function cors(allowedOrigins: readonly string[], merchantSites?: MerchantSiteOrigins) {
    const allowed = new Set(allowedOrigins);
    return new Elysia({ name: "cors" }).onRequest(({ request, set }) => {
        const origin = request.headers.get("origin");
        if (origin === null) return answer(request, set, origin, "none");
        if (allowed.has(origin)) return answer(request, set, origin, "configured");
        const hostname = httpsHostnameOf(origin);
        if (
            !merchantSites ||
            !hostname ||
            !merchantSites.isSdkPath(new URL(request.url).pathname)
        ) {
            return answer(request, set, origin, "none");
        }
        // The only asynchronous case: a foreign origin on an SDK route.
        return merchantSites
            .hasHost(hostname)
            .then((minted) => answer(request, set, origin, minted ? "merchant-site" : "none"));
    });
}

/** Sets the CORS headers of the grant; a preflight is answered here (204) before routing. */
function answer(
    request: Request,
    set: { headers: Record<string, string | number> },
    origin: string | null,
    grant: Grant,
): Response | undefined {
    const headers: Record<string, string> = { vary: "Origin" };
    if (origin !== null && grant !== "none") {
        headers["access-control-allow-origin"] = origin;
        if (grant === "configured") headers["access-control-allow-credentials"] = "true";
        headers["access-control-expose-headers"] = "x-request-id, retry-after";
    }
    const isPreflight =
        request.method === "OPTIONS" && request.headers.has("access-control-request-method");
    if (!isPreflight) {
        Object.assign(set.headers, headers);
        return undefined;
    }
    if (grant === "configured") {
        const requested = request.headers.get("access-control-request-headers");
        headers["access-control-allow-methods"] = allowedMethods;
        headers["access-control-allow-headers"] =
            requested && headerListPattern.test(requested) ? requested : defaultAllowedHeaders;
        headers["access-control-max-age"] = "600";
    } else if (grant === "merchant-site") {
        headers["access-control-allow-methods"] = merchantSiteMethods;
        headers["access-control-allow-headers"] = merchantSiteHeaders;
        headers["access-control-max-age"] = "600";
    }
    return new Response(null, { status: 204, headers });
}

/** The host name of an `https://host` origin on the default port; null for anything else. */
function httpsHostnameOf(origin: string): string | null {
    if (!origin.startsWith("https://")) return null;
    try {
        const url = new URL(origin);
        if (url.port !== "" || url.origin !== origin) return null;
        return url.hostname;
    } catch {
        return null;
    }
}
