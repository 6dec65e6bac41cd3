/**
 * EIP-712 signature of one interaction by the product's derived signer, exactly as
 * LegacyProductInteraction.sol checks it (the batched ProductInteraction takes one signature per
 * batch instead: interaction-batch.ts):
 *   domain  { name: "ProductInteraction", version: "1", chainId, verifyingContract: the
 *             product's interaction contract }
 *   Interaction(bytes32 id,uint256 productId,address wallet,bytes data)
 * `id` is the backend's unique interaction id (exactly-once on-chain), `data` the full
 * interaction payload (4-byte type + arguments).
 */
import {
    type Address,
    bytesToHex,
    concatHex,
    domainSeparator,
    type Hex,
    keccak256,
    numberToHex,
    pad,
    size,
    toHex,
} from "viem";
import type { BackendSigners } from "./signers";

export const INTERACTION_EIP712_DOMAIN_NAME = "ProductInteraction";
export const INTERACTION_EIP712_DOMAIN_VERSION = "1";

export const interactionTypedDataTypes = {
    Interaction: [
        { name: "id", type: "bytes32" },
        { name: "productId", type: "uint256" },
        { name: "wallet", type: "address" },
        { name: "data", type: "bytes" },
    ],
} as const;

export type InteractionToSign = {
    id: Hex;
    productId: bigint;
    wallet: Address;
    data: Hex;
};

export function interactionTypedData(params: {
    chainId: number;
    interactionContract: Address;
    interaction: InteractionToSign;
}) {
    return {
        domain: {
            name: INTERACTION_EIP712_DOMAIN_NAME,
            version: INTERACTION_EIP712_DOMAIN_VERSION,
            chainId: params.chainId,
            verifyingContract: params.interactionContract,
        },
        types: interactionTypedDataTypes,
        primaryType: "Interaction",
        message: params.interaction,
    } as const;
}

/** Signs with the product's derived signer (label = productSignerLabel(productId)). */
export function signInteraction(params: {
    signers: BackendSigners;
    chainId: number;
    interactionContract: Address;
    interaction: InteractionToSign;
}): Promise<Hex> {
    const account = params.signers.productAccount(params.interaction.productId);
    return account.signTypedData(interactionTypedData(params));
}

const INTERACTION_TYPEHASH = keccak256(
    toHex("Interaction(bytes32 id,uint256 productId,address wallet,bytes data)"),
);

/**
 * The same signatures as `signInteraction`, for many interactions of one product: the domain
 * separator is hashed once and each digest is encoded directly (viem's typed-data path validates
 * and ABI-encodes every message, about as costly as the signature itself).
 */
export function signInteractions(params: {
    signers: BackendSigners;
    chainId: number;
    interactionContract: Address;
    productId: bigint;
    interactions: Array<Omit<InteractionToSign, "productId">>;
}): Promise<Hex[]> {
    const account = params.signers.productAccount(params.productId);
    const separator = domainSeparator({
        domain: {
            name: INTERACTION_EIP712_DOMAIN_NAME,
            version: INTERACTION_EIP712_DOMAIN_VERSION,
            chainId: params.chainId,
            verifyingContract: params.interactionContract,
        },
    });
    const productId = numberToHex(params.productId, { size: 32 });
    return Promise.all(
        params.interactions.map((interaction) => {
            // What viem's typed-data validation would refuse (sizes only: our rows hold bytes).
            if (size(interaction.id) !== 32 || size(interaction.wallet) !== 20) {
                throw new Error(`malformed interaction to sign: ${interaction.id}`);
            }
            const structHash = keccak256(
                concatHex([
                    INTERACTION_TYPEHASH,
                    interaction.id,
                    productId,
                    pad(interaction.wallet, { size: 32 }),
                    keccak256(interaction.data),
                ]),
            );
            return account.sign({
                hash: keccak256(concatHex(["0x1901", separator, structHash])),
            });
        }),
    );
}

/** A fresh random interaction id (32 bytes). */
export function newInteractionId(): Hex {
    return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}
