import { Elysia, t } from "elysia";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import type { PushTokenService } from "../services/push-token-service";
import { PushSubscriptionSchema } from "./models";

const ownDeviceResponses = {
    200: t.Void(),
    ...apiErrors({ 401: ["unauthorized"], 403: ["paired_device_forbidden"] }),
};
const registerResponses = {
    ...ownDeviceResponses,
    ...apiErrors({ 422: ["invalid_push_endpoint"] }),
};

/** `/wallet/notifications/tokens*`: the wallet's own Web Push subscriptions. */
export function walletTokenRoutes(macros: SessionMacros, service: PushTokenService) {
    return new Elysia({ name: "notifications-wallet-tokens" })
        .use(macros)
        .put(
            "/wallet/notifications/tokens",
            async ({ walletSession, body }) => {
                await service.register(walletSession.address, body.subscription);
            },
            {
                withOwnDeviceWalletAuthent: true,
                body: PushSubscriptionSchema,
                response: registerResponses,
                detail: {
                    summary: "Register a Web Push subscription",
                    description:
                        "Only from the wallet's own device: a paired desktop's session gets 403 (its subscription would outlive the pairing).",
                    tags: ["notifications"],
                },
            },
        )
        .delete(
            "/wallet/notifications/tokens",
            async ({ walletSession }) => {
                await service.removeAll(walletSession.address);
            },
            {
                withOwnDeviceWalletAuthent: true,
                response: ownDeviceResponses,
                detail: {
                    summary: "Remove all of the wallet's subscriptions",
                    description:
                        "Only from the wallet's own device: a paired desktop's session gets 403 (it would silence the phone).",
                    tags: ["notifications"],
                },
            },
        )
        .get(
            "/wallet/notifications/tokens/hasAny",
            ({ walletSession }) => service.hasAny(walletSession.address),
            {
                withWalletAuthent: true,
                response: { 200: t.Boolean() },
                detail: {
                    summary: "Whether the wallet has any subscription",
                    tags: ["notifications"],
                },
            },
        );
}
