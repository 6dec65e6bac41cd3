import { type AnyElysia, Elysia } from "elysia";
import packageJson from "../package.json";
import { businessApi } from "./api/business";
import { commonApi } from "./api/common";
import type { ApiDependencies } from "./api/dependencies";
import { extApi } from "./api/ext";
import { healthRoutes } from "./api/health";
import { legacyRoutes } from "./api/legacy";
import { metricsRoutes } from "./api/metrics";
import { isRateLimitedOperation, rateLimits } from "./api/rate-limits";
import { walletApi } from "./api/wallet";
import type { Domains } from "./domains";
import type { Infrastructure } from "./infrastructure";
import {
    cors,
    errorHandler,
    openapiDocs,
    requestLogger,
    sessionMacros,
} from "./infrastructure/http";

export type CreateAppOptions = {
    /** Extra routes mounted before the legacy catch-all (tests use it for placeholders). */
    extraRoutes?: (infra: Infrastructure) => AnyElysia;
};

/** Composes the API in the seed's order: logger, CORS, health, common, business, wallet, ext, legacy. */
export function createApp(infra: Infrastructure, domains: Domains, options: CreateAppOptions = {}) {
    const deps: ApiDependencies = { infra, domains, sessionMacros: sessionMacros(infra.tokens) };
    const routes = new Elysia({
        aot: true,
        // Pairing sockets may wait minutes for a phone: Bun pings a quiet socket after this
        // long and closes it when the ping goes unanswered for as long again (dead peers).
        websocket: { idleTimeout: infra.config.sockets.idleTimeoutSeconds },
    })
        .use(requestLogger(infra.logger, infra.metrics))
        .use(cors(infra.config.corsOrigins))
        .use(rateLimits(infra))
        .use(errorHandler(infra.logger))
        .use(openapiDocs(packageJson.version, { isRateLimited: isRateLimitedOperation }))
        .use(healthRoutes(infra))
        .use(metricsRoutes(infra))
        .use(commonApi(deps))
        .use(businessApi(deps))
        .use(walletApi(deps))
        .use(extApi(deps));
    if (options.extraRoutes) routes.use(options.extraRoutes(infra));
    // The legacy catch-all re-enters the finished app in-process with the rewritten request.
    let dispatch: (request: Request) => Promise<Response> = async () => new Response(null);
    const app = routes.use(legacyRoutes((request) => dispatch(request)));
    dispatch = (request) => app.handle(request);
    return app;
}

/** The whole API, for Eden Treaty: `treaty<App>(url)`. */
export type App = ReturnType<typeof createApp>;
export type CommonApp = ReturnType<typeof commonApi>;
export type BusinessApp = ReturnType<typeof businessApi>;
export type WalletApp = ReturnType<typeof walletApi>;
export type ExtApp = ReturnType<typeof extApi>;
