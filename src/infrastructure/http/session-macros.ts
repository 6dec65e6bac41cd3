import { Elysia } from "elysia";
import { isAddress } from "viem";
import { canonicalProductId } from "../../utils/product-id";
import { PRODUCT_ROLES } from "../blockchain";
import type { ProductRolesReader } from "../chain";
import { errorBody } from "../errors/api-error";
import type { BusinessSession, TokenService, WalletSession } from "../sessions";
import { representError } from "./error-representation";

/** A role on a product (the owner and an administrator hold every one). */
export type ProductRoleName = Exclude<keyof typeof PRODUCT_ROLES, "admin">;

export type SessionMacroDeps = {
    tokens: TokenService;
    /** On-chain product roles (`withProductRole`, `withOptionalProductRole`). */
    productRoles: Pick<ProductRolesReader, "hasRoleOrAdmin">;
    /**
     * `LEGACY_RAW_ADDRESS_AUTH` (docs/compatibility.md): `withLegacyAwareSdkAuthent` also takes a
     * bare wallet address in place of the SDK JWT.
     */
    legacyRawAddressAuth: boolean;
};

/** The session macros, as route builders receive them (built once, in `src/app.ts`). */
export type SessionMacros = ReturnType<typeof sessionMacros>;

/** A session opened on the wallet's own authenticator, not delegated through a pairing. */
export const isOwnDeviceSession = (session: WalletSession): boolean =>
    session.type !== "distant-webauthn";

/**
 * Authentication and authorisation as route options, written once: `withWalletAuthent`,
 * `withWalletSdkAuthent` and `withBusinessAuthent` reject with 401 (JSON or text, as the caller
 * asks, as every error); `withOwnDeviceWalletAuthent` also refuses a paired desktop's
 * `distant-webauthn` session with 403 (what only the phone may do); `withWalletSession` and
 * `withBusinessSession` resolve the session or null and let the handler decide (the seed's
 * `businessSessionContext`), except that a revoked session is 401 there too.
 * `withLegacyAwareSdkAuthent` is the SDK session of the purchase listener, which older shop
 * plugins may replace by a bare address (legacy mode only). `withProductRole(role)` and
 * `withOptionalProductRole(role)` check a merchant's role on the route's `:productId`.
 */
export function sessionMacros(deps: SessionMacroDeps) {
    const { tokens, productRoles } = deps;
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
        withLegacyAwareSdkAuthent: {
            detail: { security: [{ walletSdkAuth: [] }] },
            async resolve({ headers, request, status }) {
                const header = headers["x-wallet-sdk-auth"];
                if (!header) {
                    return status(
                        401,
                        representError(
                            request,
                            errorBody("unauthorized", "Missing wallet SDK JWT"),
                        ),
                    );
                }
                const session = await tokens.verifySdk(header);
                if (session) return { sdkWallet: session.address };
                if (deps.legacyRawAddressAuth && isAddress(header, { strict: false })) {
                    return { sdkWallet: header };
                }
                return status(
                    401,
                    representError(request, errorBody("unauthorized", "Invalid wallet SDK JWT")),
                );
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
        /**
         * The business session (resolved by `withBusinessAuthent` or `withBusinessSession`, listed
         * before this macro) must hold `role` on the route's `:productId`, as owner, administrator
         * or role holder. In the seed's order: an invalid product id is 400, then a missing
         * session or role 401. Resolves the canonical `productId`.
         */
        withProductRole: (role: ProductRoleName) => ({
            async resolve(context) {
                const { request, status } = context;
                const productId = canonicalProductId(productIdParam(context.params));
                if (!productId) return status(400, invalidProductId(request));
                const wallet = resolvedBusinessSession(context)?.wallet;
                if (
                    !wallet ||
                    !(await productRoles.hasRoleOrAdmin(productId, wallet, PRODUCT_ROLES[role]))
                ) {
                    return status(401, unauthorized(request));
                }
                return { productId };
            },
        }),
        /**
         * As `withProductRole`, but nobody is refused: resolves the canonical `productId` and
         * `holdsProductRole()`, asked (one chain read, cached) only when the answer matters.
         */
        withOptionalProductRole: (role: ProductRoleName) => ({
            async resolve(context) {
                const { request, status } = context;
                const productId = canonicalProductId(productIdParam(context.params));
                if (!productId) return status(400, invalidProductId(request));
                const wallet = resolvedBusinessSession(context)?.wallet;
                const holdsProductRole = async (): Promise<boolean> =>
                    wallet !== undefined &&
                    (await productRoles.hasRoleOrAdmin(productId, wallet, PRODUCT_ROLES[role]));
                return { productId, holdsProductRole };
            },
        }),
    });
}

/** The route's `:productId` (the role macros are only put on routes that have one). */
const productIdParam = (params: unknown): string =>
    String((params as { productId?: unknown } | undefined)?.productId ?? "");

/**
 * What the session macro listed earlier on the route resolved. Without one the role could never
 * be checked against a caller: a wiring mistake, so it fails loudly (500 and logged) rather
 * than quietly refusing (or, were a macro skipped, accepting) everyone.
 */
function resolvedBusinessSession(context: object): BusinessSession | null {
    if (!("businessSession" in context)) {
        throw new Error(
            "withProductRole / withOptionalProductRole need withBusinessAuthent or withBusinessSession: true listed before them",
        );
    }
    return (context as { businessSession: BusinessSession | null }).businessSession;
}

const invalidProductId = (request: Request) =>
    representError(request, errorBody("invalid_product_id", "Invalid product id"));

const unauthorized = (request: Request) =>
    representError(request, errorBody("unauthorized", "Unauthorized"));
