import { Elysia } from "elysia";
import type { ApiDependencies } from "../dependencies";
import { adminWalletRoutes } from "./admin-wallet";

/** `/common`: public helpers (admin wallets, rates, social redirect, lead capture). */
export function commonApi(deps: ApiDependencies) {
    return new Elysia({ prefix: "/common", name: "api-common" })
        .use(adminWalletRoutes(deps.infra))
        .use(deps.domains.wallet.commonRoutes);
}
