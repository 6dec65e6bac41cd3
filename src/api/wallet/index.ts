import { Elysia } from "elysia";
import type { ApiDependencies } from "../dependencies";

/** `/wallet`: the wallet app's and SDK's API (passkey and SDK sessions). */
export function walletApi(deps: ApiDependencies) {
    return new Elysia({ prefix: "/wallet", name: "api-wallet" })
        .use(deps.sessionMacros)
        .use(deps.domains.auth.walletRoutes)
        .use(deps.domains.notifications.walletRoutes)
        .use(deps.domains.pairing.walletRoutes)
        .use(deps.domains.wallet.walletRoutes)
        .use(deps.domains.interactions.routes.wallet(deps.sessionMacros));
}
