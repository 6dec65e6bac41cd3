import { Elysia } from "elysia";
import { errorBody, representError } from "../infrastructure/http";

/**
 * Paths of older SDKs and shop plugins, mapped onto today's routes (seed-api §5.6). Unlike the
 * seed we keep the query string. Anything else, including a known path with the wrong method,
 * ends here with a 404 JSON body.
 */
export function legacyPathFor(pathname: string): string | null {
    if (pathname.startsWith("/interactions/listenForPurchase")) {
        return "/wallet/interactions/listenForPurchase";
    }
    const webhook = /^\/interactions\/webhook\/([^/]+)\/(push|pushRaw)\/?$/.exec(pathname);
    if (webhook) return `/ext/products/${webhook[1]}/webhook/interactions/${webhook[2]}`;
    const oracle = /^\/oracle\/(shopify|woocommerce|custom)\/([^/]+)\/hook\/?$/.exec(pathname);
    if (oracle) return `/ext/products/${oracle[2]}/webhook/oracle/${oracle[1]}`;
    return null;
}

const corsHeaders = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-expose-headers",
];

export function legacyRoutes(handle: (request: Request) => Promise<Response>) {
    return new Elysia({ name: "legacy" }).all(
        "*",
        async ({ request, status }) => {
            const url = new URL(request.url);
            const target = legacyPathFor(url.pathname);
            if (!target) {
                return status(404, representError(request, errorBody("not_found", "Not found")));
            }
            const hasBody = request.method !== "GET" && request.method !== "HEAD";
            // The body streams through unread: the target route applies its own body limit.
            const inner = await handle(
                new Request(new URL(`${target}${url.search}`, url).toString(), {
                    method: request.method,
                    headers: request.headers,
                    body: hasBody ? request.body : undefined,
                    duplex: "half",
                } as RequestInit),
            );
            // The outer request already carries our CORS headers: do not send them twice.
            const headers = new Headers(inner.headers);
            for (const name of corsHeaders) headers.delete(name);
            return new Response(inner.body, { status: inner.status, headers });
        },
        { parse: "none", detail: { hide: true } },
    );
}
