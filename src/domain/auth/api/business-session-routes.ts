import { Elysia, t } from "elysia";
import { apiErrors } from "../../../infrastructure/http";
import type { BusinessSessionService } from "../services/business-session-service";

/** `POST /business/auth/logout` of the merchant dashboard. */
export function businessSessionRoutes(sessions: BusinessSessionService) {
    return new Elysia().post(
        "/business/auth/logout",
        ({ headers }) => sessions.logout(headers["x-business-auth"]),
        {
            headers: t.Object({ "x-business-auth": t.Optional(t.String()) }),
            response: {
                200: t.Object({
                    revoked: t.Boolean({
                        description: "false when the token was not an active session of ours",
                    }),
                }),
                ...apiErrors({ 503: ["service_unavailable"] }),
            },
            detail: {
                summary: "Log out of the merchant dashboard",
                description:
                    "Revokes the business session sent in x-business-auth: it is refused (401) on every route and instance from then on. Always 200, also without a token or for one already revoked.",
                tags: ["auth"],
            },
        },
    );
}
