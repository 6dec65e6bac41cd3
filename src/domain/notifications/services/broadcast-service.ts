import type { Address } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { PushTokenRepository } from "../repositories/push-token-repository";
import type { AudienceResolver, Targets } from "./audience-resolver";
import type { WebPushSender } from "./web-push-sender";

/** What the service worker receives (the seed's payload, sent as JSON). */
export type NotificationPayload = {
    title: string;
    body: string;
    badge?: string;
    icon?: string;
    lang?: string;
    tag?: string;
    requireInteraction?: boolean;
    silent?: boolean;
    data?: { url?: string };
    actions?: Array<{ action: string; title: string; icon?: string }>;
};

/**
 * What a merchant learns of a broadcast: how many subscriptions the message went out to, never
 * which of them answered (the endpoints are the wallets' own; an outcome per endpoint would tell
 * a merchant which URLs answer).
 */
export type BroadcastResult = {
    /** Subscriptions of the targeted wallets the message is being sent to. */
    queued: number;
    /** Explicit target wallets dropped: they never interacted with the merchant's products. */
    skipped: number;
};

/**
 * RFC 8030 push services must accept 4096 bytes of body; aes128gcm adds an 86-byte header,
 * a padding delimiter and a 16-byte tag, leaving 3993 bytes of JSON.
 */
export const MAX_PAYLOAD_BYTES = 3993;

/** Sends a notification to a set of wallets' subscriptions and forgets the dead ones. */
export class NotificationDelivery {
    private readonly inFlight = new Set<Promise<void>>();

    constructor(
        private readonly tokens: PushTokenRepository,
        private readonly sender: WebPushSender,
        private readonly onBackgroundError: (error: unknown) => void,
    ) {}

    async toWallets(
        wallets: readonly Address[],
        payload: NotificationPayload,
    ): Promise<{ sent: number; failed: number }> {
        const json = this.encode(payload);
        if (wallets.length === 0) return { sent: 0, failed: 0 };
        const subscriptions = await this.tokens.subscriptionsOf(wallets);
        if (subscriptions.length === 0) return { sent: 0, failed: 0 };
        const report = await this.sender.deliver(subscriptions, json);
        if (report.gone.length > 0) await this.tokens.deleteByIds(report.gone);
        return { sent: report.sent, failed: report.failed };
    }

    /**
     * Starts sending and answers at once with the number of subscriptions: the outcome (and how
     * long it takes) stays with us. Payload and database errors still fail the call.
     */
    async queueToWallets(
        wallets: readonly Address[],
        payload: NotificationPayload,
    ): Promise<{ queued: number }> {
        const json = this.encode(payload);
        if (wallets.length === 0) return { queued: 0 };
        const subscriptions = await this.tokens.subscriptionsOf(wallets);
        if (subscriptions.length === 0) return { queued: 0 };
        const run = this.sender
            .deliver(subscriptions, json)
            .then(async (report) => {
                if (report.gone.length > 0) await this.tokens.deleteByIds(report.gone);
            })
            .catch((error: unknown) => this.onBackgroundError(error))
            .finally(() => this.inFlight.delete(run));
        this.inFlight.add(run);
        return { queued: subscriptions.length };
    }

    /** Resolves when every queued send has finished (tests, shutdown). */
    async idle(): Promise<void> {
        while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    }

    private encode(payload: NotificationPayload): string {
        const json = JSON.stringify(payload);
        if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
            throw new ApiError(
                "payload_too_large",
                `Notification payload exceeds ${MAX_PAYLOAD_BYTES} bytes`,
                { status: 422 },
            );
        }
        return json;
    }
}

/** `POST /business/notifications/send`: a merchant notifies its own audience. */
export class BroadcastService {
    constructor(
        private readonly audience: AudienceResolver,
        private readonly delivery: NotificationDelivery,
        private readonly requestCleanup: () => void,
    ) {}

    async broadcast(
        merchant: Address,
        targets: Targets,
        payload: NotificationPayload,
    ): Promise<BroadcastResult> {
        const { wallets, skipped } = await this.audience.resolve(merchant, targets);
        const { queued } = await this.delivery.queueToWallets(wallets, payload);
        this.requestCleanup();
        return { queued, skipped };
    }
}
