import { Elysia, t } from "elysia";
import { apiErrors } from "../../../infrastructure/http";
import type { PasskeyRegistrationService } from "../services/passkey-registration-service";
import {
    AddressSchema,
    HexSchema,
    WalletAuthHeadersSchema,
    WebAuthnWalletAuthSchema,
} from "./schemas";

/** `POST /wallet/auth/register`: registers a passkey and opens its wallet session. */
export function registerRoutes(registrations: PasskeyRegistrationService) {
    return new Elysia().post(
        "/wallet/auth/register",
        ({ body, headers }) => registrations.register(body, headers["x-wallet-auth"]),
        {
            headers: WalletAuthHeadersSchema,
            body: t.Object(
                {
                    id: t.String({ minLength: 1, maxLength: 1024 }),
                    publicKey: t.Object({ x: HexSchema, y: HexSchema, prefix: t.Number() }),
                    raw: t.String({
                        minLength: 1,
                        maxLength: 65_536,
                        description: "base64 of the JSON registration response",
                    }),
                    userAgent: t.String({ maxLength: 1024 }),
                    previousWallet: t.Optional(AddressSchema),
                    previousWalletProof: t.Optional(
                        t.Object(
                            {
                                challenge: HexSchema,
                                signature: t.String({ minLength: 1, maxLength: 32_768 }),
                            },
                            {
                                description:
                                    "Optional: an assertion by an existing passkey of previousWallet over a challenge from POST /wallet/auth/challenge (same format as sdk/fromWebAuthNSignature); verified when sent",
                            },
                        ),
                    ),
                    setSessionCookie: t.Optional(t.Boolean()),
                },
                {
                    examples: [
                        {
                            id: "Q2x0c2VjcmV0LWNyZWRlbnRpYWw",
                            publicKey: {
                                x: "0x65a2fa44daad46eab0278703edb6c4dcf5e30b8a9aec09fdc71a56f52aa392e4",
                                y: "0x1c3e8f0b2d7a94e6c05f1b3a8d2e7c49f60a1b2c3d4e5f60718293a4b5c6d7e8",
                                prefix: 4,
                            },
                            raw: "eyJpZCI6IlEyeDBjMlZqY21WMExXTnlaV1JsYm5ScFlXdyIsLi4ufQ==",
                            userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
                        },
                    ],
                },
            ),
            detail: {
                summary: "Register a passkey",
                description:
                    "The clientDataJSON challenge must come from POST /wallet/auth/challenge, or be ox's default creation challenge (the seed's wallet); a credential id registers once (409). `previousWallet` requires x-wallet-auth of a `webauthn` session of that wallet (401 without, 403 for another wallet or a paired desktop's `distant-webauthn` or an `ecdsa` session) and, when `previousWalletProof` is sent, a valid assertion of one of its passkeys (403 otherwise).",
                tags: ["auth"],
            },
            response: {
                200: WebAuthnWalletAuthSchema,
                ...apiErrors({
                    400: ["registration_failed", "unexpected_wallet_proof", "public_key_mismatch"],
                    401: ["unauthorized"],
                    403: ["invalid_wallet_proof", "passkey_session_required", "forbidden"],
                    409: ["credential_exists"],
                }),
            },
        },
    );
}
