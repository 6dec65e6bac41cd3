import { Elysia, t } from "elysia";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import { HexSchema } from "../../../utils/schemas";
import type { OracleSetupService } from "../services/oracle-setup-service";

const params = t.Object({ productId: HexSchema });

const PlatformModel = t.Union([
    t.Literal("shopify"),
    t.Literal("woocommerce"),
    t.Literal("custom"),
    t.Literal("internal"),
]);

const SetupModel = t.Object(
    {
        hookSignatureKey: t.String({ minLength: 1, maxLength: 512 }),
        platform: PlatformModel,
    },
    { examples: [{ hookSignatureKey: "shpss_5f2c1e7a64b0d8e3", platform: "shopify" }] },
);

const ownerErrors = apiErrors({ 400: ["invalid_product_id"], 401: ["unauthorized"] });

const StatusModel = t.Union([
    t.Object({ setup: t.Literal(false) }),
    t.Object({
        setup: t.Literal(true),
        platform: PlatformModel,
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
                params,
                response: { 200: StatusModel },
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
                params,
                body: SetupModel,
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
                params,
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
