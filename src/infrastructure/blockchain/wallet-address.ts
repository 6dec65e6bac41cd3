/**
 * Counterfactual smart-wallet addresses computed off-chain, identical to WalletFactory's
 * getAddressWebAuthn / getAddressEcdsa (CREATE2 over SmartWallet's init code), so the backend
 * needs no RPC call to know a user's wallet address.
 */
import {
    type Address,
    concatHex,
    encodeAbiParameters,
    getContractAddress,
    type Hex,
    keccak256,
    padHex,
    toBytes,
    zeroAddress,
} from "viem";
import { smartWalletBytecode } from "./artifacts/SmartWallet";

const ownerParams = [{ type: "address" }, { type: "bytes32" }, { type: "bytes32" }] as const;

/** keccak256 of the UTF-8 credential id (the base64url string the browser reports). */
export function credentialIdHash(credentialId: string): Hex {
    return keccak256(toBytes(credentialId));
}

export function webAuthnWalletAddress(params: {
    walletFactory: Address;
    credentialId: string;
    /** P-256 public key coordinates. */
    x: Hex | bigint;
    y: Hex | bigint;
}): Address {
    const x = typeof params.x === "bigint" ? padHex(`0x${params.x.toString(16)}`) : params.x;
    const y = typeof params.y === "bigint" ? padHex(`0x${params.y.toString(16)}`) : params.y;
    return getContractAddress({
        opcode: "CREATE2",
        from: params.walletFactory,
        salt: credentialIdHash(params.credentialId),
        bytecode: concatHex([
            smartWalletBytecode,
            encodeAbiParameters(ownerParams, [zeroAddress, padHex(x), padHex(y)]),
        ]),
    });
}

export function ecdsaWalletAddress(params: { walletFactory: Address; owner: Address }): Address {
    const zero = padHex("0x0");
    return getContractAddress({
        opcode: "CREATE2",
        from: params.walletFactory,
        salt: zero,
        bytecode: concatHex([
            smartWalletBytecode,
            encodeAbiParameters(ownerParams, [params.owner, zero, zero]),
        ]),
    });
}
