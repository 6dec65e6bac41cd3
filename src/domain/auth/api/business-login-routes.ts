import { Elysia, t } from "elysia";
import type { BusinessLoginService } from "../services/business-login-service";
import { AddressSchema, ErrorSchema, HexSchema } from "./schemas";

/** `GET /auth/nonce` and `POST /auth/login` of the merchant dashboard (SIWE). */
export function businessLoginRoutes(logins: BusinessLoginService) {
    return new Elysia()
        .get("/auth/nonce", () => logins.issueNonce(), {
            detail: { summary: "A SIWE nonce (single use, 10 minutes)" },
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
                        "The message's domain must be the Origin host, its nonce one from GET /business/auth/nonce. EOA, ERC-1271 and ERC-6492 signatures.",
                },
                response: {
                    200: t.Object({
                        token: t.String(),
                        wallet: AddressSchema,
                        expiresAt: t.Number({ description: "ms since epoch" }),
                    }),
                    400: ErrorSchema,
                },
            },
        );
}
