/**
 * A software WebAuthn authenticator for the API tests that do not need a browser: it produces the
 * registration response (`credential.toJSON()` shape, "none" attestation) and assertions in both
 * formats our login accepts (the seed's compressed ox JSON and the standard
 * AuthenticationResponseJSON), from a real P-256 key.
 */
import { createHash, randomBytes } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import { bytesToHex, type Hex } from "viem";

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const b64url = (data: Uint8Array | string) => Buffer.from(data).toString("base64url");
const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");

export type SoftwarePasskeyOptions = { rpId?: string; origin?: string };

export function softwarePasskey(options: SoftwarePasskeyOptions = {}) {
    const rpId = options.rpId ?? "localhost";
    const origin = options.origin ?? "http://localhost:5173";
    const secretKey = p256.utils.randomSecretKey();
    const publicKey = p256.getPublicKey(secretKey, false); // 0x04 || x || y
    const x = bytesToHex(publicKey.slice(1, 33));
    const y = bytesToHex(publicKey.slice(33, 65));
    const rawId = randomBytes(16);
    const id = b64url(rawId);
    let counter = 0;

    const clientData = (type: string, challenge: Hex, at = origin) =>
        Buffer.from(
            JSON.stringify({
                type,
                challenge: b64url(Buffer.from(challenge.slice(2), "hex")),
                origin: at,
                crossOrigin: false,
            }),
        );

    /** base64 JSON registration response over `challenge` (the `raw` field of /register). */
    function registrationRaw(
        challenge: Hex,
        overrides: { origin?: string; rpId?: string; flags?: number; key?: Uint8Array } = {},
    ): string {
        const key = overrides.key ?? publicKey;
        const coseKey = new Map<number, number | Uint8Array>([
            [1, 2], // kty: EC2
            [3, -7], // alg: ES256
            [-1, 1], // crv: P-256
            [-2, key.slice(1, 33)],
            [-3, key.slice(33, 65)],
        ]);
        const credentialIdLength = Buffer.alloc(2);
        credentialIdLength.writeUInt16BE(rawId.length);
        const authData = Buffer.concat([
            sha256(overrides.rpId ?? rpId),
            Buffer.from([overrides.flags ?? 0x45]), // UP | UV | AT
            Buffer.alloc(4), // sign count 0
            Buffer.alloc(16), // aaguid
            credentialIdLength,
            rawId,
            Buffer.from(isoCBOR.encode(coseKey as never)),
        ]);
        const attestationObject = isoCBOR.encode(
            new Map<string, unknown>([
                ["fmt", "none"],
                ["attStmt", new Map()],
                ["authData", new Uint8Array(authData)],
            ]) as never,
        );
        return b64json({
            id,
            rawId: id,
            type: "public-key",
            clientExtensionResults: {},
            response: {
                clientDataJSON: b64url(
                    clientData("webauthn.create", challenge, overrides.origin ?? origin),
                ),
                attestationObject: b64url(attestationObject),
                transports: ["internal"],
            },
        });
    }

    /** The /register body for `challenge`. */
    function registration(challenge: Hex, extra: Record<string, unknown> = {}) {
        return {
            id,
            publicKey: { x, y, prefix: 4 },
            raw: registrationRaw(challenge),
            userAgent: "software-passkey",
            ...extra,
        };
    }

    function signAssertion(
        challenge: Hex,
        overrides: { origin?: string; rpId?: string; flags?: number; counter?: number } = {},
    ) {
        counter = overrides.counter ?? counter + 1;
        const count = Buffer.alloc(4);
        count.writeUInt32BE(counter);
        const authenticatorData = Buffer.concat([
            sha256(overrides.rpId ?? rpId),
            Buffer.from([overrides.flags ?? 0x05]), // UP | UV
            count,
        ]);
        const clientDataJSON = clientData("webauthn.get", challenge, overrides.origin ?? origin);
        const signature = p256.sign(
            Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
            secretKey,
        ); // compact r || s, sha256 prehash
        return { authenticatorData, clientDataJSON, signature };
    }

    /** The seed's compressed format: base64 JSON `{id, response:{metadata, signature:{r,s}}}`. */
    function oxAssertion(
        challenge: Hex,
        overrides: Parameters<typeof signAssertion>[1] = {},
        scalars: "hex" | "padded" | "decimal" = "hex",
    ) {
        const signed = signAssertion(challenge, overrides);
        const scalar = (bytes: Uint8Array) =>
            scalars === "decimal"
                ? BigInt(bytesToHex(bytes)).toString()
                : scalars === "padded"
                  ? `0x00${bytesToHex(bytes).slice(2)}`
                  : bytesToHex(bytes);
        return b64json({
            id,
            response: {
                metadata: {
                    authenticatorData: bytesToHex(signed.authenticatorData),
                    clientDataJSON: signed.clientDataJSON.toString("utf8"),
                    challengeIndex: 23,
                    typeIndex: 1,
                    userVerificationRequired: true,
                },
                signature: {
                    r: scalar(signed.signature.slice(0, 32)),
                    s: scalar(signed.signature.slice(32, 64)),
                    yParity: 0,
                },
            },
        });
    }

    /** The standard AuthenticationResponseJSON (DER signature), base64 JSON. */
    function standardAssertion(
        challenge: Hex,
        overrides: Parameters<typeof signAssertion>[1] = {},
    ) {
        const signed = signAssertion(challenge, overrides);
        const der = p256.Signature.fromBytes(signed.signature, "compact").toBytes("der");
        return b64json({
            id,
            rawId: id,
            type: "public-key",
            clientExtensionResults: {},
            response: {
                authenticatorData: b64url(signed.authenticatorData),
                clientDataJSON: b64url(signed.clientDataJSON),
                signature: b64url(der),
            },
        });
    }

    return {
        id,
        x,
        y,
        publicKey,
        registrationRaw,
        registration,
        oxAssertion,
        standardAssertion,
        get counter() {
            return counter;
        },
    };
}

export type SoftwarePasskey = ReturnType<typeof softwarePasskey>;
