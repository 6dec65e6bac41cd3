import { Elysia, t } from "elysia";
import { ApiError } from "../../../infrastructure/errors/api-error";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import type { PasskeyLoginService } from "../services/passkey-login-service";
import type { WalletSessionService } from "../services/wallet-session-service";
import { AddressSchema, HexSchema, SdkTokenSchema } from "./schemas";

/** `/wallet/auth/sdk/*`: SDK tokens from a wallet session or a passkey signature, and their check. */
export function sdkRoutes(
    macros: SessionMacros,
    sessions: WalletSessionService,
    passkeys: PasskeyLoginService,
) {
    return new Elysia({ tags: ["auth"] })
        .use(macros)
        .get(
            "/wallet/auth/sdk/generate",
            ({ walletSession }) => sessions.generateSdkToken(walletSession),
            {
                withWalletAuthent: true,
                detail: { summary: "A new SDK JWT for the wallet session" },
                response: { 200: SdkTokenSchema, ...apiErrors({ 401: ["unauthorized"] }) },
            },
        )
        .post(
            "/wallet/auth/sdk/fromWebAuthNSignature",
            ({ body }) => passkeys.sdkTokenFromSignature(body),
            {
                body: t.Object(
                    {
                        challenge: HexSchema,
                        signature: t.String({ minLength: 1, maxLength: 32_768 }),
                        wallet: AddressSchema,
                    },
                    {
                        examples: [
                            {
                                challenge:
                                    "0x5b8e0f0e3c1d9a7b2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c",
                                signature: "eyJpZCI6IkFiQ2QuLi4ifQ==",
                                wallet: "0x1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
                            },
                        ],
                    },
                ),
                detail: {
                    summary: "A new SDK JWT from a passkey assertion over an unused challenge",
                    description:
                        "The challenge (issued or the client's own) is spent by this call: re-sending a login's assertion gives 403, and the client falls back to GET /wallet/auth/sdk/generate with its wallet session.",
                    tags: ["auth"],
                },
                response: { 200: SdkTokenSchema, ...apiErrors({ 403: ["invalid_signature"] }) },
            },
        )
        .get(
            "/wallet/auth/sdk/isValid",
            async ({ headers }) => {
                const validity = await sessions.sdkTokenValidity(headers["x-wallet-sdk-auth"]);
                if (!validity) throw new ApiError("unauthorized", "Unauthorized");
                return validity;
            },
            {
                headers: t.Object({ "x-wallet-sdk-auth": t.Optional(t.String()) }),
                detail: {
                    summary: "Whether the SDK JWT is still valid",
                    description:
                        "200 `{ isValid: false }` for an SDK JWT of ours that expired; 401 for a missing, foreign or revoked one.",
                    tags: ["auth"],
                    security: [{ walletSdkAuth: [] }],
                },
                response: {
                    200: t.Object({ isValid: t.Boolean() }),
                    ...apiErrors({ 401: ["unauthorized"] }),
                },
            },
        );
}
