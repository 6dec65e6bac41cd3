import { Elysia, t } from "elysia";
import type { Hex } from "viem";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import { enforceRateLimit, type RateLimiter } from "../../../infrastructure/rate-limit";
import { AddressSchema, HexSchema } from "../../../utils/schemas";
import type { InteractionIntake, SdkInteraction } from "../services/interaction-intake";
import type { PurchaseListener } from "../services/purchase-listener";
import type { RewardEstimator } from "../services/reward-estimator";

const EncodedInteractionSchema = t.Object({
    handlerTypeDenominator: HexSchema,
    interactionData: HexSchema,
});

/** `/wallet/interactions/*`: the SDK's push, purchase listening and reward estimates. */
export function walletInteractionsRoutes(deps: {
    macros: SessionMacros;
    intake: InteractionIntake;
    listener: PurchaseListener;
    estimator: RewardEstimator;
    /** Per-wallet quotas of the SDK routes (per-IP ones are applied before routing). */
    limiter: RateLimiter;
}) {
    const AmountSchema = t.Object({
        amount: t.Number(),
        eurAmount: t.Number(),
        usdAmount: t.Number(),
        gbpAmount: t.Number(),
    });
    const EstimateSchema = t.Object({
        maxReferrer: AmountSchema,
        maxReferee: AmountSchema,
        activeRewards: t.Array(
            t.Object({
                campaign: AddressSchema,
                interactionTypeKey: t.String(),
                token: AddressSchema,
                referrer: AmountSchema,
                referee: AmountSchema,
                triggerData: t.Object({ baseReward: t.Number() }),
            }),
        ),
        totalReferrerEur: t.Number(),
        totalRefereeEur: t.Number(),
    });
    return new Elysia({ name: "interactions-wallet-routes", tags: ["interactions"] })
        .use(deps.macros)
        .post(
            "/wallet/interactions/push",
            async ({ body, walletSdkSession }) => {
                const wallet = walletSdkSession.address;
                await enforceRateLimit(deps.limiter, "interactionsPushWallet", wallet);
                return deps.intake.pushFromSdk(wallet, body.interactions as SdkInteraction[]);
            },
            {
                withWalletSdkAuthent: true,
                body: t.Object(
                    {
                        interactions: t.Array(
                            t.Object({
                                wallet: AddressSchema,
                                productId: HexSchema,
                                interaction: EncodedInteractionSchema,
                                signature: t.Optional(t.Union([HexSchema, t.Null()])),
                            }),
                            // Bounded: one request must not queue an unbounded amount of work.
                            { maxItems: 500 },
                        ),
                    },
                    {
                        examples: [
                            {
                                interactions: [
                                    {
                                        wallet: "0x1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
                                        productId:
                                            "0x7a1e5b2c9d8f3e4a6b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a",
                                        interaction: {
                                            handlerTypeDenominator: "0x1e",
                                            interactionData: "0xb2c0f17c",
                                        },
                                    },
                                ],
                            },
                        ],
                    },
                ),
                response: {
                    200: t.Array(t.String({ description: "Queued interaction id" })),
                    ...apiErrors({ 403: ["invalid_wallet"] }),
                },
                detail: { summary: "Queue interactions for the SDK session's wallet" },
            },
        )
        .get(
            "/wallet/interactions/estimate",
            async ({ query }) =>
                (await deps.estimator.estimate(query.productId as Hex, query.interactionKey)) ??
                undefined,
            {
                query: t.Object({ productId: HexSchema, interactionKey: t.Optional(t.String()) }),
                response: {
                    200: t.Union([EstimateSchema, t.Void()], {
                        description: "Empty body when the product has no active campaign",
                    }),
                },
                detail: { summary: "Rewards of a product's active campaigns (empty body if none)" },
            },
        )
        .post(
            "/wallet/interactions/listenForPurchase",
            async ({ body, sdkWallet }) => {
                await enforceRateLimit(deps.limiter, "purchaseListenWallet", sdkWallet);
                await deps.listener.listen(sdkWallet, body);
            },
            {
                // An SDK JWT; a bare address only in the opt-in legacy mode (docs/compatibility.md).
                withLegacyAwareSdkAuthent: true,
                // The seed parses the body as JSON whatever the content type.
                parse: "json",
                body: t.Object(
                    {
                        // Bounded: the tracker job sends these back to the oracle every run.
                        customerId: t.Union([
                            t.String({ minLength: 1, maxLength: 256 }),
                            t.Number(),
                        ]),
                        orderId: t.Union([t.String({ minLength: 1, maxLength: 256 }), t.Number()]),
                        token: t.String({
                            minLength: 1,
                            maxLength: 256,
                            description: "The shop's checkout (or order) token",
                        }),
                    },
                    {
                        examples: [
                            { customerId: 7123456, orderId: 5000123456, token: "chk-9f2c1e7a" },
                        ],
                    },
                ),
                response: { 200: t.Void(), ...apiErrors({ 401: ["unauthorized"] }) },
                detail: { summary: "Link a shop order to the wallet (purchase.completed later)" },
            },
        );
}
