import { Elysia } from "elysia";
import type { ApiDependencies } from "../dependencies";

/** `/business`: the merchant dashboard's API (SIWE sessions). */
export function businessApi(deps: ApiDependencies) {
    return new Elysia({ prefix: "/business", name: "api-business" }).use(
        deps.domains.notifications.businessRoutes,
    );
}
