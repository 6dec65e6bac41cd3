import { Elysia, t } from "elysia";
import type { EcdsaLoginService } from "../services/ecdsa-login-service";
import type { PasskeyLoginService } from "../services/passkey-login-service";
import {
    AddressSchema,
    EcdsaWalletAuthSchema,
    ErrorSchema,
    HexSchema,
    WebAuthnWalletAuthSchema,
} from "./schemas";

/** `POST /auth/login` (passkey) and `POST /auth/ecdsaLogin` (EOA signer). */
export function loginRoutes(passkeys: PasskeyLoginService, ecdsa: EcdsaLoginService) {
    return new Elysia()
        .post("/auth/login", ({ body }) => passkeys.login(body), {
            body: t.Object({
                expectedChallenge: HexSchema,
                authenticatorResponse: t.String({
                    minLength: 1,
                    maxLength: 32_768,
                    description:
                        "base64 JSON: the compressed ox assertion `{id, response:{metadata, signature}}` or a standard AuthenticationResponseJSON",
                }),
            }),
            detail: { summary: "Log in with a passkey (404 Invalid signature on failure)" },
            response: { 200: WebAuthnWalletAuthSchema, 404: ErrorSchema },
        })
        .post("/auth/ecdsaLogin", ({ body }) => ecdsa.login(body), {
            body: t.Object({
                expectedChallenge: t.String({ minLength: 1, maxLength: 256 }),
                wallet: AddressSchema,
                signature: HexSchema,
                demoPkey: t.Optional(HexSchema),
            }),
            detail: { summary: "Log in with an EOA signer (404 Invalid signature on failure)" },
            response: { 200: EcdsaWalletAuthSchema, 404: ErrorSchema },
        });
}
