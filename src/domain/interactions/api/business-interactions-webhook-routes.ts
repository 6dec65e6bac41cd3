import { Elysia, t } from "elysia";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import { HexSchema } from "../../../utils/schemas";
import type { InteractionsWebhookAdmin } from "../services/interactions-webhook-admin";

/** `/business/product/:productId/interactionsWebhook/*`: the product's interactions webhook. */
export function businessInteractionsWebhookRoutes(deps: {
    macros: SessionMacros;
    admin: InteractionsWebhookAdmin;
}) {
    const ProductIdParamsSchema = t.Object({ productId: HexSchema });
    const WebhookStatusSchema = t.Union([
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
    return new Elysia({ name: "interactions-business-routes", tags: ["interactions"] })
        .use(deps.macros)
        .get(
            "/business/product/:productId/interactionsWebhook/status",
            ({ productId, holdsProductRole }) => deps.admin.status(productId, holdsProductRole),
            {
                withBusinessSession: true,
                withOptionalProductRole: "interactionManager",
                params: ProductIdParamsSchema,
                response: {
                    200: WebhookStatusSchema,
                    ...apiErrors({ 400: ["invalid_product_id"] }),
                },
                detail: {
                    summary: "Tracker status (the key only to owner/admin/interactionManager)",
                },
            },
        )
        .post(
            "/business/product/:productId/interactionsWebhook/setup",
            async ({ productId, body }) => {
                await deps.admin.setup(productId, body);
            },
            {
                // The seed's order: a bad product id (400) before a missing session (401).
                withBusinessSession: true,
                withProductRole: "interactionManager",
                params: ProductIdParamsSchema,
                body: t.Object(
                    {
                        hookSignatureKey: t.String({ minLength: 1, maxLength: 512 }),
                        source: t.Literal("custom"),
                    },
                    { examples: [{ hookSignatureKey: "9f2c1e7a64b0d8", source: "custom" }] },
                ),
                response: { 200: t.Void(), ...managerErrors },
                detail: { summary: "Create or replace the product's interactions webhook key" },
            },
        )
        .post(
            "/business/product/:productId/interactionsWebhook/delete",
            async ({ productId }) => {
                await deps.admin.delete(productId);
            },
            {
                withBusinessSession: true,
                withProductRole: "interactionManager",
                params: ProductIdParamsSchema,
                response: {
                    200: t.Void(),
                    ...managerErrors,
                    ...apiErrors({ 404: ["tracker_not_found"] }),
                },
                detail: { summary: "Delete the product's interactions webhook" },
            },
        );
}
