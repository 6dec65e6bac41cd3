import { type Static, Type as T } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { Address } from "viem";
import { AddressSchema as AddressString, HexSchema } from "../../utils/schemas";

/** An address claim: checked as `AddressString`, typed as viem's `Address` for the handlers. */
const AddressSchema = T.Unsafe<Address>(AddressString);

/** Registered claims. `iat` may be seconds (ours) or milliseconds (tokens issued by the seed). */
const registered = {
    iss: T.Literal("frak.id"),
    sub: T.Optional(T.String()),
    iat: T.Optional(T.Number()),
    exp: T.Optional(T.Number()),
    jti: T.Optional(T.String()),
};

const P256PublicKey = T.Object({ x: HexSchema, y: HexSchema });

export const WebAuthnWalletClaims = T.Object({
    ...registered,
    // Old tokens may carry no `type`: they are webauthn sessions.
    type: T.Optional(T.Literal("webauthn")),
    address: AddressSchema,
    authenticatorId: T.String({ minLength: 1 }),
    publicKey: P256PublicKey,
    transports: T.Optional(T.Array(T.String())),
});

export const EcdsaWalletClaims = T.Object({
    ...registered,
    type: T.Literal("ecdsa"),
    address: AddressSchema,
    authenticatorId: T.String({ minLength: 1 }),
    publicKey: AddressSchema,
});

export const DistantWebAuthnWalletClaims = T.Object({
    ...registered,
    type: T.Literal("distant-webauthn"),
    address: AddressSchema,
    authenticatorId: T.String({ minLength: 1 }),
    publicKey: P256PublicKey,
    pairingId: T.String({ minLength: 1 }),
});

export const WalletClaims = T.Union([
    WebAuthnWalletClaims,
    EcdsaWalletClaims,
    DistantWebAuthnWalletClaims,
]);

export const SdkClaims = T.Object({
    ...registered,
    address: AddressSchema,
    scopes: T.Array(T.String()),
    /** The `jti` of the wallet session the token was minted from: revoked with it. */
    parentJti: T.Optional(T.String()),
    additionalData: T.Optional(T.Object({ demoPkey: T.Optional(HexSchema) })),
});

export const BusinessClaims = T.Object({
    ...registered,
    wallet: AddressSchema,
    siwe: T.Optional(T.Object({ message: T.String(), signature: HexSchema })),
});

export type WalletSession = Static<typeof WalletClaims>;
export type WebAuthnWalletSession = Static<typeof WebAuthnWalletClaims>;
export type EcdsaWalletSession = Static<typeof EcdsaWalletClaims>;
export type DistantWebAuthnWalletSession = Static<typeof DistantWebAuthnWalletClaims>;
export type SdkSession = Static<typeof SdkClaims>;
export type BusinessSession = Static<typeof BusinessClaims>;

export const walletClaimsCheck = TypeCompiler.Compile(WalletClaims);
export const sdkClaimsCheck = TypeCompiler.Compile(SdkClaims);
export const businessClaimsCheck = TypeCompiler.Compile(BusinessClaims);
