import { Elysia, t } from "elysia";
import { type Address, type Hex, isAddress } from "viem";
import type { sessionMacros } from "../../../infrastructure/http";
import { ApiError } from "../../../infrastructure/http";
import { enforceRateLimit, type RateLimiter } from "../../../infrastructure/rate-limit";
import type { TokenService } from "../../../infrastructure/sessions";
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
    macros: ReturnType<typeof sessionMacros>;
    tokens: TokenService;
    intake: InteractionIntake;
    listener: PurchaseListener;
    estimator: RewardEstimator;
    legacyRawAddressAuth: boolean;
    /** Per-wallet quotas of the SDK routes (per-IP ones are applied before routing). */
    limiter: RateLimiter;
}) {
    /** SDK JWT; a bare address only in the opt-in legacy mode (`LEGACY_RAW_ADDRESS_AUTH`, docs/compatibility.md). */
    const listenerWallet = async (header: string | undefined): Promise<Address> => {
        if (!header) throw new ApiError(401, "unauthorized", "Missing wallet SDK JWT");
        const session = await deps.tokens.verifySdk(header);
        if (session) return session.address as Address;
        if (deps.legacyRawAddressAuth && isAddress(header, { strict: false })) return header;
        throw new ApiError(401, "unauthorized", "Invalid wallet SDK JWT");
    };

    return new Elysia({ prefix: "/interactions", name: "interactions-wallet-routes" })
        .use(deps.macros)
        .post(
            "/push",
            async ({ body, walletSdkSession }) => {
                const wallet = walletSdkSession.address as Address;
                await enforceRateLimit(deps.limiter, "interactionsPushWallet", wallet);
                return deps.intake.pushFromSdk(wallet, body.interactions as SdkInteraction[]);
            },
            {
                withWalletSdkAuthent: true,
                body: t.Object({
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
                }),
                response: t.Array(t.String()),
                detail: { summary: "Queue interactions for the SDK session's wallet" },
            },
        )
        .get(
            "/estimate",
            async ({ query }) =>
                (await deps.estimator.estimate(query.productId as Hex, query.interactionKey)) ??
                undefined,
            {
                query: t.Object({ productId: HexSchema, interactionKey: t.Optional(t.String()) }),
                detail: { summary: "Rewards of a product's active campaigns (empty body if none)" },
            },
        )
        .post(
            "/listenForPurchase",
            async ({ body, headers }) => {
                const wallet = await listenerWallet(headers["x-wallet-sdk-auth"]);
                await enforceRateLimit(deps.limiter, "purchaseListenWallet", wallet);
                await deps.listener.listen(wallet, body);
            },
            {
                // The seed parses the body as JSON whatever the content type.
                parse: "json",
                headers: t.Object({ "x-wallet-sdk-auth": t.Optional(t.String()) }),
                body: t.Object({
                    customerId: t.Union([t.String(), t.Number()]),
                    orderId: t.Union([t.String(), t.Number()]),
                    token: t.String(),
                }),
                detail: { summary: "Link a shop order to the wallet (purchase.completed later)" },
            },
        );
}
