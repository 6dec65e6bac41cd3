/**
 * ERC-1271 signature format of a passkey SmartWallet: the fields of OpenZeppelin's
 * WebAuthn.WebAuthnAuth ABI-encoded as a flat parameter list (what WebAuthn.tryDecodeAuth reads):
 *   abi.encode(bytes32 r, bytes32 s, uint256 challengeIndex, uint256 typeIndex,
 *              bytes authenticatorData, string clientDataJSON)
 * The WebAuthn challenge is the 32-byte hash being signed (base64url in clientDataJSON).
 */
import { encodeAbiParameters, type Hex } from "viem";

export function encodeWebAuthnSignature(assertion: {
    /** P-256 signature, low-s (the contract rejects s > n/2). */
    r: Hex;
    s: Hex;
    authenticatorData: Hex;
    clientDataJSON: string;
}): Hex {
    const challengeIndex = assertion.clientDataJSON.indexOf('"challenge":"');
    const typeIndex = assertion.clientDataJSON.indexOf('"type":"webauthn.get"');
    if (challengeIndex < 0 || typeIndex < 0) {
        throw new Error("clientDataJSON lacks a challenge or a webauthn.get type");
    }
    return encodeAbiParameters(
        [
            { type: "bytes32" },
            { type: "bytes32" },
            { type: "uint256" },
            { type: "uint256" },
            { type: "bytes" },
            { type: "string" },
        ],
        [
            assertion.r,
            assertion.s,
            BigInt(challengeIndex),
            BigInt(typeIndex),
            assertion.authenticatorData,
            assertion.clientDataJSON,
        ],
    );
}
