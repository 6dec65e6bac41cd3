import { Elysia, t } from "elysia";
import type { Address } from "viem";
import type { sessionMacros } from "../../../infrastructure/http";
import type { PushTokenService } from "../services/push-token-service";
import { PushSubscriptionModel } from "./models";

/** `/wallet/notifications/tokens*`: the wallet's own Web Push subscriptions. */
export function walletTokenRoutes(
    macros: ReturnType<typeof sessionMacros>,
    service: PushTokenService,
) {
    return new Elysia({ name: "notifications-wallet-tokens", prefix: "/notifications/tokens" })
        .use(macros)
        .put(
            "",
            async ({ walletSession, body }) => {
                await service.register(walletSession.address as Address, body.subscription);
            },
            {
                withWalletAuthent: true,
                body: PushSubscriptionModel,
                detail: { summary: "Register a Web Push subscription", tags: ["notifications"] },
            },
        )
        .delete(
            "",
            async ({ walletSession }) => {
                await service.removeAll(walletSession.address as Address);
            },
            {
                withWalletAuthent: true,
                detail: {
                    summary: "Remove all of the wallet's subscriptions",
                    tags: ["notifications"],
                },
            },
        )
        .get("/hasAny", ({ walletSession }) => service.hasAny(walletSession.address as Address), {
            withWalletAuthent: true,
            response: { 200: t.Boolean() },
            detail: { summary: "Whether the wallet has any subscription", tags: ["notifications"] },
        });
}
