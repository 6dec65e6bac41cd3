import { Elysia, t } from "elysia";
import type { Address, Hex } from "viem";
import { apiErrors, type sessionMacros } from "../../../infrastructure/http";
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
export function oracleSetupRoutes(
    macros: ReturnType<typeof sessionMacros>,
    service: OracleSetupService,
) {
    return new Elysia({ name: "oracle-setup" })
        .use(macros)
        .get(
            "/product/:productId/oracleWebhook/status",
            ({ params, businessSession }) =>
                service.status({
                    productId: params.productId as Hex,
                    wallet: (businessSession?.wallet as Address | undefined) ?? null,
                }),
            {
                withBusinessSession: true,
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
            "/product/:productId/oracleWebhook/setup",
            async ({ params, body, businessSession }) => {
                await service.setup({
                    productId: params.productId as Hex,
                    wallet: businessSession.wallet as Address,
                    hookSignatureKey: body.hookSignatureKey,
                    platform: body.platform,
                });
            },
            {
                withBusinessAuthent: true,
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
            "/product/:productId/oracleWebhook/delete",
            async ({ params, businessSession }) => {
                await service.delete({
                    productId: params.productId as Hex,
                    wallet: businessSession.wallet as Address,
                });
            },
            {
                withBusinessAuthent: true,
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
