import type { Hex } from "viem";

/** Interaction type selectors of the SDK, by full key. */
export const INTERACTION_KEYS: Record<string, Hex> = {
    "press.openArticle": "0xc0a24ffb",
    "press.readArticle": "0xd5bd0fbe",
    "dapp.proofVerifiableStorageUpdate": "0x2ab2aeef",
    "dapp.callableVerifiableStorageUpdate": "0xa07da986",
    "webshop.open": "0xb311798f",
    "referral.referred": "0x010cc3b9",
    "referral.createLink": "0xb2c0f17c",
    "purchase.started": "0xd87e90c3",
    "purchase.completed": "0x8403aeb4",
    "purchase.unsafeCompleted": "0x4d5b14e0",
    "retail.customerMeeting": "0x74489004",
};

const KEY_OF_SELECTOR = new Map(
    Object.entries(INTERACTION_KEYS).map(([key, selector]) => [selector, key]),
);

export function interactionKeyOf(selector: Hex): string | undefined {
    return KEY_OF_SELECTOR.get(selector.toLowerCase() as Hex);
}

/** Product type denominators of the SDK (the handler a payload targets). */
export const PRODUCT_TYPE_DENOMINATOR = {
    retail: "0x04",
    referral: "0x1e",
    purchase: "0x1f",
} as const satisfies Record<string, Hex>;
