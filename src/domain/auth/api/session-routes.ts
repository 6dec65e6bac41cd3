import { Elysia, t } from "elysia";
import { apiErrors } from "../../../infrastructure/http";
import type { WalletSessionService } from "../services/wallet-session-service";
import { AddressSchema, P256PublicKeySchema, WalletAuthHeadersSchema } from "./schemas";

/** The seed's leftover cookie: logout still clears it (no route sets it). */
const clearBusinessAuthCookie =
    "businessAuth=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT";

/** `/wallet/auth/routing`, `/wallet/auth/logout`, `/wallet/auth/session`. */
export function sessionRoutes(sessions: WalletSessionService) {
    return new Elysia({ tags: ["auth"] })
        .get("/wallet/auth/routing", () => "evm" as const, {
            query: t.Object({ origin: t.String() }),
            response: { 200: t.Literal("evm", { description: "Text body" }) },
            detail: { summary: "Which stack serves the origin (always `evm`)" },
        })
        .post(
            "/wallet/auth/logout",
            async ({ headers, set }) => {
                await sessions.logout(headers["x-wallet-auth"]);
                if (/(?:^|;\s*)businessAuth=/.test(headers.cookie ?? "")) {
                    set.headers["set-cookie"] = clearBusinessAuthCookie;
                }
                set.status = 200;
            },
            {
                headers: t.Object({
                    "x-wallet-auth": t.Optional(t.String()),
                    cookie: t.Optional(t.String()),
                }),
                response: { 200: t.Void(), ...apiErrors({ 503: ["service_unavailable"] }) },
                detail: {
                    summary: "Log out: revokes the wallet session sent in x-wallet-auth",
                },
            },
        )
        .get("/wallet/auth/session", ({ headers }) => sessions.describe(headers["x-wallet-auth"]), {
            headers: WalletAuthHeadersSchema,
            detail: {
                summary: "The decoded wallet session",
                description:
                    "404 when absent or invalid (as the seed); 401 when it is a session of ours that was revoked (logout, deleted pairing).",
            },
            response: {
                200: t.Object({
                    token: t.String(),
                    type: t.Optional(
                        t.Union([
                            t.Literal("webauthn"),
                            t.Literal("ecdsa"),
                            t.Literal("distant-webauthn"),
                        ]),
                    ),
                    address: AddressSchema,
                    authenticatorId: t.String(),
                    publicKey: t.Union([P256PublicKeySchema, AddressSchema]),
                    transports: t.Optional(t.Array(t.String())),
                    pairingId: t.Optional(t.String()),
                }),
                ...apiErrors({
                    401: ["unauthorized"],
                    404: ["no_wallet_session", "invalid_wallet_session"],
                }),
            },
        });
}
