import type { Logger } from "../logger";
import { InProcessPubSub } from "./in-process-pubsub";
import type { PubSub } from "./pubsub";
import { RedisPubSub } from "./redis-pubsub";

export { InProcessPubSub } from "./in-process-pubsub";
export type { PubSub, PubSubHandler, PubSubHealth, Unsubscribe } from "./pubsub";
export { PubSubUnavailableError, RedisPubSub } from "./redis-pubsub";

/** Redis pub/sub when `REDIS_URL` is configured (several instances), in-process otherwise. */
export function createPubSub(redisUrl: string | undefined, logger: Logger): Promise<PubSub> {
    if (redisUrl) return RedisPubSub.connect({ url: redisUrl, logger });
    return Promise.resolve(new InProcessPubSub(logger));
}
