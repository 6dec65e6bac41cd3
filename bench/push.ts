/**
 * Web Push delivery rate: 10,000 subscriptions (one per wallet) read from the database,
 * encrypted (aes128gcm, one ECDH per message), VAPID-signed and POSTed to a local push service
 * running in another process. Run alone with `bun bench/push.ts`.
 */
import { createECDH, randomBytes } from "node:crypto";
import type { Address, Hex } from "viem";
import webpush from "web-push";
import { pushTokensTable } from "../src/domain/notifications/db/schema";
import { startTestApp } from "../test/support/test-app";
import type { BenchRow } from "./bench-row";

const SUBSCRIPTIONS = 10_000;
const TARGET_PER_SECOND = 1_000;

export async function runPushBench(): Promise<BenchRow[]> {
    const sink = Bun.spawn(
        [process.execPath, new URL("./support/push-sink.ts", import.meta.url).pathname],
        {
            stdout: "pipe",
            stderr: "inherit",
        },
    );
    const reader = sink.stdout.getReader();
    const { value } = await reader.read();
    const origin = new TextDecoder().decode(value).trim();
    const vapid = webpush.generateVAPIDKeys();
    const server = await startTestApp({
        env: {
            VAPID_PUBLIC_KEY: vapid.publicKey,
            VAPID_PRIVATE_KEY: vapid.privateKey,
            // The local push sink is on loopback, which the endpoint policy refuses otherwise.
            PUSH_ENDPOINT_ALLOWLIST: "127.0.0.1",
        },
    });
    try {
        // Browsers' subscriptions: a P-256 key and an auth secret each (one key reused: the
        // sender does a fresh ECDH per message whatever the subscriber key).
        const ecdh = createECDH("prime256v1");
        ecdh.generateKeys();
        const p256dh = ecdh.getPublicKey().toString("base64url");
        const wallets: Address[] = [];
        const rows = [];
        for (let i = 0; i < SUBSCRIPTIONS; i++) {
            const wallet = `0x${randomBytes(20).toString("hex")}` as Address;
            wallets.push(wallet);
            rows.push({
                wallet: wallet as Hex,
                endpoint: `${origin}/push/${i}`,
                keyP256dh: p256dh,
                keyAuth: randomBytes(16).toString("base64url"),
            });
        }
        for (let i = 0; i < rows.length; i += 1_000) {
            await server.infra.database.db.insert(pushTokensTable).values(rows.slice(i, i + 1_000));
        }

        const { delivery } = server.domains.notifications;
        const payload = {
            title: "Spring sale",
            body: "20% off this week",
            data: { url: "https://shop.example" },
        };
        // Warm-up: connection pool, JIT, VAPID JWT of this origin.
        await delivery.toWallets(wallets.slice(0, 200), payload);

        const startedAt = performance.now();
        const result = await delivery.toWallets(wallets, payload);
        const seconds = (performance.now() - startedAt) / 1000;
        const counted = (await (await fetch(origin)).json()) as { received: number };
        if (result.sent !== SUBSCRIPTIONS || counted.received !== SUBSCRIPTIONS + 200) {
            throw new Error(
                `expected ${SUBSCRIPTIONS} deliveries, sent ${result.sent}, sink ${counted.received}`,
            );
        }
        const perSecond = SUBSCRIPTIONS / seconds;
        return [
            {
                area: "push",
                metric: `deliveries/s, ${SUBSCRIPTIONS.toLocaleString("en")} subscriptions (${server.infra.database.kind}, 50 in flight)`,
                value: perSecond.toFixed(0),
                target: `>= ${TARGET_PER_SECOND.toLocaleString("en")}/s`,
                ratio: (perSecond / TARGET_PER_SECOND).toFixed(2),
            },
            {
                area: "push",
                metric: "time to notify 10,000 subscriptions",
                value: `${seconds.toFixed(2)} s`,
            },
        ];
    } finally {
        await server.stop();
        sink.kill();
    }
}

if (import.meta.main) {
    console.table(await runPushBench());
    process.exit(0);
}
