import { Elysia } from "elysia";
import type { ApiDependencies } from "../dependencies";

/** `/ext`: server-to-server webhooks from shops and merchants' backends (HMAC-signed). */
export function extApi(deps: ApiDependencies) {
    return new Elysia({ prefix: "/ext", name: "api-ext" })
        .use(deps.domains.oracle.webhookRoutes)
        .use(deps.domains.interactions.routes.ext());
}
