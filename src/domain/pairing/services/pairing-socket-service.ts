import type { Logger } from "../../../infrastructure/logger";
import type { TokenService, WalletSession } from "../../../infrastructure/sessions";
import type { DevicePairingRepository } from "../repositories/device-pairing-repository";
import type { SignatureRequestRepository } from "../repositories/signature-request-repository";
import { ConnectionCounter } from "./connection-counter";
import { DeliveredAnswerMarks } from "./delivered-answer-marks";
import { PairingCloseCode } from "./messages";
import { PairingFrameHandler } from "./pairing-frame-handler";
import { PairingHandshake } from "./pairing-handshake";
import type { PairingRelay } from "./pairing-relay";
import { sessionEnded } from "./pairing-socket-closes";
import {
    type PairingConnection,
    type PairingConnectParams,
    type PairingSocket,
    PairingSocketClose,
    PairingSocketSession,
} from "./pairing-socket-session";
import type { SignatureRequestNotifier } from "./signature-request-notifier";

/** How long a socket's verified wallet session is trusted before it is checked again. */
const walletRecheckMs = 5_000;
/** How long a revoked session's sockets wait for their pairing's own close before closing. */
const revokedCloseGraceMs = 200;

export type PairingSocketServiceDeps = {
    pairings: DevicePairingRepository;
    requests: SignatureRequestRepository;
    relay: PairingRelay;
    tokens: TokenService;
    notifier: SignatureRequestNotifier;
    logger: Logger;
    /** Sockets open at once per wallet in this instance. */
    maxSocketsPerWallet: number;
};

/**
 * The device pairing protocol (docs/pairing-protocol.md): a desktop ("origin") opens a
 * pairing, a phone ("target") joins it with the code, then the desktop asks the phone for
 * signatures. Origin and target may be connected to different instances: everything between them
 * goes through the relay (pub/sub), and what must not be lost (requests, answers) is in the
 * database and replayed when a side reconnects.
 */
export class PairingSocketService {
    private readonly deliveredMarks: DeliveredAnswerMarks;
    /** Initiate, join or reconnect, when a socket opens. */
    private readonly handshake: PairingHandshake;
    /** The frames of an open socket. */
    private readonly frames: PairingFrameHandler;

    /** Open sockets by the `jti` of their wallet session, to close them when it is revoked. */
    private readonly socketsBySession = new Map<string, Set<PairingSocketSession>>();

    /** Sockets per verified wallet; the wallet a socket counts for, while it is open. */
    private readonly walletSockets: ConnectionCounter;
    private readonly countedWallet = new WeakMap<PairingSocketSession, string>();

    constructor(private readonly deps: PairingSocketServiceDeps) {
        deps.tokens.onWalletSessionsRevoked((jtis) => this.closeRevoked(jtis));
        this.walletSockets = new ConnectionCounter(deps.maxSocketsPerWallet);
        this.deliveredMarks = new DeliveredAnswerMarks(deps.requests, deps.logger);
        this.handshake = new PairingHandshake({ ...deps, deliveredMarks: this.deliveredMarks });
        this.frames = new PairingFrameHandler({
            ...deps,
            walletOf: (socket) => this.walletOf(socket),
        });
    }

    connect(connection: PairingConnection, params: PairingConnectParams): PairingSocket {
        const session = new PairingSocketSession(
            {
                relay: this.deps.relay,
                logger: this.deps.logger,
                handleFrame: (socket, frame) => this.frames.handle(socket, frame),
                answerDelivered: (pairingId, requestIds) =>
                    this.deliveredMarks.mark(pairingId, requestIds),
            },
            connection,
            params,
        );
        session.run(() => this.open(session));
        return {
            receive: (frame) => session.receive(frame),
            disconnected: () => {
                session.disconnected();
                this.forgetSession(session);
                const wallet = this.countedWallet.get(session);
                if (wallet) this.walletSockets.release(wallet);
                this.countedWallet.delete(session);
            },
            idle: () => session.idle(),
        };
    }

    /**
     * A logout or a deleted pairing (here or announced by another instance) closes the sockets of
     * that session at once; a revocation made straight in the database closes them on their next
     * frame (the re-check of walletOf).
     */
    private closeRevoked(jtis: string[]): void {
        for (const jti of jtis) {
            const sockets = this.socketsBySession.get(jti);
            if (!sockets) continue;
            this.socketsBySession.delete(jti);
            for (const socket of sockets) socket.walletCheck = null;
            // After a short grace: a deleted pairing's own close (4404) is on its way and says more.
            setTimeout(() => {
                for (const socket of sockets) {
                    socket.run(async () => {
                        throw sessionEnded();
                    });
                }
            }, revokedCloseGraceMs);
        }
    }

    private trackSession(socket: PairingSocketSession, jti: string): void {
        const sockets = this.socketsBySession.get(jti);
        if (sockets) sockets.add(socket);
        else this.socketsBySession.set(jti, new Set([socket]));
    }

    private forgetSession(socket: PairingSocketSession): void {
        const jti = socket.trackedSessionId;
        if (!jti) return;
        const sockets = this.socketsBySession.get(jti);
        sockets?.delete(socket);
        if (sockets?.size === 0) this.socketsBySession.delete(jti);
    }

    /** On open: initiate, join or reconnect, from the query (docs/pairing-protocol.md). */
    private async open(socket: PairingSocketSession): Promise<void> {
        const { action } = socket.params;
        const wallet = await this.walletOf(socket);
        if (wallet) this.countForWallet(socket, wallet);
        if (action === "initiate" && !wallet) return this.handshake.initiate(socket);
        if (action === "join" && wallet) return this.handshake.join(socket, wallet);
        if (wallet) return this.handshake.reconnect(socket, wallet);
        throw new PairingSocketClose(
            PairingCloseCode.unauthorized,
            "Missing action or wallet token",
        );
    }

    /** A verified wallet holds at most `maxSocketsPerWallet` sockets here (4429 beyond). */
    private countForWallet(socket: PairingSocketSession, wallet: WalletSession): void {
        const key = wallet.address.toLowerCase();
        if (!this.walletSockets.tryAcquire(key)) {
            throw new PairingSocketClose(
                PairingCloseCode.tooManySockets,
                "Too many sockets for this wallet",
            );
        }
        this.countedWallet.set(socket, key);
    }

    /**
     * The socket's wallet session (from the `wallet` query parameter). Verified again on later
     * frames, as the seed does, but at most every few seconds: the revocation check is a database
     * read, and a signature round trip should not pay for it on every frame.
     */
    private async walletOf(socket: PairingSocketSession): Promise<WalletSession | null> {
        const now = performance.now();
        const checked = socket.walletCheck;
        if (checked && now - checked.at < walletRecheckMs) return checked.wallet;
        const wallet = await this.deps.tokens.verifyWallet(socket.params.walletToken);
        if (wallet?.jti && !socket.trackedSessionId) {
            socket.trackedSessionId = wallet.jti;
            this.trackSession(socket, wallet.jti);
        }
        socket.walletCheck = { wallet, at: now };
        return wallet;
    }
}
