import { createHash } from "node:crypto";
import { type Static, Type as T } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { LRUCache } from "lru-cache";
import type { Hex } from "viem";
import type { RelyingParty } from "./relying-party";

/**
 * A WebAuthn assertion decoded from either format clients send (base64 of JSON):
 * - the seed's compressed ox format `{ id, response: { metadata: { authenticatorData (hex),
 *   clientDataJSON (text), ... }, signature: { r, s, yParity? } } }`;
 * - the standard `AuthenticationResponseJSON` (base64url fields, DER signature), which a browser's
 *   `credential.toJSON()` produces directly.
 */
export type PasskeyAssertion = {
    credentialId: string;
    authenticatorData: Uint8Array;
    clientDataJSON: Uint8Array;
    /** P-256 signature as r || s (64 bytes), the form WebCrypto verifies. */
    signature: Uint8Array;
    userVerificationRequired: boolean;
};

// Scalars as hex (a DER-derived value may keep one leading zero byte) or decimal strings.
const BigintLikeSchema = T.Union([
    T.String({ pattern: "^(0x[0-9a-fA-F]{1,66}|[0-9]{1,78})$" }),
    T.Integer({ minimum: 0 }),
]);
const OxAssertionSchema = T.Object({
    id: T.String({ minLength: 1, maxLength: 1024 }),
    response: T.Object({
        metadata: T.Object({
            authenticatorData: T.String({ pattern: "^0x([0-9a-fA-F]{2})+$" }),
            clientDataJSON: T.String({ minLength: 1 }),
            userVerificationRequired: T.Optional(T.Boolean()),
        }),
        signature: T.Object({ r: BigintLikeSchema, s: BigintLikeSchema }),
    }),
});
const StandardAssertionSchema = T.Object({
    id: T.String({ minLength: 1, maxLength: 1024 }),
    response: T.Object({
        authenticatorData: T.String({ minLength: 1 }),
        clientDataJSON: T.String({ minLength: 1 }),
        signature: T.String({ minLength: 1 }),
    }),
});
const oxAssertion = TypeCompiler.Compile(OxAssertionSchema);
const standardAssertion = TypeCompiler.Compile(StandardAssertionSchema);

/** Decodes a base64 (or base64url) JSON assertion of either format; null when malformed. */
export function decodePasskeyAssertion(encoded: string): PasskeyAssertion | null {
    if (encoded.length > 32_768) return null;
    let json: unknown;
    try {
        json = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
    } catch {
        return null;
    }
    if (oxAssertion.Check(json)) return fromOx(json);
    if (standardAssertion.Check(json)) return fromStandard(json);
    return null;
}

function fromOx(json: Static<typeof OxAssertionSchema>): PasskeyAssertion | null {
    const { metadata, signature } = json.response;
    const r = toScalar(signature.r);
    const s = toScalar(signature.s);
    if (!r || !s) return null;
    return {
        credentialId: json.id,
        authenticatorData: Buffer.from(metadata.authenticatorData.slice(2), "hex"),
        clientDataJSON: Buffer.from(metadata.clientDataJSON, "utf8"),
        signature: Buffer.concat([r, s]),
        userVerificationRequired: metadata.userVerificationRequired ?? false,
    };
}

function fromStandard(json: Static<typeof StandardAssertionSchema>): PasskeyAssertion | null {
    const authenticatorData = strictBase64Url(json.response.authenticatorData);
    const clientDataJSON = strictBase64Url(json.response.clientDataJSON);
    const der = strictBase64Url(json.response.signature);
    const signature = der ? derToRaw(der) : null;
    if (!authenticatorData || !clientDataJSON || !signature) return null;
    return {
        credentialId: json.id,
        authenticatorData,
        clientDataJSON,
        signature,
        userVerificationRequired: false,
    };
}

/** A 32-byte big-endian scalar from a hex or decimal string (how bigints survive JSON). */
function toScalar(value: string | number): Buffer | null {
    let scalar: bigint;
    try {
        scalar = BigInt(value);
    } catch {
        return null;
    }
    if (scalar <= 0n || scalar >= 2n ** 256n) return null;
    return Buffer.from(scalar.toString(16).padStart(64, "0"), "hex");
}

/** base64url decoding that refuses characters Node would silently skip. */
export function strictBase64Url(value: string): Buffer | null {
    const unpadded = value.replace(/=+$/, "");
    if (!/^[A-Za-z0-9_-]*$/.test(unpadded)) return null;
    const bytes = Buffer.from(unpadded, "base64url");
    return bytes.toString("base64url") === unpadded ? bytes : null;
}

/** ECDSA-Sig-Value (DER SEQUENCE of two INTEGERs) to r || s. */
function derToRaw(der: Uint8Array): Uint8Array | null {
    if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null;
    const parts: Uint8Array[] = [];
    let offset = 2;
    for (let i = 0; i < 2; i++) {
        if (der[offset] !== 0x02) return null;
        const length = der[offset + 1] ?? 0;
        const start = offset + 2;
        if (length < 1 || length > 33 || start + length > der.length) return null;
        let integer = der.subarray(start, start + length);
        while (integer.length > 1 && integer[0] === 0) integer = integer.subarray(1);
        if (integer.length > 32) return null;
        parts.push(integer);
        offset = start + length;
    }
    if (offset !== der.length) return null;
    const raw = new Uint8Array(64);
    raw.set(parts[0] as Uint8Array, 32 - (parts[0] as Uint8Array).length);
    raw.set(parts[1] as Uint8Array, 64 - (parts[1] as Uint8Array).length);
    return raw;
}

export type AssertionCheck =
    | { verified: true; counter: number; rpId: string; origin: string }
    | { verified: false; reason: string };

const flagUserPresent = 0x01;
const flagUserVerified = 0x04;
const flagAttestedData = 0x40;

/**
 * Verifies WebAuthn assertions against a stored P-256 key with WebCrypto (native, ~20x faster than
 * pure-JS P-256). Imported keys are cached per credential: a key never changes for a credential id.
 */
export class PasskeyAssertionVerifier {
    private readonly keys = new LRUCache<string, Promise<CryptoKey>>({ max: 10_000 });

    constructor(private readonly relyingParty: RelyingParty) {}

    async verify(
        assertion: PasskeyAssertion,
        expected: { publicKey: { x: Hex; y: Hex }; challenge: Hex; storedCounter: number },
    ): Promise<AssertionCheck> {
        const data = assertion.authenticatorData;
        // rpIdHash (32) + flags (1) + signCount (4); an assertion carries no attested data.
        if (data.length < 37) return { verified: false, reason: "authenticator data too short" };
        const rpId = this.relyingParty.rpIdOfHash(data.subarray(0, 32));
        if (!rpId) return { verified: false, reason: "rp id not allowed" };
        const flags = data[32] as number;
        if (!(flags & flagUserPresent)) return { verified: false, reason: "user not present" };
        // Our policy decides, not the client's `userVerificationRequired` claim: a presence-only
        // assertion (a tap, no PIN or biometrics) is refused unless the operator relaxed it.
        const verificationRequired =
            this.relyingParty.requireUserVerification || assertion.userVerificationRequired;
        if (verificationRequired && !(flags & flagUserVerified)) {
            return { verified: false, reason: "user not verified" };
        }
        if (flags & flagAttestedData)
            return { verified: false, reason: "attested data in assertion" };

        const clientData = parseClientData(assertion.clientDataJSON);
        if (clientData?.type !== "webauthn.get") {
            return { verified: false, reason: "not a webauthn.get client data" };
        }
        const challenge = strictBase64Url(clientData.challenge);
        if (!challenge || `0x${challenge.toString("hex")}` !== expected.challenge.toLowerCase()) {
            return { verified: false, reason: "challenge mismatch" };
        }
        if (!this.relyingParty.isAllowedOrigin(clientData.origin)) {
            return { verified: false, reason: "origin not allowed" };
        }

        const key = await this.importKey(expected.publicKey);
        if (!key) return { verified: false, reason: "invalid stored public key" };
        const signed = Buffer.concat([
            data,
            createHash("sha256").update(assertion.clientDataJSON).digest(),
        ]);
        const valid = await crypto.subtle.verify(
            { name: "ECDSA", hash: "SHA-256" },
            key,
            new Uint8Array(assertion.signature),
            signed,
        );
        if (!valid) return { verified: false, reason: "bad signature" };

        const counter = Buffer.from(data.buffer, data.byteOffset, data.length).readUInt32BE(33);
        // A counter that does not move forward means a cloned authenticator (WebAuthn §6.1.1);
        // authenticators that do not count (always 0) are accepted.
        if ((counter > 0 || expected.storedCounter > 0) && counter <= expected.storedCounter) {
            return { verified: false, reason: "signature counter did not increase" };
        }
        return { verified: true, counter, rpId, origin: clientData.origin };
    }

    private importKey(publicKey: { x: Hex; y: Hex }): Promise<CryptoKey | null> {
        const cacheKey = `${publicKey.x.toLowerCase()}:${publicKey.y.toLowerCase()}`;
        let key = this.keys.get(cacheKey);
        if (!key) {
            const raw = Buffer.concat([
                Buffer.from([0x04]),
                coordinate(publicKey.x),
                coordinate(publicKey.y),
            ]);
            key = crypto.subtle.importKey(
                "raw",
                raw,
                { name: "ECDSA", namedCurve: "P-256" },
                false,
                ["verify"],
            );
            this.keys.set(cacheKey, key);
        }
        return key.catch(() => {
            this.keys.delete(cacheKey);
            return null;
        });
    }
}

function coordinate(value: Hex): Buffer {
    return Buffer.from(value.slice(2).padStart(64, "0"), "hex");
}

function parseClientData(
    bytes: Uint8Array,
): { type: string; challenge: string; origin: string } | null {
    try {
        const parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
        if (
            typeof parsed?.type === "string" &&
            typeof parsed.challenge === "string" &&
            typeof parsed.origin === "string"
        ) {
            return parsed;
        }
    } catch {}
    return null;
}
