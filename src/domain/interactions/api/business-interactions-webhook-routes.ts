import { Elysia, t } from "elysia";
import type { Address, Hex } from "viem";
import type { sessionMacros } from "../../../infrastructure/http";
import { HexSchema } from "../../../utils/schemas";
import type { BackendTrackerAdmin } from "../services/backend-tracker-admin";

/** `/business/product/:productId/interactionsWebhook/*`: the product's backend tracker. */
export function businessInteractionsWebhookRoutes(deps: {
    macros: ReturnType<typeof sessionMacros>;
    admin: BackendTrackerAdmin;
}) {
    const params = t.Object({ productId: HexSchema });
    return new Elysia({
        prefix: "/product/:productId/interactionsWebhook",
        name: "interactions-business-routes",
    })
        .use(deps.macros)
        .get(
            "/status",
            ({ params, businessSession }) =>
                deps.admin.status(
                    params.productId as Hex,
                    businessSession?.wallet as Address | undefined,
                ),
            {
                withBusinessSession: true,
                params,
                detail: {
                    summary: "Tracker status (the key only to owner/admin/interactionManager)",
                },
            },
        )
        .post(
            "/setup",
            async ({ params, body, businessSession }) => {
                await deps.admin.setup(
                    params.productId as Hex,
                    businessSession?.wallet as Address | undefined,
                    body,
                );
            },
            {
                withBusinessSession: true,
                params,
                body: t.Object({
                    hookSignatureKey: t.String({ minLength: 1 }),
                    source: t.Literal("custom"),
                }),
                detail: { summary: "Create or replace the product's interactions webhook key" },
            },
        )
        .post(
            "/delete",
            async ({ params, businessSession }) => {
                await deps.admin.delete(
                    params.productId as Hex,
                    businessSession?.wallet as Address | undefined,
                );
            },
            {
                withBusinessSession: true,
                params,
                detail: { summary: "Delete the product's interactions webhook" },
            },
        );
}
