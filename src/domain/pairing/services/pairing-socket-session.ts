import type { Logger } from "../../../infrastructure/logger";
import { isDatabaseUnavailable } from "../../../infrastructure/persistence";
import { PubSubUnavailableError, type Unsubscribe } from "../../../infrastructure/pubsub";
import type { WalletSession } from "../../../infrastructure/sessions";
import { type Device, describeDevice } from "./device-name";
import type { PairingServerMessage } from "./messages";
import type { PairingRelay, PairingSide, RelayEvent } from "./pairing-relay";

/** The socket as the protocol sees it; the API layer adapts the WebSocket to it. */
export interface PairingConnection {
    send(message: PairingServerMessage): void;
    close(code: number, reason: string): void;
}

/** The upgrade request's query and User-Agent. */
export type PairingConnectParams = {
    action?: string;
    pairingId?: string;
    pairingCode?: string;
    walletToken?: string;
    userAgent?: string;
};

/** One open pairing socket: frames in, then a single `disconnected` when it closes. */
export interface PairingSocket {
    receive(frame: unknown): void;
    disconnected(): void;
    /** Resolves when everything received so far has been handled (tests, benchmarks). */
    idle(): Promise<void>;
}

/** What a session needs from the protocol service. */
export type PairingSocketHost = {
    relay: PairingRelay;
    logger: Logger;
    handleFrame(session: PairingSocketSession, frame: unknown): Promise<void>;
    /** Answers (signature-response / -reject) that reached this desktop socket. */
    answerDelivered(pairingId: string, requestIds: string[]): void;
};

/** Ends the handling of the current frame with a close code (a protocol outcome, not a fault). */
export class PairingSocketClose {
    constructor(
        readonly code: number,
        readonly reason: string,
    ) {}
}

/** How often a socket records activity of a pairing it serves. */
const activityRecordIntervalMs = 30_000;

/**
 * The state of one socket: its listens, and a queue so that its frames are handled one at a time
 * in arrival order (a frame may arrive while `open` is still subscribing).
 */
export class PairingSocketSession implements PairingSocket {
    readonly device: Device;
    /** The last verification of the socket's wallet token (see PairingSocketService.walletOf). */
    walletCheck: { wallet: WalletSession | null; at: number } | null = null;
    /** The wallet session this socket is closed with when it is revoked (see closeRevoked). */
    trackedSessionId: string | undefined;
    private readonly listens = new Map<string, Unsubscribe>();
    /** When this socket last recorded activity (`last_active_at`) per pairing. */
    private readonly activityAt = new Map<string, number>();
    private queue: Promise<void> = Promise.resolve();
    private closed = false;

    constructor(
        private readonly host: PairingSocketHost,
        private readonly connection: PairingConnection,
        readonly params: PairingConnectParams,
    ) {
        this.device = describeDevice(params.userAgent);
    }

    receive(frame: unknown): void {
        if (this.closed) return;
        this.run(() => this.host.handleFrame(this, frame));
    }

    disconnected(): void {
        this.closed = true;
        this.release();
    }

    idle(): Promise<void> {
        return this.queue;
    }

    send(message: PairingServerMessage): void {
        if (!this.closed) this.connection.send(message);
    }

    run(task: () => Promise<void>): void {
        this.queue = this.queue.then(async () => {
            if (this.closed) return;
            try {
                await task();
            } catch (error) {
                this.fail(error);
            }
        });
    }

    /** Listens to one side of a pairing; false when the socket closed in the meantime. */
    async listen(pairingId: string, side: PairingSide): Promise<boolean> {
        if (this.listens.has(pairingId)) return true;
        const unsubscribe = await this.host.relay.listen(pairingId, side, (event) =>
            this.onRelayEvent(side, event),
        );
        if (this.closed) {
            await unsubscribe();
            return false;
        }
        this.listens.set(pairingId, unsubscribe);
        return true;
    }

    isListening(pairingId: string): boolean {
        return this.listens.has(pairingId);
    }

    /** `last_active_at` only serves the 7-day cleanup: recording it twice a minute is plenty. */
    activityDue(pairingId: string): boolean {
        const at = this.activityAt.get(pairingId);
        return at === undefined || performance.now() - at > activityRecordIntervalMs;
    }

    activityRecorded(pairingId: string): void {
        this.activityAt.set(pairingId, performance.now());
    }

    private onRelayEvent(side: PairingSide, event: RelayEvent): void {
        if (this.closed) return;
        if (event.kind === "detach") {
            const unsubscribe = this.listens.get(event.pairingId);
            if (!unsubscribe) return;
            this.listens.delete(event.pairingId);
            void unsubscribe();
            // A phone may serve several desktops: it stays open while it has one left.
            if (this.listens.size === 0) this.close(event.code, event.reason);
            return;
        }
        const { message } = event;
        this.send(message);
        if (
            side === "origin" &&
            (message.type === "signature-response" || message.type === "signature-reject")
        ) {
            this.host.answerDelivered(message.payload.pairingId, [message.payload.id]);
        }
    }

    private close(code: number, reason: string): void {
        if (this.closed) return;
        this.closed = true;
        this.connection.close(code, reason);
        this.release();
    }

    private release(): void {
        const unsubscribes = [...this.listens.values()];
        this.listens.clear();
        for (const unsubscribe of unsubscribes) {
            unsubscribe().catch(() => {});
        }
    }

    private fail(error: unknown): void {
        if (error instanceof PairingSocketClose) {
            this.close(error.code, error.reason);
        } else if (error instanceof PubSubUnavailableError || isDatabaseUnavailable(error)) {
            this.host.logger.warn({ err: error }, "pairing socket closed: dependency down");
            // 1013 "try again later": an outage, not a fault of ours or of the client (1011).
            this.close(1013, "Service temporarily unavailable");
        } else {
            this.host.logger.error({ err: error }, "pairing socket failed");
            this.close(1011, "Internal error");
        }
    }
}
