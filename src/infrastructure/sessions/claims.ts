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

const P256PublicKeySchema = T.Object({ x: HexSchema, y: HexSchema });

export const WebAuthnWalletClaimsSchema = T.Object({
    ...registered,
    // Old tokens may carry no `type`: they are webauthn sessions.
    type: T.Optional(T.Literal("webauthn")),
    address: AddressSchema,
    authenticatorId: T.String({ minLength: 1 }),
    publicKey: P256PublicKeySchema,
    transports: T.Optional(T.Array(T.String())),
});

export const EcdsaWalletClaimsSchema = T.Object({
    ...registered,
    type: T.Literal("ecdsa"),
    address: AddressSchema,
    authenticatorId: T.String({ minLength: 1 }),
    publicKey: AddressSchema,
});

export const DistantWebAuthnWalletClaimsSchema = T.Object({
    ...registered,
    type: T.Literal("distant-webauthn"),
    address: AddressSchema,
    authenticatorId: T.String({ minLength: 1 }),
    publicKey: P256PublicKeySchema,
    pairingId: T.String({ minLength: 1 }),
});

export const WalletClaimsSchema = T.Union([
    WebAuthnWalletClaimsSchema,
    EcdsaWalletClaimsSchema,
    DistantWebAuthnWalletClaimsSchema,
]);

export const SdkClaimsSchema = T.Object({
    ...registered,
    address: AddressSchema,
    scopes: T.Array(T.String()),
    /** The `jti` of the wallet session the token was minted from: revoked with it. */
    parentJti: T.Optional(T.String()),
    additionalData: T.Optional(T.Object({ demoPkey: T.Optional(HexSchema) })),
});

export const BusinessClaimsSchema = T.Object({
    ...registered,
    wallet: AddressSchema,
    siwe: T.Optional(T.Object({ message: T.String(), signature: HexSchema })),
});

export type WalletSession = Static<typeof WalletClaimsSchema>;
export type WebAuthnWalletSession = Static<typeof WebAuthnWalletClaimsSchema>;
export type EcdsaWalletSession = Static<typeof EcdsaWalletClaimsSchema>;
export type DistantWebAuthnWalletSession = Static<typeof DistantWebAuthnWalletClaimsSchema>;
export type SdkSession = Static<typeof SdkClaimsSchema>;
export type BusinessSession = Static<typeof BusinessClaimsSchema>;

export const walletClaimsCheck = TypeCompiler.Compile(WalletClaimsSchema);
export const sdkClaimsCheck = TypeCompiler.Compile(SdkClaimsSchema);
export const businessClaimsCheck = TypeCompiler.Compile(BusinessClaimsSchema);
