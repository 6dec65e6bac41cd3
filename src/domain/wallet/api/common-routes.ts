import { Elysia, t } from "elysia";
import type { Address } from "viem";
import { apiErrors } from "../../../infrastructure/http";
import { AddressSchema } from "../../../utils/schemas";
import type { BalanceService } from "../services/balance-service";
import type { LeadService } from "../services/lead-service";
import { type SocialRedirectHosts, socialExitFor } from "../services/social-redirect";
import { LeadBodySchema, RateSchema } from "./models";

/** `GET /common/rate`: fiat price of one token. */
export function rateRoutes(service: BalanceService) {
    return new Elysia({ name: "common-rate" }).get(
        "/common/rate",
        ({ query }) => service.rateOf(query.token as Address),
        {
            query: t.Object({ token: AddressSchema }),
            response: { 200: RateSchema },
            detail: { summary: "Token price in usd, eur, gbp", tags: ["common"] },
        },
    );
}

/** Headers of the fake PDF that makes Android leave Meta's in-app browser. */
const FAKE_PDF_HEADERS = {
    "content-type": "application/pdf",
    "content-disposition": 'inline; filename="dummy"',
    "content-transfer-encoding": "binary",
    "accept-ranges": "bytes",
};

/** `GET /common/social`: leave the Instagram / Facebook in-app browser. */
export function socialRoutes(hosts: SocialRedirectHosts) {
    return new Elysia({ name: "common-social" }).get(
        "/common/social",
        async ({ query, headers, redirect }) => {
            const exit = await socialExitFor(query.u, headers["user-agent"], hosts);
            if (exit.kind === "redirect") return redirect(exit.location, 302);
            return new Response(null, { status: 200, headers: FAKE_PDF_HEADERS });
        },
        {
            query: t.Object({ u: t.String({ maxLength: 4096 }) }),
            response: {
                200: t.Void({
                    description: "An empty fake PDF that makes the in-app browser hand over",
                }),
                302: t.Void({
                    description: "Redirect to the target URL (outside in-app browsers)",
                }),
            },
            detail: {
                summary: "Get out of the Instagram / Facebook in-app browser",
                tags: ["common"],
            },
        },
    );
}

/** `POST /common/airtable`: lead capture (stored, then forwarded to Airtable and Slack). */
export function airtableRoutes(service: LeadService) {
    return new Elysia({ name: "common-airtable" }).post(
        "/common/airtable",
        async ({ query, body }) => {
            await service.submit(query.table, body);
            return { success: true as const };
        },
        {
            query: t.Object({ table: t.String({ maxLength: 64 }) }),
            body: LeadBodySchema,
            response: {
                200: t.Object({ success: t.Literal(true) }),
                ...apiErrors({
                    400: ["missing_table", "invalid_table", "missing_email"],
                    409: ["lead_exists"],
                }),
            },
            detail: { summary: "Lead capture into Airtable and Slack", tags: ["common"] },
        },
    );
}
