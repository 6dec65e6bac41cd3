import { PairingCloseCode } from "./messages";
import { PairingSocketClose } from "./pairing-socket-session";

/** The closes the join and the frames share (docs/pairing-protocol.md, close codes). */
export const sessionEnded = () =>
    new PairingSocketClose(PairingCloseCode.unauthorized, "Session revoked or expired");
export const forbidden = (reason: string) =>
    new PairingSocketClose(PairingCloseCode.forbidden, reason);
export const invalidMessage = (reason: string) =>
    new PairingSocketClose(PairingCloseCode.invalidMessage, reason);
