import { Elysia, t } from "elysia";
import type { Address, Hex } from "viem";
import { apiErrors, type sessionMacros } from "../../../infrastructure/http";
import { HexSchema } from "../../../utils/schemas";
import type { BackendTrackerAdmin } from "../services/backend-tracker-admin";

/** `/business/product/:productId/interactionsWebhook/*`: the product's backend tracker. */
export function businessInteractionsWebhookRoutes(deps: {
    macros: ReturnType<typeof sessionMacros>;
    admin: BackendTrackerAdmin;
}) {
    const params = t.Object({ productId: HexSchema });
    const StatusModel = t.Union([
        t.Object({ setup: t.Literal(false) }),
        t.Object({
            setup: t.Literal(true),
            source: t.Literal("custom"),
            webhookSigninKey: t.Optional(
                t.String({ description: "Only for the owner, an admin or an interactionManager" }),
            ),
        }),
    ]);
    const managerErrors = apiErrors({
        400: ["invalid_product_id"],
        401: ["unauthorized"],
    });
    return new Elysia({
        prefix: "/product/:productId/interactionsWebhook",
        name: "interactions-business-routes",
        tags: ["interactions"],
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
                response: { 200: StatusModel, ...apiErrors({ 400: ["invalid_product_id"] }) },
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
                body: t.Object(
                    {
                        hookSignatureKey: t.String({ minLength: 1 }),
                        source: t.Literal("custom"),
                    },
                    { examples: [{ hookSignatureKey: "9f2c1e7a64b0d8", source: "custom" }] },
                ),
                response: { 200: t.Void(), ...managerErrors },
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
                response: {
                    200: t.Void(),
                    ...managerErrors,
                    ...apiErrors({ 404: ["tracker_not_found"] }),
                },
                detail: { summary: "Delete the product's interactions webhook" },
            },
        );
}
