import { afterEach, describe, expect, test } from "bun:test";
import pino from "pino";
import {
    InProcessPubSub,
    type PubSub,
    PubSubUnavailableError,
    RedisPubSub,
} from "../../src/infrastructure/pubsub";
import { eventually } from "../support/eventually";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
const redisPort = 6379;
const topic = () => `test:${crypto.randomUUID()}`;

const opened: PubSub[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
    await Promise.all(opened.splice(0).map((pubsub) => pubsub.close()));
    for (const proxy of proxies.splice(0)) proxy.stop();
});

async function redis(url = `redis://127.0.0.1:${redisPort}`): Promise<RedisPubSub> {
    const pubsub = await RedisPubSub.connect({ url, logger, connectTimeoutMs: 1_000 });
    opened.push(pubsub);
    return pubsub;
}

/** Collects what a handler receives. */
function inbox() {
    const received: string[] = [];
    return {
        received,
        handler: (message: string) => received.push(message),
        /** What was received once `count` messages arrived (what there is after `timeoutMs`). */
        async waitFor(count: number, timeoutMs = 3_000) {
            await eventually(() => received.length >= count, timeoutMs, 10).catch(() => {});
            return received;
        },
    };
}

describe("InProcessPubSub", () => {
    test("delivers to the topic's subscribers only, until they unsubscribe", async () => {
        const pubsub = new InProcessPubSub();
        const [a, b, other] = [inbox(), inbox(), inbox()];
        const t = topic();
        const unsubscribeA = await pubsub.subscribe(t, a.handler);
        await pubsub.subscribe(t, b.handler);
        await pubsub.subscribe(topic(), other.handler);
        await pubsub.publish(t, "one");
        expect(await a.waitFor(1)).toEqual(["one"]);
        expect(await b.waitFor(1)).toEqual(["one"]);
        await unsubscribeA();
        await pubsub.publish(t, "two");
        expect(await b.waitFor(2)).toEqual(["one", "two"]);
        expect(a.received).toEqual(["one"]);
        expect(other.received).toEqual([]);
    });
});

describe("RedisPubSub", () => {
    test("two instances: a message published on one reaches the subscribers of the other once", async () => {
        const [first, second] = [await redis(), await redis()];
        const t = topic();
        const [x, y] = [inbox(), inbox()];
        const unsubscribeX = await second.subscribe(t, x.handler);
        await second.subscribe(t, y.handler);
        await first.publish(t, "hello");
        expect(await x.waitFor(1)).toEqual(["hello"]);
        expect(await y.waitFor(1)).toEqual(["hello"]);
        await unsubscribeX();
        await first.publish(t, "again");
        expect(await y.waitFor(2)).toEqual(["hello", "again"]);
        await Bun.sleep(50);
        expect(x.received).toEqual(["hello"]);
        expect(await first.health()).toEqual({ ok: true });
    });

    test("unreachable at start-up: a clear error naming REDIS_URL, without the password", async () => {
        const error = await RedisPubSub.connect({
            url: "redis://user:secret@127.0.0.1:1",
            logger,
            connectTimeoutMs: 500,
        }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(PubSubUnavailableError);
        expect((error as Error).message).toContain(
            "Redis pub/sub unreachable at redis://user:***@127.0.0.1:1",
        );
        expect((error as Error).message).toContain("REDIS_URL");
        expect((error as Error).message).not.toContain("secret");
    });

    test("connection lost: health and publish say so; once back, subscriptions are restored", async () => {
        const proxy = await startTcpProxy("127.0.0.1", redisPort);
        proxies.push(proxy);
        const cut = await redis(`redis://127.0.0.1:${proxy.port}`);
        const direct = await redis();
        const t = topic();
        const received = inbox();
        await cut.subscribe(t, received.handler);
        await direct.publish(t, "before");
        expect(await received.waitFor(1)).toEqual(["before"]);

        proxy.cut();
        await eventually(async () => !(await cut.health()).ok);
        expect((await cut.health()) as unknown).toMatchObject({
            ok: false,
            detail: expect.stringContaining("Redis"),
        });
        const failure = await cut.publish(t, "lost").catch((caught: unknown) => caught);
        expect(failure).toBeInstanceOf(PubSubUnavailableError);

        proxy.restore();
        await eventually(async () => (await cut.health()).ok, 20_000);
        // Re-subscribed by itself, exactly once.
        await eventually(async () => {
            await direct.publish(t, "after");
            await Bun.sleep(50);
            return received.received.includes("after");
        });
        const count = received.received.length;
        await direct.publish(t, "once");
        await received.waitFor(count + 1);
        await Bun.sleep(100);
        expect(received.received.slice(count)).toEqual(["once"]);
        await cut.publish(t, "from the restored side");
        expect(await received.waitFor(count + 2)).toContain("from the restored side");
    }, 40_000);
});
