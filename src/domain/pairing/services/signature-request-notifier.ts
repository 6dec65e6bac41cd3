import type { Address } from "viem";

/**
 * What the pairing domain needs when the desktop asks the phone for a signature: wake the phone
 * (a Web Push "Signature request"). Implemented by the notifications domain.
 */
export interface SignatureRequestNotifier {
    notifySignatureRequest(wallet: Address): Promise<void>;
}

/** Sends nothing: for a deployment without Web Push, and until a notifier is wired. */
export const noSignatureRequestNotifier: SignatureRequestNotifier = {
    notifySignatureRequest: async () => {},
};
