import { Elysia, t } from "elysia";
import type { Address } from "viem";
import type { sessionMacros } from "../../../infrastructure/http";
import type { PairingManagementService } from "../services/pairing-management-service";

const ErrorModel = t.Object({ error: t.String(), message: t.String() });
const PairingIdParams = t.Object({ id: t.String({ minLength: 1, maxLength: 128 }) });

/** `/wallet/pairings/{find/:id, list, :id/delete}`. */
export function pairingRoutes(
    macros: ReturnType<typeof sessionMacros>,
    service: PairingManagementService,
) {
    return new Elysia({ name: "pairing-routes", prefix: "/pairings" })
        .use(macros)
        .get("/find/:id", ({ params }) => service.find(params.id), {
            params: PairingIdParams,
            response: {
                200: t.Object({ id: t.String(), originName: t.String(), createdAt: t.Date() }),
                404: ErrorModel,
            },
            detail: {
                summary: "Public information on a pairing (without its code)",
                tags: ["pairing"],
            },
        })
        .get("/list", ({ walletSession }) => service.list(walletSession.address as Address), {
            withWalletAuthent: true,
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
            },
            detail: { summary: "The caller's pairings", tags: ["pairing"] },
        })
        .post(
            "/:id/delete",
            async ({ walletSession, params }) => {
                await service.delete(walletSession.address as Address, params.id);
            },
            {
                withWalletAuthent: true,
                params: PairingIdParams,
                detail: {
                    summary: "Delete one of the caller's pairings (its open sockets are closed)",
                    tags: ["pairing"],
                },
            },
        );
}
