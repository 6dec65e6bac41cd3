import { randomUUID } from "node:crypto";
import type { Address, Hex } from "viem";
import { isUniqueViolation } from "../../../infrastructure/persistence";
import type {
    DistantWebAuthnWalletSession,
    TokenService,
    WalletSession,
} from "../../../infrastructure/sessions";
import type { SignatureRequestRow } from "../db/schema";
import type { DevicePairingRepository } from "../repositories/device-pairing-repository";
import type { SignatureRequestRepository } from "../repositories/signature-request-repository";
import type { DeliveredAnswerMarks } from "./delivered-answer-marks";
import type { Device } from "./device-name";
import { PairingCloseCode, type PairingServerMessage } from "./messages";
import { newPairingCode, pairingCodeMatches } from "./pairing-code";
import type { PairingRelay } from "./pairing-relay";
import { forbidden } from "./pairing-socket-closes";
import { PairingSocketClose, type PairingSocketSession } from "./pairing-socket-session";

/** Five wrong codes and a pairing can no longer be joined (docs/decisions.md, pairing). */
export const maxPairingCodeAttempts = 5;
/** Codes are unique among live pairings; a collision is retried with a fresh code. */
const maxCodeCollisionRetries = 10;

export type PairingHandshakeDeps = {
    pairings: DevicePairingRepository;
    requests: SignatureRequestRepository;
    relay: PairingRelay;
    tokens: TokenService;
    deliveredMarks: DeliveredAnswerMarks;
};

/**
 * What a pairing socket does when it opens (docs/pairing-protocol.md): a desktop initiates a
 * pairing, a phone joins it with the code, or either side reconnects with its wallet token and
 * gets what it missed while away (requests for the phone, answers for the desktop).
 */
export class PairingHandshake {
    constructor(private readonly deps: PairingHandshakeDeps) {}

    async initiate(socket: PairingSocketSession): Promise<void> {
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

    async join(socket: PairingSocketSession, wallet: WalletSession): Promise<void> {
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
        const address = wallet.address;
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

    async reconnect(socket: PairingSocketSession, wallet: WalletSession): Promise<void> {
        if (wallet.type === "distant-webauthn") return this.reconnectOrigin(socket, wallet);
        if (wallet.type === undefined || wallet.type === "webauthn") {
            return this.reconnectTarget(socket, wallet.address);
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
        this.deps.deliveredMarks.mark(
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
