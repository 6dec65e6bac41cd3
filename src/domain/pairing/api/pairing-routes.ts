import { Elysia, t } from "elysia";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import type { PairingManagementService } from "../services/pairing-management-service";

const PairingIdParamsSchema = t.Object({ id: t.String({ minLength: 1, maxLength: 128 }) });

/** `/wallet/pairings/{find/:id, list, :id/delete}`. */
export function pairingRoutes(macros: SessionMacros, service: PairingManagementService) {
    return new Elysia({ name: "pairing-routes" })
        .use(macros)
        .get(
            "/wallet/pairings/find/:id",
            ({ params, walletSession }) =>
                service.find(params.id, {
                    // The phone's own passkey session; not a desktop, an ecdsa or SDK session.
                    withCode:
                        walletSession !== null &&
                        (walletSession.type === undefined || walletSession.type === "webauthn"),
                }),
            {
                withWalletSession: true,
                params: PairingIdParamsSchema,
                response: {
                    200: t.Object({
                        id: t.String(),
                        originName: t.String(),
                        createdAt: t.Date(),
                        pairingCode: t.Optional(
                            t.String({
                                description:
                                    "Only for a phone's `webauthn` session, while the pairing is unresolved",
                            }),
                        ),
                    }),
                    ...apiErrors({ 404: ["pairing_not_found"] }),
                },
                detail: {
                    summary: "Information on a pairing for the phone's pairing page",
                    description:
                        "`pairingCode` (shown on both screens, then sent by the phone to join) is returned only to a phone's own `webauthn` wallet session and only while the pairing is unresolved; anyone else gets id, origin name and date.",
                    tags: ["pairing"],
                },
            },
        )
        .get("/wallet/pairings/list", ({ walletSession }) => service.list(walletSession.address), {
            withOwnDeviceWalletAuthent: true,
            response: {
                200: t.Array(
                    t.Object({
                        pairingId: t.String(),
                        originName: t.String(),
                        targetName: t.String(),
                        createdAt: t.Date(),
                        lastActiveAt: t.Date(),
                    }),
                ),
                ...apiErrors({ 401: ["unauthorized"], 403: ["paired_device_forbidden"] }),
            },
            detail: {
                summary: "The caller's pairings",
                description: "The phone manages pairings: a paired desktop's session gets 403.",
                tags: ["pairing"],
            },
        })
        .post(
            "/wallet/pairings/:id/delete",
            async ({ walletSession, params }) => {
                await service.delete(walletSession.address, params.id);
            },
            {
                withOwnDeviceWalletAuthent: true,
                params: PairingIdParamsSchema,
                response: {
                    200: t.Void(),
                    ...apiErrors({
                        401: ["unauthorized"],
                        403: ["paired_device_forbidden", "forbidden"],
                        404: ["pairing_not_found", "pairing_not_resolved"],
                    }),
                },
                detail: {
                    summary: "Delete one of the caller's pairings",
                    description:
                        "Revokes the desktop session issued through it (and the SDK tokens minted from that session) and closes its open sockets on every instance. A paired desktop's session gets 403.",
                    tags: ["pairing"],
                },
            },
        );
}
