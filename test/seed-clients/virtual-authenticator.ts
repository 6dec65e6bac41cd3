/**
 * A passkey authenticator behind a browser-like `navigator.credentials` for ox's `createFn` /
 * `getFn` hooks (the same hooks the seed's wallet uses on Android through Tauri). ox itself then
 * builds the options and reads the result exactly as in the wallet, so the requests these tests
 * send are the ones the wallet's own code builds. The returned credentials have the browser's
 * `toJSON()`, which the wallet relies on when it sends `JSON.stringify(raw)` at registration.
 */
import { createHash, randomBytes } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/** The slice of the WebAuthn DOM types ox hands to createFn / getFn (no DOM lib here). */
type BufferSource = ArrayBuffer | ArrayBufferView;
type CredentialDescriptor = { id: BufferSource; type: string };
type CredentialCreationOptions = {
    publicKey?: {
        challenge: BufferSource;
        rp: { id?: string; name: string };
        excludeCredentials?: CredentialDescriptor[];
    };
};
type CredentialRequestOptions = {
    publicKey?: {
        challenge: BufferSource;
        rpId?: string;
        allowCredentials?: CredentialDescriptor[];
    };
};

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const b64url = (data: Uint8Array) => Buffer.from(data).toString("base64url");
const arrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
const bytesOf = (source: BufferSource): Uint8Array =>
    source instanceof ArrayBuffer
        ? new Uint8Array(source)
        : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
/** DER SubjectPublicKeyInfo prefix of an uncompressed P-256 key. */
const p256SpkiPrefix = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");

const flagUserPresent = 0x01;
const flagUserVerified = 0x04;
const flagAttestedData = 0x40;

export type VirtualAuthenticatorOptions = {
    /** The page the wallet runs on (the seed's local wallet: `https://localhost:3000`). */
    origin?: string;
    /** False: an authenticator that only detects presence (sets UP, never UV). */
    verifiesUser?: boolean;
    /** `zero`: synced passkeys (iCloud, Google) never count; `increment`: security keys do. */
    signCount?: "zero" | "increment";
};

type StoredCredential = {
    id: Uint8Array;
    rpId: string;
    secretKey: Uint8Array;
    publicKey: Uint8Array;
    counter: number;
};

export function virtualAuthenticator(options: VirtualAuthenticatorOptions = {}) {
    const origin = options.origin ?? "https://localhost:3000";
    const credentials: StoredCredential[] = [];
    let verifiesUser = options.verifiesUser !== false;
    const flags = (attested: boolean) =>
        flagUserPresent | (verifiesUser ? flagUserVerified : 0) | (attested ? flagAttestedData : 0);
    const clientData = (type: string, challenge: BufferSource) =>
        Buffer.from(
            JSON.stringify({
                type,
                challenge: b64url(bytesOf(challenge)),
                origin,
                crossOrigin: false,
            }),
        );

    /** `navigator.credentials.create` for ox's `createFn`. */
    async function create(request?: CredentialCreationOptions) {
        const publicKeyOptions = request?.publicKey;
        if (!publicKeyOptions) throw new Error("NotSupportedError: publicKey options required");
        const rpId = publicKeyOptions.rp.id ?? new URL(origin).hostname;
        for (const excluded of publicKeyOptions.excludeCredentials ?? []) {
            const id = Buffer.from(bytesOf(excluded.id));
            if (credentials.some((credential) => id.equals(credential.id))) {
                throw new Error("InvalidStateError: credential already registered");
            }
        }
        const secretKey = p256.utils.randomSecretKey();
        const publicKey = p256.getPublicKey(secretKey, false);
        const credential = { id: randomBytes(16), rpId, secretKey, publicKey, counter: 0 };
        credentials.push(credential);

        const coseKey = new Map<number, number | Uint8Array>([
            [1, 2],
            [3, -7],
            [-1, 1],
            [-2, publicKey.slice(1, 33)],
            [-3, publicKey.slice(33, 65)],
        ]);
        const idLength = Buffer.alloc(2);
        idLength.writeUInt16BE(credential.id.length);
        const authenticatorData = Buffer.concat([
            sha256(rpId),
            Buffer.from([flags(true)]),
            Buffer.alloc(4),
            Buffer.alloc(16),
            idLength,
            credential.id,
            Buffer.from(isoCBOR.encode(coseKey as never)),
        ]);
        const attestationObject = isoCBOR.encode(
            new Map<string, unknown>([
                ["fmt", "none"],
                ["attStmt", new Map()],
                ["authData", new Uint8Array(authenticatorData)],
            ]) as never,
        );
        const clientDataJSON = clientData("webauthn.create", publicKeyOptions.challenge);
        const spki = Buffer.concat([p256SpkiPrefix, publicKey]);
        const transports = ["hybrid", "internal"];
        return {
            id: b64url(credential.id),
            rawId: arrayBuffer(credential.id),
            type: "public-key",
            authenticatorAttachment: "platform",
            response: {
                clientDataJSON: arrayBuffer(clientDataJSON),
                attestationObject: arrayBuffer(attestationObject),
                getPublicKey: () => arrayBuffer(spki),
                getPublicKeyAlgorithm: () => -7,
                getTransports: () => transports,
                getAuthenticatorData: () => arrayBuffer(authenticatorData),
            },
            getClientExtensionResults: () => ({}),
            toJSON: () => ({
                id: b64url(credential.id),
                rawId: b64url(credential.id),
                type: "public-key",
                authenticatorAttachment: "platform",
                clientExtensionResults: {},
                response: {
                    clientDataJSON: b64url(clientDataJSON),
                    attestationObject: b64url(attestationObject),
                    authenticatorData: b64url(authenticatorData),
                    transports,
                    publicKey: b64url(spki),
                    publicKeyAlgorithm: -7,
                },
            }),
        };
    }

    /** `navigator.credentials.get` for ox's `getFn`. */
    async function get(request?: CredentialRequestOptions) {
        const publicKeyOptions = request?.publicKey;
        if (!publicKeyOptions) throw new Error("NotSupportedError: publicKey options required");
        const rpId = publicKeyOptions.rpId ?? new URL(origin).hostname;
        const allowed = (publicKeyOptions.allowCredentials ?? []).map((descriptor) =>
            Buffer.from(bytesOf(descriptor.id)),
        );
        const credential = credentials.find(
            (candidate) =>
                candidate.rpId === rpId &&
                (allowed.length === 0 || allowed.some((id) => id.equals(candidate.id))),
        );
        if (!credential) throw new Error("NotAllowedError: no credential for this request");
        if (options.signCount === "increment") credential.counter += 1;
        const count = Buffer.alloc(4);
        count.writeUInt32BE(credential.counter);
        const authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([flags(false)]), count]);
        const clientDataJSON = clientData("webauthn.get", publicKeyOptions.challenge);
        const compact = p256.sign(
            Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
            credential.secretKey,
        );
        const signature = p256.Signature.fromBytes(compact, "compact").toBytes("der");
        return {
            id: b64url(credential.id),
            rawId: arrayBuffer(credential.id),
            type: "public-key",
            authenticatorAttachment: "platform",
            response: {
                clientDataJSON: arrayBuffer(clientDataJSON),
                authenticatorData: arrayBuffer(authenticatorData),
                signature: arrayBuffer(signature),
                userHandle: null,
            },
            getClientExtensionResults: () => ({}),
        };
    }

    return {
        origin,
        create,
        get,
        /** From now on, sign with (true) or without (false) the user-verified flag. */
        setUserVerification(value: boolean) {
            verifiesUser = value;
        },
        /** Credential ids created so far (base64url), newest last. */
        get credentialIds() {
            return credentials.map((credential) => b64url(credential.id));
        },
    };
}

export type VirtualAuthenticator = ReturnType<typeof virtualAuthenticator>;
