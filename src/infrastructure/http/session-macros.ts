import { Elysia } from "elysia";
import { errorBody } from "../errors/api-error";
import type { BusinessSession, TokenService } from "../sessions";

/**
 * Authentication as route options, written once: `withWalletAuthent`, `withWalletSdkAuthent`
 * and `withBusinessAuthent` reject with 401 JSON; `withBusinessSession` resolves the business
 * session or null and lets the handler decide (the seed's `businessSessionContext`).
 */
export function sessionMacros(tokens: TokenService) {
    return new Elysia({ name: "session-macros", seed: tokens.instanceId }).macro({
        withWalletAuthent: {
            detail: { security: [{ walletAuth: [] }] },
            async resolve({ headers, status }) {
                const walletSession = await tokens.verifyWallet(headers["x-wallet-auth"]);
                if (!walletSession) return status(401, errorBody("unauthorized", "Unauthorized"));
                return { walletSession };
            },
        },
        withWalletSdkAuthent: {
            detail: { security: [{ walletSdkAuth: [] }] },
            async resolve({ headers, status }) {
                const walletSdkSession = await tokens.verifySdk(headers["x-wallet-sdk-auth"]);
                if (!walletSdkSession) {
                    return status(401, errorBody("unauthorized", "Unauthorized"));
                }
                return { walletSdkSession };
            },
        },
        withBusinessAuthent: {
            detail: { security: [{ businessAuth: [] }] },
            async resolve({ headers, status }) {
                const businessSession = await tokens.verifyBusiness(headers["x-business-auth"]);
                if (!businessSession) return status(401, errorBody("unauthorized", "Unauthorized"));
                return { businessSession };
            },
        },
        withBusinessSession: {
            detail: { security: [{ businessAuth: [] }, {}] },
            async resolve({ headers }) {
                const businessSession: BusinessSession | null = await tokens.verifyBusiness(
                    headers["x-business-auth"],
                );
                return { businessSession };
            },
        },
    });
}
