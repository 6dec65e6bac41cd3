import type { Address, Hex } from "viem";
import type { TokenService } from "../../../infrastructure/sessions";

export type WebAuthnWalletAuth = {
    token: string;
    sdkJwt: { token: string; expires: number };
    type: "webauthn";
    address: Address;
    authenticatorId: string;
    publicKey: { x: Hex; y: Hex };
    transports?: string[];
};

export type EcdsaWalletAuth = {
    token: string;
    sdkJwt: { token: string; expires: number };
    type: "ecdsa";
    address: Address;
    authenticatorId: string;
    publicKey: Address;
};

/**
 * Issues the wallet JWT (with jti + exp, recorded for revocation) and the SDK JWT of a login; the
 * SDK JWT names the wallet session as its parent, so logging out ends both.
 */
export class WalletSessionIssuer {
    constructor(private readonly tokens: TokenService) {}

    async webAuthn(session: {
        address: Address;
        authenticatorId: string;
        publicKey: { x: Hex; y: Hex };
        transports?: string[];
    }): Promise<WebAuthnWalletAuth> {
        const claims = {
            type: "webauthn" as const,
            address: session.address,
            authenticatorId: session.authenticatorId,
            publicKey: { x: session.publicKey.x, y: session.publicKey.y },
            ...(session.transports ? { transports: session.transports } : {}),
        };
        const wallet = await this.tokens.signWallet(claims);
        const sdkJwt = await this.tokens.signSdk(session.address, { parent: wallet });
        return { token: wallet.token, sdkJwt, ...claims };
    }

    async ecdsa(session: {
        address: Address;
        signer: Address;
        demoPkey?: Hex;
    }): Promise<EcdsaWalletAuth> {
        const claims = {
            type: "ecdsa" as const,
            address: session.address,
            authenticatorId: `ecdsa-${session.signer}`,
            publicKey: session.signer,
        };
        const wallet = await this.tokens.signWallet(claims);
        const sdkJwt = await this.tokens.signSdk(session.address, {
            parent: wallet,
            ...(session.demoPkey ? { additionalData: { demoPkey: session.demoPkey } } : {}),
        });
        return { token: wallet.token, ...claims, sdkJwt };
    }
}
