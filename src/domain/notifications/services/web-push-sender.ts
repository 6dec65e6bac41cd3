import { LRUCache } from "lru-cache";
import webpush from "web-push";
import type { Logger } from "../../../infrastructure/logger";
import type { StoredSubscription } from "../repositories/push-token-repository";
import type { PushEndpointPolicy } from "./push-endpoint-policy";
import type { VapidKeys } from "./vapid-keys";

export type PushSenderOptions = {
    /** Requests in flight at once. */
    concurrency: number;
    /** Per-request limit: a slow push service only costs its own subscription. */
    timeoutMs: number;
    /** How long the push service keeps an undelivered message (seconds). */
    ttlSeconds: number;
};

export type DeliveryReport = {
    sent: number;
    failed: number;
    /** Subscriptions the push service says no longer exist (404/410), or that cannot be encrypted for. */
    gone: number[];
};

/** A VAPID JWT lives 12 h (the maximum push services accept is 24 h); renewed with 1 h to spare. */
const VAPID_JWT_LIFETIME_S = 12 * 3600;
const VAPID_RENEW_MARGIN_S = 3600;

/**
 * Sends encrypted Web Push messages (RFC 8291 aes128gcm, VAPID RFC 8292). `web-push` builds each
 * request (encryption and headers); we send it with fetch, because its own sender only speaks
 * TLS through node's https module. One failure never affects another subscription.
 */
export class WebPushSender {
    /** Keyed by push service origin; bounded because endpoints come from clients. */
    private readonly vapidHeaders = new LRUCache<
        string,
        { authorization: string; expiresAt: number }
    >({ max: 256 });

    constructor(
        private readonly keys: () => VapidKeys,
        private readonly options: PushSenderOptions,
        private readonly logger: Logger,
        private readonly policy: PushEndpointPolicy,
    ) {}

    async deliver(
        subscriptions: readonly StoredSubscription[],
        payload: string,
    ): Promise<DeliveryReport> {
        const report: DeliveryReport = { sent: 0, failed: 0, gone: [] };
        let next = 0;
        const worker = async () => {
            while (next < subscriptions.length) {
                const subscription = subscriptions[next++]!;
                const outcome = await this.deliverOne(subscription, payload);
                if (outcome === "sent") report.sent++;
                else {
                    report.failed++;
                    if (outcome === "gone") report.gone.push(subscription.id);
                }
            }
        };
        const workers = Math.min(this.options.concurrency, subscriptions.length);
        await Promise.all(Array.from({ length: workers }, worker));
        return report;
    }

    private async deliverOne(
        subscription: StoredSubscription,
        payload: string,
    ): Promise<"sent" | "failed" | "gone"> {
        let request: webpush.RequestDetails;
        let origin: string;
        try {
            origin = new URL(subscription.endpoint).origin;
            request = webpush.generateRequestDetails(subscription, payload, {
                TTL: this.options.ttlSeconds,
                // No vapidDetails: VAPID is signed once per push service origin and reused,
                // not once per message (web-push signs only when given vapidDetails).
                headers: { Authorization: this.vapidAuthorization(origin) },
            });
        } catch (error) {
            // Keys we cannot encrypt for or a malformed endpoint will never work: drop the row.
            this.logger.warn(
                { err: error, subscription: subscription.id },
                "push subscription unusable",
            );
            return "gone";
        }
        // Checked again now: the name may point elsewhere than when it was registered.
        const verdict = await this.policy.check(request.endpoint);
        if (!verdict.ok) {
            this.logger.warn(
                { subscription: subscription.id, pushService: origin, reason: verdict.reason },
                "push endpoint refused at send time",
            );
            return verdict.kind === "refused" ? "gone" : "failed";
        }
        try {
            const response = await fetch(request.endpoint, {
                method: request.method,
                headers: request.headers as Record<string, string>,
                body: request.body,
                // A push service never redirects; following one would let it pick our target.
                redirect: "manual",
                signal: AbortSignal.timeout(this.options.timeoutMs),
            });
            // Drain so the connection returns to the pool.
            await response.arrayBuffer().catch(() => undefined);
            if (response.ok) return "sent";
            if (response.status === 404 || response.status === 410) return "gone";
            this.logger.debug(
                { status: response.status, pushService: origin, subscription: subscription.id },
                "push service refused the message",
            );
            return "failed";
        } catch (error) {
            this.logger.debug(
                { err: error, pushService: origin, subscription: subscription.id },
                "push delivery failed",
            );
            return "failed";
        }
    }

    private vapidAuthorization(audience: string): string {
        const now = Math.floor(Date.now() / 1000);
        const cached = this.vapidHeaders.get(audience);
        if (cached && cached.expiresAt - now > VAPID_RENEW_MARGIN_S) return cached.authorization;
        const keys = this.keys();
        const expiresAt = now + VAPID_JWT_LIFETIME_S;
        const { Authorization } = webpush.getVapidHeaders(
            audience,
            keys.subject,
            keys.publicKey,
            keys.privateKey,
            "aes128gcm",
            expiresAt,
        );
        this.vapidHeaders.set(audience, { authorization: Authorization, expiresAt });
        return Authorization;
    }
}
