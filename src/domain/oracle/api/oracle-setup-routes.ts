import { Elysia, t } from "elysia";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import { HexSchema } from "../../../utils/schemas";
import type { OracleSetupService } from "../services/oracle-setup-service";

const ProductIdParamsSchema = t.Object({ productId: HexSchema });

const PlatformSchema = t.Union([
    t.Literal("shopify"),
    t.Literal("woocommerce"),
    t.Literal("custom"),
    t.Literal("internal"),
]);

const SetupSchema = t.Object(
    {
        hookSignatureKey: t.String({ minLength: 1, maxLength: 512 }),
        platform: PlatformSchema,
    },
    { examples: [{ hookSignatureKey: "shpss_5f2c1e7a64b0d8e3", platform: "shopify" }] },
);

const ownerErrors = apiErrors({ 400: ["invalid_product_id"], 401: ["unauthorized"] });

const OracleStatusSchema = t.Union([
    t.Object({ setup: t.Literal(false) }),
    t.Object({
        setup: t.Literal(true),
        platform: PlatformSchema,
        webhookSigninKey: t.String(),
        stats: t.Optional(
            t.Object({
                firstPurchase: t.Optional(t.Nullable(t.Date())),
                lastPurchase: t.Optional(t.Nullable(t.Date())),
                lastUpdate: t.Optional(t.Nullable(t.Date())),
                totalPurchaseHandled: t.Optional(t.Number()),
            }),
        ),
    }),
]);

/** `/business/product/:productId/oracleWebhook/{status,setup,delete}`. */
export function oracleSetupRoutes(macros: SessionMacros, service: OracleSetupService) {
    return new Elysia({ name: "oracle-setup" })
        .use(macros)
        .get(
            "/business/product/:productId/oracleWebhook/status",
            ({ productId, holdsProductRole }) => service.status(productId, holdsProductRole),
            {
                withBusinessSession: true,
                withOptionalProductRole: "purchaseOracleUpdater",
                params: ProductIdParamsSchema,
                response: { 200: OracleStatusSchema },
                detail: {
                    summary:
                        "Purchase oracle status (key and stats for owner/admin/oracle updater)",
                    tags: ["oracle"],
                },
            },
        )
        .post(
            "/business/product/:productId/oracleWebhook/setup",
            async ({ productId, body }) => {
                await service.setup({
                    productId,
                    hookSignatureKey: body.hookSignatureKey,
                    platform: body.platform,
                });
            },
            {
                // A missing session is 401 before a bad product id (400), as in the seed.
                withBusinessAuthent: true,
                withProductRole: "purchaseOracleUpdater",
                params: ProductIdParamsSchema,
                body: SetupSchema,
                response: { 200: t.Void(), ...ownerErrors },
                detail: {
                    summary: "Create, update or re-enable the purchase oracle",
                    tags: ["oracle"],
                },
            },
        )
        .post(
            "/business/product/:productId/oracleWebhook/delete",
            async ({ productId }) => {
                await service.delete(productId);
            },
            {
                withBusinessAuthent: true,
                withProductRole: "purchaseOracleUpdater",
                params: ProductIdParamsSchema,
                response: {
                    200: t.Void(),
                    ...ownerErrors,
                    ...apiErrors({ 404: ["oracle_not_found"] }),
                },
                detail: {
                    summary: "Disable the purchase oracle (purchases and tree are kept)",
                    tags: ["oracle"],
                },
            },
        );
}
