import { Elysia } from "elysia";
import type { ApiDependencies } from "../dependencies";

/** `/common`: public helpers (admin wallets, rates, social redirect, lead capture). */
export function commonApi(_deps: ApiDependencies) {
    return new Elysia({ prefix: "/common", name: "api-common" });
}
