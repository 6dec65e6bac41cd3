import { Elysia, t } from "elysia";
import type { BusinessLoginService } from "../services/business-login-service";
import { AddressSchema, ErrorSchema, HexSchema } from "./schemas";

/** `GET /auth/nonce` and `POST /auth/login` of the merchant dashboard (SIWE). */
export function businessLoginRoutes(logins: BusinessLoginService) {
    return new Elysia()
        .get("/auth/nonce", () => logins.issueNonce(), {
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
            "/auth/login",
            ({ body, headers }) => logins.login({ ...body, origin: headers.origin }),
            {
                headers: t.Object({ origin: t.Optional(t.String()) }),
                body: t.Object({
                    message: t.String({ minLength: 1, maxLength: 8_192 }),
                    signature: HexSchema,
                }),
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
                    400: ErrorSchema,
                    401: ErrorSchema,
                },
            },
        );
}
