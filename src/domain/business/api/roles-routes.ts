import { Elysia } from "elysia";
import type { Address, Hex } from "viem";
import type { SessionMacros } from "../../../infrastructure/http";
import type { ProductRolesService } from "../services/product-roles-service";
import { RolesQuerySchema, RolesResponseSchema } from "./models";

/** `GET /business/roles`: a wallet's (default: the caller's) roles on a product. */
export function rolesRoutes(macros: SessionMacros, roles: ProductRolesService) {
    return new Elysia({ name: "business-roles" })
        .use(macros)
        .get(
            "/business/roles",
            async ({ businessSession, query }) =>
                roles.rolesOf(
                    query.productId as Hex | undefined,
                    query.wallet as Address | undefined,
                    businessSession?.wallet,
                ),
            {
                // Nullable session: the seed refuses a missing product id (400) before a missing session (401).
                withBusinessSession: true,
                query: RolesQuerySchema,
                response: { 200: RolesResponseSchema },
                detail: {
                    summary: "A wallet's roles on a product (owner, admin, managers)",
                    tags: ["business"],
                },
            },
        );
}
