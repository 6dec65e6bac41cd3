import { RedisClient } from "bun";
import { withTimeout } from "../../utils/with-timeout";
import type { Logger } from "../logger";
import type { PubSub, PubSubHandler, PubSubHealth, Unsubscribe } from "./pubsub";

/** A publish or subscribe that takes longer means Redis is not really there. */
const commandTimeoutMs = 3_000;
/** Redis cannot be reached: at start-up, or for a publish/subscribe while it is down. */
export class PubSubUnavailableError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "PubSubUnavailableError";
    }
}

export type RedisPubSubOptions = {
    url: string;
    logger: Logger;
    /** Time allowed for the first connection at start-up. */
    connectTimeoutMs?: number;
};

const maxReconnectDelayMs = 10_000;

/**
 * Pub/sub across instances over Redis (Bun's RedisClient). A connection in subscriber mode
 * cannot send other commands, so there are two: one publishes, one subscribes.
 *
 * Reconnects: Bun retries a dropped connection a few times by itself; when it gives up we keep
 * retrying with a capped back-off. Redis forgets a connection's subscriptions when it drops, so
 * after every reconnect the subscriber re-subscribes to every topic we still listen to. While
 * Redis is unreachable, publish and subscribe fail at once with PubSubUnavailableError (no
 * offline queue: callers keep durable state in the database, a late delivery helps nobody).
 */
export class RedisPubSub implements PubSub {
    readonly kind = "redis" as const;
    private readonly handlers = new Map<string, Set<PubSubHandler>>();
    /** Subscribe/unsubscribe commands in flight; a re-subscription waits for them. */
    private readonly inflight = new Set<Promise<unknown>>();
    /** Resolved when no re-subscription is running; commands wait for it. */
    private gate: Promise<void> = Promise.resolve();
    private closed = false;
    private readonly redactedUrl: string;

    private constructor(
        private readonly publisher: RedisClient,
        private readonly subscriber: RedisClient,
        url: string,
        private readonly logger: Logger,
    ) {
        this.redactedUrl = redactUrl(url);
    }

    /** Connects both connections; throws PubSubUnavailableError naming the URL when it cannot. */
    static async connect(options: RedisPubSubOptions): Promise<RedisPubSub> {
        const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
        const clientOptions = {
            connectionTimeout: connectTimeoutMs,
            enableOfflineQueue: false,
            maxRetries: 10,
        };
        const publisher = new RedisClient(options.url, clientOptions);
        const subscriber = new RedisClient(options.url, clientOptions);
        const pubsub = new RedisPubSub(publisher, subscriber, options.url, options.logger);
        try {
            // Bun retries a refused connection several times: bound the whole start-up wait.
            await withTimeout(
                Promise.all([publisher.connect(), subscriber.connect()]).then(() =>
                    publisher.send("PING", []),
                ),
                connectTimeoutMs,
            );
        } catch (error) {
            pubsub.closed = true;
            publisher.close();
            subscriber.close();
            throw new PubSubUnavailableError(
                `Redis pub/sub unreachable at ${pubsub.redactedUrl} (REDIS_URL): ${messageOf(error)}`,
                { cause: error },
            );
        }
        pubsub.supervise(publisher, "publisher");
        pubsub.supervise(subscriber, "subscriber");
        return pubsub;
    }

    async publish(topic: string, message: string): Promise<void> {
        try {
            // Bun queues commands while it reconnects: fail now rather than hang the caller.
            if (!this.publisher.connected) throw new Error("publisher disconnected");
            await withTimeout(this.publisher.publish(topic, message), commandTimeoutMs);
        } catch (error) {
            throw this.unavailable("publish", error);
        }
    }

    async subscribe(topic: string, handler: PubSubHandler): Promise<Unsubscribe> {
        const entry: PubSubHandler = (message) => handler(message);
        let topicHandlers = this.handlers.get(topic);
        const isNewTopic = !topicHandlers;
        if (!topicHandlers) {
            topicHandlers = new Set();
            this.handlers.set(topic, topicHandlers);
        }
        topicHandlers.add(entry);
        if (isNewTopic) {
            try {
                if (!this.subscriber.connected) throw new Error("subscriber disconnected");
                await withTimeout(
                    this.command(() => this.subscriber.subscribe(topic, this.dispatch)),
                    commandTimeoutMs,
                );
            } catch (error) {
                this.removeHandler(topic, entry);
                throw this.unavailable("subscribe", error);
            }
        }
        let active = true;
        return async () => {
            if (!active) return;
            active = false;
            if (!this.removeHandler(topic, entry) || this.closed) return;
            await this.command(async () => {
                // Someone may have subscribed again while we waited.
                if (this.handlers.has(topic)) return;
                await this.subscriber.unsubscribe(topic, this.dispatch);
            }).catch((error) => {
                // A dropped connection has forgotten the subscription anyway.
                this.logger.debug({ err: error, topic }, "redis unsubscribe failed");
            });
        };
    }

    async health(): Promise<PubSubHealth> {
        if (!this.subscriber.connected) {
            return { ok: false, detail: `Redis subscriber disconnected (${this.redactedUrl})` };
        }
        try {
            await withTimeout(this.publisher.send("PING", []), 2_000);
            return { ok: true };
        } catch (error) {
            return {
                ok: false,
                detail: `Redis unreachable at ${this.redactedUrl}: ${messageOf(error)}`,
            };
        }
    }

    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        this.handlers.clear();
        await Promise.allSettled([...this.inflight]);
        this.publisher.close();
        this.subscriber.close();
    }

    /** One listener per Redis channel; fans out to this process's handlers. */
    private readonly dispatch = (message: string, channel: string) => {
        const topicHandlers = this.handlers.get(channel);
        if (!topicHandlers) return;
        for (const handler of [...topicHandlers]) {
            try {
                handler(message);
            } catch (error) {
                this.logger.error({ err: error, topic: channel }, "pub/sub handler failed");
            }
        }
    };

    /** Returns true when `topic` has no handler left. */
    private removeHandler(topic: string, entry: PubSubHandler): boolean {
        const topicHandlers = this.handlers.get(topic);
        if (!topicHandlers) return false;
        topicHandlers.delete(entry);
        if (topicHandlers.size > 0) return false;
        this.handlers.delete(topic);
        return true;
    }

    /** Runs a subscriber command outside of any re-subscription. */
    private async command<T>(run: () => Promise<T>): Promise<T> {
        for (let gate = this.gate; ; gate = this.gate) {
            await gate;
            if (gate === this.gate) break;
        }
        const pending = run();
        this.inflight.add(pending);
        try {
            return await pending;
        } finally {
            this.inflight.delete(pending);
        }
    }

    /** After a reconnect Redis has no subscription for us: subscribe to every topic again. */
    private resubscribe(): void {
        const previous = this.gate;
        this.gate = (async () => {
            await previous;
            await Promise.allSettled([...this.inflight]);
            const topics = [...this.handlers.keys()];
            if (topics.length === 0 || this.closed) return;
            try {
                // Drops Bun's local listeners too, so each topic ends with exactly one.
                await this.subscriber.unsubscribe(topics);
                await this.subscriber.subscribe(topics, this.dispatch);
                this.logger.info({ topics: topics.length }, "redis pub/sub re-subscribed");
            } catch (error) {
                // The next reconnect runs this again.
                this.logger.error({ err: error }, "redis pub/sub re-subscription failed");
            }
        })();
    }

    /** Logs losses and recoveries clearly, and reconnects after Bun's own retries give up. */
    private supervise(client: RedisClient, role: "publisher" | "subscriber"): void {
        let reconnecting = false;
        client.onconnect = () => {
            if (this.closed) return;
            this.logger.info({ role, url: this.redactedUrl }, "redis pub/sub connected");
            if (role === "subscriber") this.resubscribe();
        };
        client.onclose = (error) => {
            if (this.closed || reconnecting) return;
            reconnecting = true;
            this.logger.error(
                { role, url: this.redactedUrl, err: messageOf(error) },
                "redis pub/sub unreachable: cross-instance pairing messages are not delivered until it is back; retrying",
            );
            void (async () => {
                for (let attempt = 0; !this.closed && !client.connected; attempt++) {
                    await Bun.sleep(Math.min(250 * 2 ** attempt, maxReconnectDelayMs));
                    if (this.closed) break;
                    await client.connect().catch(() => {});
                }
                reconnecting = false;
            })();
        };
    }

    private unavailable(operation: string, error: unknown): PubSubUnavailableError {
        if (error instanceof PubSubUnavailableError) return error;
        return new PubSubUnavailableError(
            `Redis pub/sub ${operation} failed (${this.redactedUrl}): ${messageOf(error)}`,
            { cause: error },
        );
    }
}

function redactUrl(url: string): string {
    try {
        const parsed = new URL(url);
        if (parsed.password) parsed.password = "***";
        return parsed.toString();
    } catch {
        return "<invalid REDIS_URL>";
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
