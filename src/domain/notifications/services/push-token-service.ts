import type { Address } from "viem";
import type { PushTokenRepository } from "../repositories/push-token-repository";

/** The browser's PushSubscription JSON. */
export type BrowserSubscription = {
    endpoint: string;
    keys: { p256dh: string; auth: string };
    /** Milliseconds since the epoch, as browsers give it. */
    expirationTime?: number | null;
};

/** A wallet's own push subscriptions: register, remove all, ask whether any exist. */
export class PushTokenService {
    constructor(
        private readonly tokens: PushTokenRepository,
        /** Asks the expired-subscription cleanup to run soon (the seed cleans after each call). */
        private readonly requestCleanup: () => void,
    ) {}

    async register(wallet: Address, subscription: BrowserSubscription): Promise<void> {
        const { expirationTime } = subscription;
        await this.tokens.insertIgnoringDuplicate({
            wallet,
            endpoint: subscription.endpoint,
            keyP256dh: subscription.keys.p256dh,
            keyAuth: subscription.keys.auth,
            expireAt: typeof expirationTime === "number" ? new Date(expirationTime) : null,
        });
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
