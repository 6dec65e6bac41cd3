import { Elysia, t } from "elysia";
import { apiErrors, readBodyWithin } from "../../../infrastructure/http";
import { HexSchema } from "../../../utils/schemas";
import type { InteractionIntake, WebhookPushKind } from "../services/interaction-intake";

/**
 * `/ext/products/:productId/webhook/interactions/{push,pushRaw}`: merchants' servers push
 * interactions, signed with HMAC-SHA256 over the raw body bytes (`parse: "none"`), in the
 * seed's `x-hmac-sha256` form or as Standard Webhooks; each delivery is accepted once.
 */
export function extInteractionsRoutes(deps: {
    intake: InteractionIntake;
    /** Largest body read, once the product's webhook is known (413 beyond). */
    maxBodyBytes: number;
}) {
    const handle =
        (kind: WebhookPushKind) =>
        async ({
            params,
            headers,
            request,
        }: {
            params: { productId: string };
            headers: Record<string, string | undefined>;
            request: Request;
        }) => {
            await deps.intake.pushFromWebhook({
                kind,
                productId: params.productId as `0x${string}`,
                readBody: () => readBodyWithin(request, deps.maxBodyBytes),
                signature: {
                    hmac: headers["x-hmac-sha256"],
                    standard: {
                        id: headers["webhook-id"],
                        timestamp: headers["webhook-timestamp"],
                        signature: headers["webhook-signature"],
                    },
                },
            });
        };
    const options = {
        parse: "none" as const,
        params: t.Object({ productId: HexSchema }),
        headers: t.Object({
            "x-hmac-sha256": t.Optional(
                t.String({ description: "The seed's form: base64 HMAC-SHA256 of the raw body" }),
            ),
            "webhook-id": t.Optional(t.String({ description: "Standard Webhooks message id" })),
            "webhook-timestamp": t.Optional(
                t.String({ description: "Standard Webhooks timestamp (unix seconds, 5 min)" }),
            ),
            "webhook-signature": t.Optional(
                t.String({ description: "Standard Webhooks `v1,<base64>` signature(s)" }),
            ),
        }),
        response: {
            200: t.Void(),
            ...apiErrors({
                400: [
                    "missing_hmac",
                    "invalid_product_id",
                    "no_interaction_contract",
                    "malformed_body",
                    "invalid_body",
                    "invalid_raw_interaction",
                ],
                401: ["invalid_signature"],
                403: ["invalid_wallet"],
                404: ["tracker_not_found"],
            }),
        },
    };
    return new Elysia({ name: "interactions-ext-routes", tags: ["interactions"] })
        .post("/ext/products/:productId/webhook/interactions/push", handle("push"), {
            ...options,
            detail: { summary: "Server-to-server push of an encoded interaction (HMAC)" },
        })
        .post("/ext/products/:productId/webhook/interactions/pushRaw", handle("pushRaw"), {
            ...options,
            detail: { summary: "Server-to-server push of a raw interaction (HMAC)" },
        });
}
