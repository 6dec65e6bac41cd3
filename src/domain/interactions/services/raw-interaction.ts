import { concatHex, type Hex, isHex, keccak256, pad, toBytes } from "viem";
import { PRODUCT_TYPE_DENOMINATOR } from "./interaction-types";

export type EncodedInteraction = { handlerTypeDenominator: Hex; interactionData: Hex };

/**
 * The two raw interactions a merchant's server may push (`pushRaw`): the id in
 * `data[0]` is used as is when hex (at most 32 bytes), else hashed. Anything else: undefined.
 */
export function encodeRawInteraction(key: string, data: unknown[]): EncodedInteraction | undefined {
    if (data.length !== 1 || typeof data[0] !== "string") return undefined;
    const id = toBytes32(data[0]);
    if (!id) return undefined;
    switch (key.toLowerCase()) {
        case "0x74489004":
            return {
                handlerTypeDenominator: PRODUCT_TYPE_DENOMINATOR.retail,
                interactionData: concatHex(["0x74489004", id]),
            };
        case "0x4d5b14e0":
            return {
                handlerTypeDenominator: PRODUCT_TYPE_DENOMINATOR.purchase,
                interactionData: concatHex(["0x4d5b14e0", id]),
            };
        default:
            return undefined;
    }
}

function toBytes32(value: string): Hex | undefined {
    if (isHex(value, { strict: true })) {
        if (value.length > 66) return undefined;
        return pad(value.toLowerCase() as Hex, { size: 32 });
    }
    return keccak256(toBytes(value));
}
