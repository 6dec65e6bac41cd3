import type { Address, Hex } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { TokenService, WalletSession } from "../../../infrastructure/sessions";

export type WalletSessionView = {
    token: string;
    type?: WalletSession["type"];
    address: Address;
    authenticatorId: string;
    /** P-256 key of a passkey session, signer address of an ECDSA session. */
    publicKey: { x: Hex; y: Hex } | Address;
    transports?: string[];
    pairingId?: string;
};

/** Reading, extending and ending wallet sessions. */
export class WalletSessionService {
    constructor(private readonly tokens: TokenService) {}

    /** `/auth/session`: the caller's session claims (404s, as the seed, when there is none). */
    async describe(token: string | undefined): Promise<WalletSessionView> {
        if (!token) throw new ApiError("no_wallet_session", "No wallet session found");
        const session = await this.tokens.checkWallet(token);
        // A session of ours that was ended is 401 like on every route; anything else stays the
        // seed's 404.
        if (session === "revoked") throw new ApiError("unauthorized", "Unauthorized");
        if (!session) throw new ApiError("invalid_wallet_session", "Invalid wallet session");
        return {
            token,
            ...(session.type ? { type: session.type } : {}),
            address: session.address,
            authenticatorId: session.authenticatorId,
            publicKey: session.publicKey as WalletSessionView["publicKey"],
            ...("transports" in session && session.transports
                ? { transports: session.transports }
                : {}),
            ...("pairingId" in session ? { pairingId: session.pairingId } : {}),
        };
    }

    /** Revokes the session of `token` if it is one of ours; logging out twice is harmless. */
    async logout(token: string | undefined): Promise<void> {
        if (token) await this.tokens.revokeWallet(token);
    }

    /** An SDK token that ends with the wallet session it is minted from (a desktop's too). */
    generateSdkToken(session: WalletSession): Promise<{ token: string; expires: number }> {
        const parent =
            session.jti !== undefined && session.exp !== undefined
                ? { jti: session.jti, exp: session.exp }
                : undefined;
        return this.tokens.signSdk(session.address, parent ? { parent } : {});
    }

    /**
     * `/auth/sdk/isValid`: `{ isValid }` for an SDK token of ours, false once it lapsed; null (401)
     * for a missing, foreign or revoked one. The seed's wallet drops its whole wallet session on
     * a 401 here, so a merely expired token must not be one: it then refreshes the token with
     * `sdk/generate` and its wallet session.
     */
    async sdkTokenValidity(token: string | undefined): Promise<{ isValid: boolean } | null> {
        const session = await this.tokens.verifySdk(token);
        if (session)
            return { isValid: session.exp === undefined || session.exp * 1000 > Date.now() };
        if (await this.tokens.isExpiredSdkToken(token)) return { isValid: false };
        return null;
    }
}
