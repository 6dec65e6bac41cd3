/**
 * Interaction payloads understood by ProductInteraction.sol (and LegacyProductInteraction.sol) (4-byte type, then ABI-encoded
 * arguments) and decoding of the per-item rejection reasons it emits.
 */
import {
    type Address,
    concatHex,
    decodeErrorResult,
    encodeAbiParameters,
    type Hex,
    slice,
} from "viem";
import { legacyProductInteractionAbi } from "./artifacts/LegacyProductInteraction";
import { productInteractionAbi } from "./artifacts/ProductInteraction";
import { purchaseOracleAbi } from "./artifacts/PurchaseOracle";

export const INTERACTION_TYPE = {
    referralReferred: "0x010cc3b9",
    referralCreateLink: "0xb2c0f17c",
    purchaseCompleted: "0x8403aeb4",
} as const;

export function encodeReferralReferred(referrer: Address): Hex {
    return concatHex([
        INTERACTION_TYPE.referralReferred,
        encodeAbiParameters([{ type: "address" }], [referrer]),
    ]);
}

export function encodeReferralCreateLink(): Hex {
    return INTERACTION_TYPE.referralCreateLink;
}

export function encodePurchaseCompleted(purchaseId: bigint, proof: readonly Hex[]): Hex {
    return concatHex([
        INTERACTION_TYPE.purchaseCompleted,
        encodeAbiParameters([{ type: "uint256" }, { type: "bytes32[]" }], [purchaseId, proof]),
    ]);
}

export function interactionTypeOf(data: Hex): Hex {
    return slice(data, 0, 4);
}

/** Name of the custom error whose selector an `InteractionRejected` event carries. */
export function decodeRejectionReason(reason: Hex): string {
    for (const abi of [productInteractionAbi, legacyProductInteractionAbi, purchaseOracleAbi]) {
        try {
            return decodeErrorResult({ abi, data: reason }).errorName;
        } catch {
            // not one of this contract's errors, or error with arguments: try the next ABI
        }
    }
    return reason;
}
