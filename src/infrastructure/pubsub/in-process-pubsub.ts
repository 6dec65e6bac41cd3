import type { Logger } from "../logger";
import type { PubSub, PubSubHandler, PubSubHealth, Unsubscribe } from "./pubsub";

/**
 * Pub/sub within this process only: enough for a single instance (and the default). Handlers run
 * on a later microtask, as they would with a broker, so a publisher never re-enters itself.
 */
export class InProcessPubSub implements PubSub {
    readonly kind = "in-process" as const;
    private readonly topics = new Map<string, Set<PubSubHandler>>();

    constructor(private readonly logger?: Logger) {}

    async publish(topic: string, message: string): Promise<void> {
        const handlers = this.topics.get(topic);
        if (!handlers) return;
        for (const handler of [...handlers]) {
            queueMicrotask(() => {
                try {
                    handler(message);
                } catch (error) {
                    this.logger?.error({ err: error, topic }, "pub/sub handler failed");
                }
            });
        }
    }

    async subscribe(topic: string, handler: PubSubHandler): Promise<Unsubscribe> {
        // A wrapper per call so the same function subscribed twice is also removed twice.
        const entry: PubSubHandler = (message) => handler(message);
        let handlers = this.topics.get(topic);
        if (!handlers) {
            handlers = new Set();
            this.topics.set(topic, handlers);
        }
        handlers.add(entry);
        return async () => {
            const current = this.topics.get(topic);
            if (!current) return;
            current.delete(entry);
            if (current.size === 0) this.topics.delete(topic);
        };
    }

    async health(): Promise<PubSubHealth> {
        return { ok: true };
    }

    async close(): Promise<void> {
        this.topics.clear();
    }
}
