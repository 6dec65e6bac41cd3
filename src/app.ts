import { type AnyElysia, Elysia } from "elysia";
import packageJson from "../package.json";
import { adminWalletRoutes } from "./api/admin-wallet";
import { healthRoutes } from "./api/health";
import { legacyRoutes } from "./api/legacy";
import { metricsRoutes } from "./api/metrics";
import { isRateLimitedOperation, rateLimits } from "./api/rate-limits";
import type { Domains } from "./domains";
import type { Infrastructure } from "./infrastructure";
import {
    cors,
    errorHandler,
    openapiDocs,
    RouteBodies,
    requestBodies,
    requestLogger,
    sessionMacros,
} from "./infrastructure/http";

/**
 * What the SDK calls from a shop's own pages (sdk/core `trackPurchaseStatus`), under its legacy
 * path too: minted products' sites may call these cross-origin.
 */
const SDK_PATHS_FROM_MERCHANT_SITES = new Set([
    "/wallet/interactions/listenForPurchase",
    "/interactions/listenForPurchase",
]);
const isSdkPathFromMerchantSites = (path: string) =>
    SDK_PATHS_FROM_MERCHANT_SITES.has(path.replace(/\/$/, ""));

/**
 * Composes the API in the seed's order: logger, CORS, health, common, business, wallet, ext,
 * legacy. Every route file declares its full path (`grep -rn '"/wallet/balance' src` finds it);
 * the README's route table maps each route to its file.
 */
export function createApp(infra: Infrastructure, domains: Domains) {
    // Built once; every route group that authenticates receives this one instance.
    const macros = sessionMacros({
        tokens: infra.tokens,
        productRoles: infra.productRoles,
        legacyRawAddressAuth: infra.config.interactions.legacyRawAddressAuth,
    });
    const limits = infra.config.http;
    let root: AnyElysia | undefined;
    const routeBodies = new RouteBodies(() => root);
    const routes = new Elysia({
        aot: true,
        // Pairing sockets may wait minutes for a phone: Bun pings a quiet socket after this
        // long and closes it when the ping goes unanswered for as long again (dead peers).
        websocket: { idleTimeout: infra.config.sockets.idleTimeoutSeconds },
        serve: {
            // Bun's own cap, a backstop only: it answers an empty 413 and closes the connection.
            // Our limits (requestBodies) are far lower and answer JSON without reading the body.
            maxRequestBodySize: Math.max(
                256 * 1024 * 1024,
                4 * Math.max(limits.maxBodyBytes, limits.webhookMaxBodyBytes),
            ),
            // Never Bun's HTML error page (it shows source paths) when something escapes Elysia.
            development: false,
        },
    })
        .use(requestLogger(infra.logger, infra.metrics))
        .use(
            cors(infra.config.corsOrigins, {
                isSdkPath: isSdkPathFromMerchantSites,
                hasHost: (hostname) => domains.business.mintedDomains.hasHost(hostname),
            }),
        )
        .use(requestBodies(limits, routeBodies))
        .use(rateLimits(infra))
        .use(errorHandler(infra.logger))
        .use(openapiDocs(packageJson.version, { isRateLimited: isRateLimitedOperation }))
        .use(healthRoutes(infra))
        .use(metricsRoutes(infra))
        .use(macros)
        // /common: public helpers (admin wallets, rates, social redirect, lead capture).
        .use(adminWalletRoutes(infra))
        .use(domains.wallet.routes.common())
        // /business: the merchant dashboard (SIWE sessions). Auth first: it needs no session.
        .use(domains.auth.routes.business())
        .use(domains.business.routes.business(macros))
        .use(domains.notifications.routes.business(macros))
        .use(domains.oracle.routes.business(macros))
        .use(domains.interactions.routes.business(macros))
        // /wallet: the wallet app and the SDK (passkey and SDK sessions). Auth first.
        .use(domains.auth.routes.wallet(macros))
        .use(domains.notifications.routes.wallet(macros))
        .use(domains.pairing.routes.wallet(macros))
        .use(domains.wallet.routes.wallet(macros))
        .use(domains.interactions.routes.wallet(macros))
        // /ext: server-to-server webhooks of shops and merchants' backends (HMAC-signed).
        .use(domains.oracle.routes.ext())
        .use(domains.interactions.routes.ext());
    // The legacy catch-all re-enters the finished app in-process with the rewritten request.
    let dispatch: (request: Request) => Promise<Response> = async () => new Response(null);
    const app = routes.use(legacyRoutes((request) => dispatch(request)));
    dispatch = (request) => app.handle(request);
    root = app;
    // Compile every route now rather than on its first request: a burst of first requests to
    // a fresh instance (an attack, or a deploy under load) would stall it for a second or more.
    for (const route of app.routes) (route as { compile?: () => unknown }).compile?.();
    routeBodies.warm();
    return app;
}

/** The whole API, for Eden Treaty: `treaty<App>(url)`. */
export type App = ReturnType<typeof createApp>;
