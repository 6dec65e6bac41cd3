import { t } from "elysia";
import type { Address, Hex } from "viem";
import { AddressSchema as AddressString, HexSchema as HexString } from "../../../utils/schemas";

/** The shared validators, typed as viem's template literals so services get `Address` / `Hex`. */
export const AddressSchema = t.Unsafe<Address>(AddressString);
export const HexSchema = t.Unsafe<Hex>(HexString);

export const P256PublicKeySchema = t.Object({ x: HexSchema, y: HexSchema });

export const SdkTokenSchema = t.Object({
    token: t.String(),
    expires: t.Number({ description: "Expiry, ms since epoch" }),
});

/** What a passkey login or registration returns (the seed's shape). */
export const WebAuthnWalletAuthSchema = t.Object({
    token: t.String({ description: "Wallet JWT, for x-wallet-auth" }),
    sdkJwt: SdkTokenSchema,
    type: t.Literal("webauthn"),
    address: AddressSchema,
    authenticatorId: t.String(),
    publicKey: P256PublicKeySchema,
    transports: t.Optional(t.Array(t.String())),
});

export const EcdsaWalletAuthSchema = t.Object({
    token: t.String({ description: "Wallet JWT, for x-wallet-auth" }),
    sdkJwt: SdkTokenSchema,
    type: t.Literal("ecdsa"),
    address: AddressSchema,
    authenticatorId: t.String(),
    publicKey: AddressSchema,
});

export const WalletAuthHeadersSchema = t.Object({
    "x-wallet-auth": t.Optional(t.String()),
});
