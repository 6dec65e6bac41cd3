import { Elysia, t } from "elysia";
import { apiErrors } from "../../../infrastructure/http";
import type { BusinessLoginService } from "../services/business-login-service";
import { AddressSchema, HexSchema } from "./schemas";

/** `GET /business/auth/nonce` and `POST /business/auth/login` of the merchant dashboard (SIWE). */
export function businessLoginRoutes(logins: BusinessLoginService) {
    return new Elysia()
        .get("/business/auth/nonce", () => logins.issueNonce(), {
            detail: {
                summary: "A SIWE nonce (single use, 10 minutes)",
                description:
                    "Optional: a nonce the client generates itself is accepted as well when it was never used.",
                tags: ["auth"],
            },
            response: {
                200: t.Object({
                    nonce: t.String(),
                    expiresAt: t.Number({ description: "ms since epoch" }),
                }),
            },
        })
        .post(
            "/business/auth/login",
            ({ body, headers }) => logins.login({ ...body, origin: headers.origin }),
            {
                headers: t.Object({ origin: t.Optional(t.String()) }),
                body: t.Object(
                    {
                        message: t.String({ minLength: 1, maxLength: 8_192 }),
                        signature: HexSchema,
                    },
                    {
                        examples: [
                            {
                                message:
                                    "business.frak.id wants you to sign in with your Ethereum account:\n0x1a2B3c4D5e6F708192a3B4c5D6e7F8091A2b3C4d\n\nURI: https://business.frak.id\nVersion: 1\nChain ID: 31337\nNonce: 8Kd93hPq0aLx\nIssued At: 2026-12-02T17:00:00.000Z",
                                signature:
                                    "0x9c1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081b",
                            },
                        ],
                    },
                ),
                detail: {
                    summary: "Sign-In with Ethereum",
                    description:
                        "The message's domain and uri host must be dashboard hosts (BUSINESS_SIWE_DOMAINS) and the domain the Origin host; chainId the deployment's chain; issuedAt within 10 minutes; expirationTime not passed; the nonce (from GET /business/auth/nonce or the client's own) never used before. EOA, ERC-1271 and ERC-6492 signatures. 400 for a malformed message or a bad signature; 401 `siwe_domain_not_allowed`, `siwe_uri_not_allowed`, `siwe_origin_mismatch`, `siwe_chain_mismatch`, `siwe_issued_at_out_of_window`, `siwe_expired`, `siwe_not_yet_valid`, `siwe_nonce_used` for a refused one.",
                    tags: ["auth"],
                },
                response: {
                    200: t.Object({
                        token: t.String(),
                        wallet: AddressSchema,
                        expiresAt: t.Number({ description: "ms since epoch" }),
                    }),
                    ...apiErrors({
                        400: [
                            "missing_origin",
                            "invalid_origin",
                            "invalid_siwe_message",
                            "invalid_signature",
                        ],
                        401: [
                            "siwe_domain_not_allowed",
                            "siwe_uri_not_allowed",
                            "siwe_origin_mismatch",
                            "siwe_chain_mismatch",
                            "siwe_issued_at_out_of_window",
                            "siwe_expired",
                            "siwe_not_yet_valid",
                            "siwe_nonce_used",
                        ],
                    }),
                },
            },
        );
}
