import type { Address } from "viem";
import type { Logger } from "../../../infrastructure/logger";
import type { SignatureRequestNotifier } from "../ports";
import type { NotificationDelivery } from "./broadcast-service";

/** The seed's wording of the pairing alert shown on the phone. */
export const SIGNATURE_REQUEST_NOTIFICATION = {
    title: "Signature request",
    body: "A biometric signature is requested from your desktop device",
} as const;

/**
 * Alerts a wallet's devices that the paired desktop waits for a signature. Best effort: the
 * request itself already reached the phone's socket (or waits in the database), so a push
 * failure is logged and never fails the pairing flow.
 */
export function createSignatureRequestNotifier(
    delivery: NotificationDelivery,
    logger: Logger,
): SignatureRequestNotifier {
    return {
        async notifySignatureRequest(wallet: Address): Promise<void> {
            try {
                await delivery.toWallets([wallet], { ...SIGNATURE_REQUEST_NOTIFICATION });
            } catch (error) {
                logger.warn({ err: error, wallet }, "signature request notification failed");
            }
        },
    };
}
