import type { Address } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { PushTokenRepository } from "../repositories/push-token-repository";
import type { PushEndpointPolicy } from "./push-endpoint-policy";

/** The browser's PushSubscription JSON. */
export type BrowserSubscription = {
    endpoint: string;
    keys: { p256dh: string; auth: string };
    /** Milliseconds since the epoch, as browsers give it. */
    expirationTime?: number | null;
};

/**
 * A wallet's own push subscriptions: register, remove all, ask whether any exist. Only endpoints
 * the policy accepts are stored, and a wallet keeps at most `maxPerWallet` (the oldest go), so
 * one message never fans out to more than that many requests per wallet.
 */
export class PushTokenService {
    constructor(
        private readonly tokens: PushTokenRepository,
        private readonly policy: PushEndpointPolicy,
        private readonly maxPerWallet: number,
        /** Asks the expired-subscription cleanup to run soon (the seed cleans after each call). */
        private readonly requestCleanup: () => void,
    ) {}

    async register(wallet: Address, subscription: BrowserSubscription): Promise<void> {
        const verdict = await this.policy.check(subscription.endpoint);
        if (!verdict.ok) {
            throw new ApiError(
                "invalid_push_endpoint",
                `Invalid body /subscription/endpoint: ${verdict.reason}`,
                { property: "/subscription/endpoint" },
            );
        }
        const { expirationTime } = subscription;
        await this.tokens.insertIgnoringDuplicate({
            wallet,
            endpoint: subscription.endpoint,
            keyP256dh: subscription.keys.p256dh,
            keyAuth: subscription.keys.auth,
            expireAt: typeof expirationTime === "number" ? new Date(expirationTime) : null,
        });
        await this.tokens.keepNewest(wallet, this.maxPerWallet);
        this.requestCleanup();
    }

    async removeAll(wallet: Address): Promise<void> {
        await this.tokens.deleteAllOfWallet(wallet);
        this.requestCleanup();
    }

    hasAny(wallet: Address): Promise<boolean> {
        return this.tokens.hasAny(wallet);
    }
}
