import { getAddress, type Hex } from "viem";
import type { Logger } from "../../../infrastructure/logger";
import type { WalletSession } from "../../../infrastructure/sessions";
import type { DevicePairingRepository } from "../repositories/device-pairing-repository";
import type { SignatureRequestRepository } from "../repositories/signature-request-repository";
import { type ClientMessage, PairingCloseCode, parseClientFrame } from "./messages";
import type { PairingRelay } from "./pairing-relay";
import { forbidden, invalidMessage, sessionEnded } from "./pairing-socket-closes";
import { PairingSocketClose, type PairingSocketSession } from "./pairing-socket-session";
import type { SignatureRequestNotifier } from "./signature-request-notifier";

export type PairingFrameHandlerDeps = {
    pairings: DevicePairingRepository;
    requests: SignatureRequestRepository;
    relay: PairingRelay;
    notifier: SignatureRequestNotifier;
    logger: Logger;
    /** The socket's wallet session, verified again now and then (PairingSocketService). */
    walletOf(socket: PairingSocketSession): Promise<WalletSession | null>;
};

/**
 * The frames of an open pairing socket (docs/pairing-protocol.md): the desktop's pings and
 * signature requests, the phone's pongs and answers; each checked for its shape, then for who
 * may send it, before anything is written or relayed.
 */
export class PairingFrameHandler {
    constructor(private readonly deps: PairingFrameHandlerDeps) {}

    /** One frame: shape first (nothing is written for a bad frame), then who may send it. */
    async handle(socket: PairingSocketSession, frame: unknown): Promise<void> {
        const parsed = parseClientFrame(frame);
        if (!parsed.ok) throw invalidMessage(parsed.reason);
        // Without a session frames are ignored: an origin must first reconnect with its
        // distant-webauthn token. A socket whose session ended (logout, deleted pairing) closes.
        const wallet = await this.deps.walletOf(socket);
        if (!wallet) {
            if (!socket.params.walletToken) return;
            throw sessionEnded();
        }
        const message = parsed.message;
        switch (message.type) {
            case "ping":
            case "signature-request":
                if (wallet.type !== "distant-webauthn") {
                    throw forbidden("Only the paired desktop can send this message");
                }
                return message.type === "ping"
                    ? this.deps.relay.deliver(wallet.pairingId, "target", {
                          type: "ping",
                          payload: { pairingId: wallet.pairingId },
                      })
                    : this.requestSignature(wallet.pairingId, message.payload);
            case "pong":
            case "signature-response":
            case "signature-reject":
                await this.assertOwnsPairing(socket, wallet, message.payload.pairingId);
                return this.answer(message);
        }
    }

    private async requestSignature(
        pairingId: string,
        payload: Extract<ClientMessage, { type: "signature-request" }>["payload"],
    ): Promise<void> {
        // The existence check doubles as the activity update. No transaction around the insert:
        // if it fails, only `last_active_at` moved, and the socket closes with the error.
        const pairing = await this.deps.pairings.touchForRequest(pairingId);
        if (!pairing) {
            throw new PairingSocketClose(PairingCloseCode.pairingNotFound, "Pairing not found");
        }
        await this.deps.requests.insert({
            requestId: payload.id,
            pairingId,
            request: payload.request as Hex,
            context: payload.context,
        });
        await this.deps.relay.deliver(pairingId, "target", {
            type: "signature-request",
            payload: {
                pairingId,
                id: payload.id,
                request: payload.request as Hex,
                context: payload.context,
                partnerDeviceName: pairing.originName,
            },
        });
        if (pairing.wallet) {
            const wallet = getAddress(pairing.wallet);
            this.deps.notifier.notifySignatureRequest(wallet).catch((error: unknown) => {
                this.deps.logger.warn({ err: error, wallet }, "signature request push failed");
            });
        }
    }

    /** pong, signature-response and signature-reject come only from the pairing's phone. */
    private async assertOwnsPairing(
        socket: PairingSocketSession,
        wallet: WalletSession,
        pairingId: string,
    ): Promise<void> {
        const isPhone = wallet.type === undefined || wallet.type === "webauthn";
        if (!isPhone) throw forbidden("Not a member of this pairing");
        // A phone socket listens only to the pairings found for its wallet (ownership checked
        // then, and a deleted pairing is dropped), so the database is asked only when the socket
        // does not listen to this one, or to record activity now and then.
        if (socket.isListening(pairingId) && !socket.activityDue(pairingId)) return;
        if (!(await this.deps.pairings.touchIfOwnedBy(pairingId, wallet.address))) {
            throw forbidden("Not a member of this pairing");
        }
        socket.activityRecorded(pairingId);
    }

    private async answer(
        message: Extract<
            ClientMessage,
            { type: "pong" | "signature-response" | "signature-reject" }
        >,
    ): Promise<void> {
        const { pairingId } = message.payload;
        switch (message.type) {
            case "pong":
                return this.deps.relay.deliver(pairingId, "origin", {
                    type: "pong",
                    payload: { pairingId },
                });
            case "signature-response": {
                const { id, signature } = message.payload;
                await this.deps.requests.markSigned(pairingId, id, signature as Hex);
                return this.deps.relay.deliver(pairingId, "origin", {
                    type: "signature-response",
                    payload: { pairingId, id, signature: signature as Hex },
                });
            }
            case "signature-reject":
                // Kept (not deleted as the seed did) so an offline desktop still learns of it.
                await this.deps.requests.markRejected(
                    pairingId,
                    message.payload.id,
                    message.payload.reason,
                );
                return this.deps.relay.deliver(pairingId, "origin", {
                    type: "signature-reject",
                    payload: message.payload,
                });
        }
    }
}
