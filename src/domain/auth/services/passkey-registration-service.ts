import { type RegistrationResponseJSON, verifyRegistrationResponse } from "@simplewebauthn/server";
import { cose, decodeCredentialPublicKey } from "@simplewebauthn/server/helpers";
import { type Static, Type as T } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { type Address, type Hex, isAddressEqual } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { TokenService } from "../../../infrastructure/sessions";
import type { AuthenticatorRepository } from "../repositories/authenticator-repository";
import type { ChallengeService } from "./challenge-service";
import { strictBase64Url } from "./passkey-assertion";
import type { RelyingParty } from "./relying-party";
import type { WalletSessionIssuer, WebAuthnWalletAuth } from "./wallet-session-issuer";

export type PasskeyRegistration = {
    /** Credential id (base64url). */
    id: string;
    publicKey: { x: Hex; y: Hex; prefix: number };
    /** base64 of the JSON registration response (`credential.toJSON()`). */
    raw: string;
    userAgent: string;
    previousWallet?: Address;
    /** An assertion by an existing passkey of `previousWallet` over an issued challenge. */
    previousWalletProof?: WalletProof;
};

export type WalletProof = { challenge: Hex; signature: string };
/** Verifies a proof from an existing passkey of the wallet (see PasskeyLoginService). */
export type WalletProofVerifier = (proof: WalletProof, wallet: Address) => Promise<boolean>;

const RegistrationResponseSchema = T.Object({
    id: T.String({ minLength: 1, maxLength: 1024 }),
    rawId: T.String({ minLength: 1, maxLength: 1024 }),
    type: T.Literal("public-key"),
    response: T.Object({
        clientDataJSON: T.String({ minLength: 1 }),
        attestationObject: T.String({ minLength: 1 }),
        transports: T.Optional(T.Array(T.String({ maxLength: 32 }), { maxItems: 16 })),
    }),
});
const registrationResponse = TypeCompiler.Compile(RegistrationResponseSchema);

const registrationFailed = () => new ApiError("registration_failed", "Registration failed");

/**
 * Registers a passkey and opens its wallet session. Beyond the seed: the challenge must be one we
 * issued (consumed here) or ox's fixed default (the seed's wallet), a credential id registers once
 * (409), the attested key must be the body's key, RP id and origin come from the configured
 * allow-lists, and attaching a passkey to `previousWallet` requires a phone's own `webauthn`
 * session of that wallet (a paired desktop's session would give itself a permanent passkey),
 * plus, when the client sends one, a valid proof from an existing passkey of it.
 */
export class PasskeyRegistrationService {
    constructor(
        private readonly authenticators: AuthenticatorRepository,
        private readonly challenges: ChallengeService,
        private readonly relyingParty: RelyingParty,
        private readonly issuer: WalletSessionIssuer,
        private readonly tokens: TokenService,
        private readonly passkeyWalletAddress: (
            credentialId: string,
            key: { x: Hex; y: Hex },
        ) => Address,
        private readonly verifyWalletProof: WalletProofVerifier,
    ) {}

    async register(
        input: PasskeyRegistration,
        callerWalletToken: string | undefined,
    ): Promise<WebAuthnWalletAuth> {
        if (input.previousWallet) {
            await this.assertOwnsWallet(input.previousWallet, callerWalletToken);
        } else if (input.previousWalletProof) {
            throw new ApiError(
                "unexpected_wallet_proof",
                "previousWalletProof is only valid with previousWallet",
            );
        }

        const response = decodeRegistrationResponse(input.raw);
        if (!response || response.id !== input.id || response.rawId !== input.id) {
            throw registrationFailed();
        }
        const clientData = decodeClientData(response.response.clientDataJSON);
        if (!clientData || !this.relyingParty.isAllowedOrigin(clientData.origin)) {
            throw registrationFailed();
        }
        const challenge = strictBase64Url(clientData.challenge);
        if (!challenge) throw registrationFailed();

        const verification = await verifyRegistrationResponse({
            response: response as RegistrationResponseJSON,
            expectedChallenge: clientData.challenge,
            expectedOrigin: clientData.origin,
            expectedRPID: [...this.relyingParty.rpIds],
            requireUserPresence: true,
            requireUserVerification: this.relyingParty.requireUserVerification,
            supportedAlgorithmIDs: [cose.COSEALG.ES256],
        }).catch(() => null);
        if (!verification?.verified) throw registrationFailed();
        const { credential, credentialDeviceType, credentialBackedUp } =
            verification.registrationInfo;
        if (credential.id !== input.id) throw registrationFailed();
        const attested = p256Coordinates(credential.publicKey);
        if (
            !attested ||
            !sameCoordinate(attested.x, input.publicKey.x) ||
            !sameCoordinate(attested.y, input.publicKey.y)
        ) {
            throw new ApiError(
                "public_key_mismatch",
                "Registration failed: the public key is not the attested key",
            );
        }

        if (!(await this.challenges.acceptRegistrationChallenge(challenge.toString("hex")))) {
            throw registrationFailed();
        }
        if (
            input.previousWallet &&
            input.previousWalletProof &&
            !(await this.verifyWalletProof(input.previousWalletProof, input.previousWallet))
        ) {
            throw new ApiError(
                "invalid_wallet_proof",
                "previousWalletProof is not a valid assertion by a passkey of previousWallet",
            );
        }
        const address = input.previousWallet ?? this.passkeyWalletAddress(input.id, attested);
        const transports = response.response.transports;
        const inserted = await this.authenticators.insert({
            credentialId: input.id,
            smartWalletAddress: address,
            userAgent: input.userAgent,
            publicKey: { x: attested.x, y: attested.y, prefix: input.publicKey.prefix },
            credentialPublicKey: credential.publicKey,
            counter: credential.counter,
            credentialDeviceType,
            credentialBackedUp,
            ...(transports ? { transports } : {}),
        });
        if (!inserted) throw new ApiError("credential_exists", "Credential already exists");
        return this.issuer.webAuthn({
            address,
            authenticatorId: input.id,
            publicKey: attested,
            transports,
        });
    }

    private async assertOwnsWallet(wallet: Address, token: string | undefined) {
        const session = await this.tokens.verifyWallet(token);
        if (!session) {
            throw new ApiError(
                "unauthorized",
                "A wallet session is required to add a passkey to an existing wallet",
            );
        }
        if (session.type !== undefined && session.type !== "webauthn") {
            throw new ApiError(
                "passkey_session_required",
                "Only a passkey session on the wallet's own device can add a passkey to it",
            );
        }
        if (!isAddressEqual(session.address, wallet)) {
            throw new ApiError(
                "forbidden",
                "previousWallet is not the wallet of the current session",
            );
        }
    }
}

function decodeRegistrationResponse(raw: string): Static<typeof RegistrationResponseSchema> | null {
    if (raw.length > 65_536) return null;
    try {
        const json = JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
        return registrationResponse.Check(json) ? json : null;
    } catch {
        return null;
    }
}

function decodeClientData(encoded: string): { challenge: string; origin: string } | null {
    const bytes = strictBase64Url(encoded);
    if (!bytes) return null;
    try {
        const parsed = JSON.parse(bytes.toString("utf8"));
        if (typeof parsed?.challenge === "string" && typeof parsed.origin === "string") {
            return parsed;
        }
    } catch {}
    return null;
}

/** x and y of a COSE EC2 P-256 key, as 32-byte lower-case hex. */
function p256Coordinates(coseKey: Uint8Array): { x: Hex; y: Hex } | null {
    try {
        const key = decodeCredentialPublicKey(new Uint8Array(coseKey)) as cose.COSEPublicKeyEC2;
        if (key.get(cose.COSEKEYS.kty) !== cose.COSEKTY.EC2) return null;
        if (key.get(cose.COSEKEYS.crv) !== cose.COSECRV.P256) return null;
        const x = key.get(cose.COSEKEYS.x);
        const y = key.get(cose.COSEKEYS.y);
        if (!x || !y || x.length !== 32 || y.length !== 32) return null;
        return {
            x: `0x${Buffer.from(x).toString("hex")}`,
            y: `0x${Buffer.from(y).toString("hex")}`,
        };
    } catch {
        return null;
    }
}

/** Compares coordinates as numbers: clients may send them without leading zeros or upper-case. */
function sameCoordinate(attested: Hex, sent: Hex): boolean {
    return sent.length > 2 && sent.length <= 66 && BigInt(attested) === BigInt(sent);
}
