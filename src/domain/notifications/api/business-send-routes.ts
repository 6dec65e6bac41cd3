import { Elysia } from "elysia";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import type { Targets } from "../services/audience-resolver";
import type { BroadcastService } from "../services/broadcast-service";
import { SendNotificationResultSchema, SendNotificationSchema } from "./models";

/** `POST /business/notifications/send`: a merchant notifies wallets of its own audience. */
export function businessSendRoutes(macros: SessionMacros, service: BroadcastService) {
    return new Elysia({ name: "notifications-business-send" })
        .use(macros)
        .post(
            "/business/notifications/send",
            ({ businessSession, body }) =>
                service.broadcast(businessSession.wallet, body.targets as Targets, body.payload),
            {
                withBusinessAuthent: true,
                body: SendNotificationSchema,
                response: {
                    200: SendNotificationResultSchema,
                    ...apiErrors({
                        422: [
                            "payload_too_large",
                            "invalid_filter_product_id",
                            "invalid_reward_bound",
                            "rewards_filter_unavailable",
                        ],
                    }),
                },
                detail: {
                    summary: "Web Push broadcast to wallets that interacted with your products",
                    tags: ["notifications"],
                },
            },
        );
}
