/** Public door of the pairing domain. */
export { createPairingDomain } from "./context";
export { PairingCloseCode } from "./services/messages";
export {
    noSignatureRequestNotifier,
    type SignatureRequestNotifier,
} from "./services/signature-request-notifier";

import type { createPairingDomain } from "./context";

export type PairingDomain = ReturnType<typeof createPairingDomain>;
