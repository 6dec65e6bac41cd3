import { randomUUID } from "node:crypto";
import { type Address, getAddress, type Hex } from "viem";
import type { Logger } from "../../../infrastructure/logger";
import type {
    DistantWebAuthnWalletSession,
    TokenService,
    WalletSession,
} from "../../../infrastructure/sessions";
import type { SignatureRequestRow } from "../db/schema";
import type { DevicePairingRepository } from "../repositories/device-pairing-repository";
import type { SignatureRequestRepository } from "../repositories/signature-request-repository";
import { ConnectionCounter } from "./connection-counter";
import type { Device } from "./device-name";
import {
    type ClientMessage,
    PairingCloseCode,
    type PairingServerMessage,
    parseClientFrame,
} from "./messages";
import { newPairingCode, pairingCodeMatches } from "./pairing-code";
import type { PairingRelay } from "./pairing-relay";
import {
    type PairingConnection,
    type PairingConnectParams,
    type PairingSocket,
    PairingSocketClose,
    PairingSocketSession,
} from "./pairing-socket-session";
import type { SignatureRequestNotifier } from "./signature-request-notifier";

/** Five wrong codes and a pairing can no longer be joined (docs/decisions.md, pairing). */
export const maxPairingCodeAttempts = 5;
/** How long a socket's verified wallet session is trusted before it is checked again. */
const walletRecheckMs = 5_000;
/** How long a revoked session's sockets wait for their pairing's own close before closing. */
const revokedCloseGraceMs = 200;
/** How long delivered marks gather before they are written together. */
const deliveredMarkBatchMs = 20;
/** Codes are unique among live pairings; a collision is retried with a fresh code. */
const maxCodeCollisionRetries = 10;

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

const sessionEnded = () =>
    new PairingSocketClose(PairingCloseCode.unauthorized, "Session revoked or expired");
const forbidden = (reason: string) => new PairingSocketClose(PairingCloseCode.forbidden, reason);
const invalidMessage = (reason: string) =>
    new PairingSocketClose(PairingCloseCode.invalidMessage, reason);

/**
 * The device pairing protocol (docs/pairing-protocol.md): a desktop ("origin") opens a
 * pairing, a phone ("target") joins it with the code, then the desktop asks the phone for
 * signatures. Origin and target may be connected to different instances: everything between them
 * goes through the relay (pub/sub), and what must not be lost (requests, answers) is in the
 * database and replayed when a side reconnects.
 */
export class PairingSocketService {
    /** Delivered answers not yet marked in the database, by pairing (see markDelivered). */
    private undeliveredMarks = new Map<string, string[]>();
    private deliveredFlush: ReturnType<typeof setTimeout> | undefined;

    /** Open sockets by the `jti` of their wallet session, to close them when it is revoked. */
    private readonly socketsBySession = new Map<string, Set<PairingSocketSession>>();

    /** Sockets per verified wallet; the wallet a socket counts for, while it is open. */
    private readonly walletSockets: ConnectionCounter;
    private readonly countedWallet = new WeakMap<PairingSocketSession, string>();

    constructor(private readonly deps: PairingSocketServiceDeps) {
        deps.tokens.onWalletSessionsRevoked((jtis) => this.closeRevoked(jtis));
        this.walletSockets = new ConnectionCounter(deps.maxSocketsPerWallet);
    }

    connect(connection: PairingConnection, params: PairingConnectParams): PairingSocket {
        const session = new PairingSocketSession(
            {
                relay: this.deps.relay,
                logger: this.deps.logger,
                handleFrame: (socket, frame) => this.handleFrame(socket, frame),
                answerDelivered: (pairingId, requestIds) =>
                    this.markDelivered(pairingId, requestIds),
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
        if (action === "initiate" && !wallet) return this.initiate(socket);
        if (action === "join" && wallet) return this.join(socket, wallet);
        if (wallet) return this.reconnect(socket, wallet);
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

    private async initiate(socket: PairingSocketSession): Promise<void> {
        const pairingId = randomUUID();
        const pairingCode = await this.insertWithFreshCode(pairingId, socket.device);
        if (!(await socket.listen(pairingId, "origin"))) return;
        socket.send({ type: "pairing-initiated", payload: { pairingId, pairingCode } });
    }

    private async insertWithFreshCode(pairingId: string, origin: Device): Promise<string> {
        for (let attempt = 0; ; attempt++) {
            const pairingCode = newPairingCode();
            try {
                await this.deps.pairings.insert({
                    pairingId,
                    pairingCode,
                    originUserAgent: origin.userAgent,
                    originName: origin.name,
                });
                return pairingCode;
            } catch (error) {
                if (attempt < maxCodeCollisionRetries && isUniqueViolation(error)) continue;
                throw error;
            }
        }
    }

    private async join(socket: PairingSocketSession, wallet: WalletSession): Promise<void> {
        const { pairingId = "", pairingCode } = socket.params;
        const pairing = await this.deps.pairings.findByPairingId(pairingId);
        if (!pairing)
            throw new PairingSocketClose(PairingCloseCode.pairingNotFound, "Pairing not found");
        // Each guess spends an attempt first, so parallel guesses cannot exceed the limit.
        const attempt = await this.deps.pairings.takeCodeAttempt(pairingId, maxPairingCodeAttempts);
        if (!attempt) {
            if (!pairing.resolvedAt)
                throw forbidden("Pairing invalidated after too many invalid codes");
            if (!pairingCodeMatches(pairing.pairingCode, pairingCode)) {
                throw forbidden("Invalid pairing code");
            }
            throw forbidden("Pairing already resolved");
        }
        if (!pairingCodeMatches(attempt.pairingCode, pairingCode)) {
            if (attempt.codeAttempts >= maxPairingCodeAttempts) {
                // The desktop shows a dead code: close it so its client starts a new pairing.
                await this.deps.relay.detach(
                    pairingId,
                    PairingCloseCode.forbidden,
                    "Pairing invalidated after too many invalid codes",
                );
            }
            throw forbidden("Invalid pairing code");
        }
        if (wallet.type !== undefined && wallet.type !== "webauthn") {
            throw forbidden("Can't resolve non-webauthn wallet");
        }
        const address = wallet.address as Address;
        const resolved = await this.deps.pairings.resolve(pairingId, {
            wallet: address,
            targetUserAgent: socket.device.userAgent,
            targetName: socket.device.name,
        });
        if (!resolved) throw forbidden("Pairing already resolved");

        await this.reconnectTarget(socket, address);
        const distantWallet = {
            type: "distant-webauthn" as const,
            address,
            authenticatorId: wallet.authenticatorId,
            publicKey: { x: wallet.publicKey.x as Hex, y: wallet.publicKey.y as Hex },
            pairingId,
        };
        // Both end with the pairing: the session is recorded with its pairing id, the SDK token
        // names the session as its parent.
        const walletJwt = await this.deps.tokens.signWallet(distantWallet);
        const sdkJwt = await this.deps.tokens.signSdk(address, { parent: walletJwt });
        await this.deps.relay.deliver(pairingId, "origin", {
            type: "authenticated",
            payload: { token: walletJwt.token, sdkJwt, wallet: distantWallet },
        });
    }

    private async reconnect(socket: PairingSocketSession, wallet: WalletSession): Promise<void> {
        if (wallet.type === "distant-webauthn") return this.reconnectOrigin(socket, wallet);
        if (wallet.type === undefined || wallet.type === "webauthn") {
            return this.reconnectTarget(socket, wallet.address as Address);
        }
        // An ecdsa wallet has no pairing: nothing would ever reach this socket (the seed kept it
        // open, and one token could hold thousands); the client does not retry after 4444.
        throw new PairingSocketClose(
            PairingCloseCode.noConnectionToConnectTo,
            "No connection to connect to",
        );
    }

    private async reconnectOrigin(
        socket: PairingSocketSession,
        wallet: DistantWebAuthnWalletSession,
    ): Promise<void> {
        const { pairingId } = wallet;
        // The seed subscribed even to a deleted pairing; we say so instead (its JWT is useless).
        const pairing = await this.deps.pairings.findByPairingId(pairingId);
        if (!pairing)
            throw new PairingSocketClose(PairingCloseCode.pairingNotFound, "Pairing not found");
        if (!(await socket.listen(pairingId, "origin"))) return;
        await this.deps.pairings.touch([pairingId]);
        await this.deps.relay.deliver(pairingId, "target", {
            type: "partner-connected",
            payload: { pairingId, deviceName: socket.device.name },
        });
        // Answers given while this desktop was away (subscribed first: nothing falls in between).
        const answers = await this.deps.requests.findUndeliveredAnswers(pairingId);
        for (const answer of answers) socket.send(answerMessage(answer));
        this.markDelivered(
            pairingId,
            answers.map((answer) => answer.requestId),
        );
    }

    private async reconnectTarget(socket: PairingSocketSession, wallet: Address): Promise<void> {
        const pairings = await this.deps.pairings.findByWallet(wallet);
        if (pairings.length === 0) {
            throw new PairingSocketClose(
                PairingCloseCode.noConnectionToConnectTo,
                "No connection to connect to",
            );
        }
        for (const pairing of pairings) {
            if (!(await socket.listen(pairing.pairingId, "target"))) return;
        }
        const pairingIds = pairings.map((pairing) => pairing.pairingId);
        await this.deps.pairings.touch(pairingIds);
        for (const pairingId of pairingIds) socket.activityRecorded(pairingId);
        await Promise.all(
            pairings.map((pairing) =>
                this.deps.relay.deliver(pairing.pairingId, "origin", {
                    type: "partner-connected",
                    payload: { pairingId: pairing.pairingId, deviceName: socket.device.name },
                }),
            ),
        );
        const originNames = new Map(pairings.map((p) => [p.pairingId, p.originName]));
        for (const request of await this.deps.requests.findUnprocessed(pairingIds)) {
            socket.send({
                type: "signature-request",
                payload: {
                    pairingId: request.pairingId,
                    id: request.requestId,
                    request: request.request,
                    context: request.context ?? undefined,
                    partnerDeviceName: originNames.get(request.pairingId) ?? "Unknown",
                },
            });
        }
    }

    /** One frame: shape first (nothing is written for a bad frame), then who may send it. */
    private async handleFrame(socket: PairingSocketSession, frame: unknown): Promise<void> {
        const parsed = parseClientFrame(frame);
        if (!parsed.ok) throw invalidMessage(parsed.reason);
        // Without a session frames are ignored: an origin must first reconnect with its
        // distant-webauthn token. A socket whose session ended (logout, deleted pairing) closes.
        const wallet = await this.walletOf(socket);
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
        if (!(await this.deps.pairings.touchIfOwnedBy(pairingId, wallet.address as Address))) {
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

    /**
     * An answer reached a desktop socket: it is not replayed on the next reconnect. The marks of
     * a few milliseconds go out in one statement instead of one per answer; one lost on a crash
     * only means that answer is delivered again (the client matches answers by id).
     */
    private markDelivered(pairingId: string, requestIds: string[]): void {
        if (requestIds.length === 0) return;
        const pending = this.undeliveredMarks.get(pairingId);
        if (pending) pending.push(...requestIds);
        else this.undeliveredMarks.set(pairingId, [...requestIds]);
        this.deliveredFlush ??= setTimeout(() => this.flushDeliveredMarks(), deliveredMarkBatchMs);
    }

    private flushDeliveredMarks(): void {
        const answers = this.undeliveredMarks;
        this.undeliveredMarks = new Map();
        this.deliveredFlush = undefined;
        this.deps.requests.markDelivered(answers).catch((error: unknown) => {
            const pairingIds = [...answers.keys()];
            this.deps.logger.warn({ err: error, pairingIds }, "marking answers delivered failed");
        });
    }
}

/** The stored answer to a request, as the desktop receives it live. */
function answerMessage(row: SignatureRequestRow): PairingServerMessage {
    if (row.signature) {
        return {
            type: "signature-response",
            payload: { pairingId: row.pairingId, id: row.requestId, signature: row.signature },
        };
    }
    return {
        type: "signature-reject",
        payload: { pairingId: row.pairingId, id: row.requestId, reason: row.rejectReason ?? "" },
    };
}

/** PostgreSQL (and PGlite) unique violation, possibly wrapped by Drizzle. */
function isUniqueViolation(error: unknown): boolean {
    let current: unknown = error;
    for (let depth = 0; current && depth < 5; depth++) {
        if ((current as { code?: unknown }).code === "23505") return true;
        current = (current as { cause?: unknown }).cause;
    }
    return false;
}
