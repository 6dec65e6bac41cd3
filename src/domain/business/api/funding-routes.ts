import { Elysia, t } from "elysia";
import type { Address } from "viem";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import type { TestFundingService } from "../services/test-funding-service";
import { TestTokenBodySchema } from "./models";

/** `POST /business/funding/getTestToken`: test tokens for a campaign bank (never in production). */
export function fundingRoutes(macros: SessionMacros, funding: TestFundingService) {
    return new Elysia({ name: "business-funding" }).use(macros).post(
        "/business/funding/getTestToken",
        async ({ businessSession, body }) => {
            await funding.topUp(businessSession?.wallet, body.bank as Address, body.stablecoin);
        },
        {
            // Before validation and the session: in production the route answers 404 to anyone.
            transform: () => funding.assertAvailable(),
            withBusinessSession: true,
            body: TestTokenBodySchema,
            response: {
                200: t.Void(),
                ...apiErrors({ 401: ["unauthorized"], 404: ["not_found"] }),
            },
            detail: {
                summary:
                    "Mint test tokens to a campaign bank (not in production; empty 200 once mined)",
                tags: ["business"],
            },
        },
    );
}
