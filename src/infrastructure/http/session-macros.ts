import { Elysia } from "elysia";
import { errorBody } from "../errors/api-error";
import type { BusinessSession, TokenService, WalletSession } from "../sessions";
import { representError } from "./error-representation";

/** A session opened on the wallet's own authenticator, not delegated through a pairing. */
export const isOwnDeviceSession = (session: WalletSession): boolean =>
    session.type !== "distant-webauthn";

/**
 * Authentication as route options, written once: `withWalletAuthent`, `withWalletSdkAuthent`
 * and `withBusinessAuthent` reject with 401 (JSON or text, as the caller asks, as every error); `withOwnDeviceWalletAuthent` also refuses a
 * paired desktop's `distant-webauthn` session with 403 (what only the phone may do);
 * `withWalletSession` and `withBusinessSession` resolve the session or null and let the handler
 * decide (the seed's `businessSessionContext`), except that a revoked session is 401 there too.
 */
export function sessionMacros(tokens: TokenService) {
    return new Elysia({ name: "session-macros", seed: tokens.instanceId }).macro({
        withWalletAuthent: {
            detail: { security: [{ walletAuth: [] }] },
            async resolve({ headers, request, status }) {
                const walletSession = await tokens.verifyWallet(headers["x-wallet-auth"]);
                if (!walletSession) return status(401, unauthorized(request));
                return { walletSession };
            },
        },
        withOwnDeviceWalletAuthent: {
            detail: { security: [{ walletAuth: [] }] },
            async resolve({ headers, request, status }) {
                const walletSession = await tokens.verifyWallet(headers["x-wallet-auth"]);
                if (!walletSession) return status(401, unauthorized(request));
                if (!isOwnDeviceSession(walletSession)) {
                    return status(
                        403,
                        representError(
                            request,
                            errorBody(
                                "paired_device_forbidden",
                                "A paired desktop session cannot do this: use the wallet's own device",
                            ),
                        ),
                    );
                }
                return { walletSession };
            },
        },
        withWalletSession: {
            detail: { security: [{ walletAuth: [] }, {}] },
            async resolve({ headers, request, status }) {
                const checked = await tokens.checkWallet(headers["x-wallet-auth"]);
                // Optional, but a session that was ended is refused, not treated as absent.
                if (checked === "revoked") return status(401, unauthorized(request));
                const walletSession: WalletSession | null = checked;
                return { walletSession };
            },
        },
        withWalletSdkAuthent: {
            detail: { security: [{ walletSdkAuth: [] }] },
            async resolve({ headers, request, status }) {
                const walletSdkSession = await tokens.verifySdk(headers["x-wallet-sdk-auth"]);
                if (!walletSdkSession) {
                    return status(401, unauthorized(request));
                }
                return { walletSdkSession };
            },
        },
        withBusinessAuthent: {
            detail: { security: [{ businessAuth: [] }] },
            async resolve({ headers, request, status }) {
                const businessSession = await tokens.verifyBusiness(headers["x-business-auth"]);
                if (!businessSession) return status(401, unauthorized(request));
                return { businessSession };
            },
        },
        withBusinessSession: {
            detail: { security: [{ businessAuth: [] }, {}] },
            async resolve({ headers, request, status }) {
                const checked = await tokens.checkBusiness(headers["x-business-auth"]);
                if (checked === "revoked") return status(401, unauthorized(request));
                const businessSession: BusinessSession | null = checked;
                return { businessSession };
            },
        },
    });
}

const unauthorized = (request: Request) =>
    representError(request, errorBody("unauthorized", "Unauthorized"));
