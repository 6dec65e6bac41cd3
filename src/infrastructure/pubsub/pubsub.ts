/** Receives the messages published on a topic (as published: a string, usually JSON). */
export type PubSubHandler = (message: string) => void;

/** Stops one `subscribe` handler; resolves once the topic is no longer listened to for it. */
export type Unsubscribe = () => Promise<void>;

export type PubSubHealth = { ok: true } | { ok: false; detail: string };

/**
 * Topic-based fan-out between the instances of the service. Delivery is at most once and only to
 * subscribers connected at publish time: callers keep anything that must survive an absent
 * subscriber in the database and use this only to wake the right socket quickly.
 */
export interface PubSub {
    readonly kind: "in-process" | "redis";
    /** Sends `message` to every current subscriber of `topic`, on every instance. */
    publish(topic: string, message: string): Promise<void>;
    /** Resolves once the subscription is active, so a publish after it reaches `handler`. */
    subscribe(topic: string, handler: PubSubHandler): Promise<Unsubscribe>;
    health(): Promise<PubSubHealth>;
    close(): Promise<void>;
}
