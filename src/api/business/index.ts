import { Elysia } from "elysia";
import type { ApiDependencies } from "../dependencies";

/** `/business`: the merchant dashboard's API (SIWE sessions). */
export function businessApi(deps: ApiDependencies) {
    // Auth first: /business/auth/* needs no session and must not see later guards.
    return new Elysia({ prefix: "/business", name: "api-business" })
        .use(deps.domains.auth.businessRoutes)
        .use(deps.domains.business.businessRoutes)
        .use(deps.domains.notifications.businessRoutes)
        .use(deps.domains.oracle.businessRoutes)
        .use(deps.domains.interactions.routes.business(deps.sessionMacros));
}
