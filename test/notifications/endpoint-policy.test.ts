/**
 * Web Push must not be an SSRF proxy: a wallet registers push endpoints of its choosing, and we
 * call them. Only https endpoints whose host resolves to public addresses are stored (checked
 * again before each send, since a name can be re-pointed), and a wallet keeps a bounded number.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import webpush from "web-push";
import { pushTokensTable } from "../../src/domain/notifications/db/schema";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server";
import { readJson, startTestApp, type TestApp } from "../support/test-app";
import { startTestPushService, type TestPushService } from "./push-service";
import { randomWallet, subscribe, walletToken } from "./support";

let server: TestApp;
let dns: TestDnsServer;
let push: TestPushService;
let pushPort: string;

beforeAll(async () => {
    dns = await startTestDnsServer();
    const vapid = webpush.generateVAPIDKeys();
    push = startTestPushService({ vapidPublicKey: vapid.publicKey });
    pushPort = new URL(push.origin).port;
    server = await startTestApp({
        env: {
            VAPID_PUBLIC_KEY: vapid.publicKey,
            VAPID_PRIVATE_KEY: vapid.privateKey,
            DNS_RESOLVER: dns.address,
            // Only the local push service's exact host:port is exempt, not loopback as a whole.
            PUSH_ENDPOINT_ALLOWLIST: `127.0.0.1:${pushPort}`,
            PUSH_MAX_SUBSCRIPTIONS_PER_WALLET: "3",
        },
    });
}, 120_000);
afterAll(async () => {
    push?.stop();
    await server?.stop();
    await dns?.stop();
});

/** A browser's public key and auth secret (the endpoint is what these tests vary). */
const keys = {
    p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
    auth: "tBHItJI5svbpez7KI4CCXg",
};

const rowsOf = (wallet: string) =>
    server.infra.database.db
        .select()
        .from(pushTokensTable)
        .where(eq(pushTokensTable.wallet, wallet.toLowerCase() as `0x${string}`));

describe("push endpoints an attacker would register", () => {
    test("loopback, metadata, private ranges, IPv6 forms, plain http: 422 naming the field, nothing stored", async () => {
        dns.addresses.set("private.attacker.test", ["10.1.2.3"]);
        dns.addresses.set("mixed.attacker.test", ["93.184.216.34", "127.0.0.1"]);
        dns.addresses.set("v6-private.attacker.test", ["fd00::1"]);
        const endpoints = [
            "http://push.public.test/send/1", // not https
            "https://127.0.0.1/push",
            "https://127.0.0.1:9/push", // loopback on another port than the allow-listed one
            "https://localhost/push",
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.1/push",
            "https://172.16.5.4/push",
            "https://192.168.1.1/push",
            "https://100.64.0.1/push",
            "https://0.0.0.0/push",
            "https://2130706433/push", // 127.0.0.1 as one number
            "https://0x7f.1/push", // 127.0.0.1 in hex shorthand
            "https://[::1]/push",
            "https://[::ffff:127.0.0.1]/push",
            "https://[::ffff:a9fe:a9fe]/push", // 169.254.169.254, IPv4-mapped
            "https://[64:ff9b::a9fe:a9fe]/push", // 169.254.169.254 through NAT64
            "https://[fe80::1]/push",
            "https://[fc00::1]/push",
            "https://private.attacker.test/push", // resolves to 10.1.2.3
            "https://mixed.attacker.test/push", // one public, one loopback address
            "https://v6-private.attacker.test/push",
            "https://nowhere.attacker.test/push", // does not resolve
            "https://user:pass@push.public.test/push",
        ];
        const wallet = randomWallet();
        const token = await walletToken(server, wallet);
        for (const endpoint of endpoints) {
            const response = await subscribe(server, token, { endpoint, keys });
            expect({ endpoint, status: response.status }).toEqual({ endpoint, status: 422 });
            expect(await readJson(response)).toMatchObject({
                error: "invalid_push_endpoint",
                property: "/subscription/endpoint",
            });
        }
        expect(await rowsOf(wallet)).toEqual([]);
    });

    test("an https endpoint whose host resolves to public addresses is stored", async () => {
        dns.addresses.set("push.public.test", ["93.184.216.34", "2606:2800:220:1::1"]);
        const wallet = randomWallet();
        const response = await subscribe(server, await walletToken(server, wallet), {
            endpoint: "https://push.public.test/send/abc",
            keys,
        });
        expect(response.status).toBe(200);
        expect((await rowsOf(wallet)).map((row) => row.endpoint)).toEqual([
            "https://push.public.test/send/abc",
        ]);
    });

    test("a name re-pointed to loopback after registration is refused at send time and dropped", async () => {
        dns.addresses.set("rebind.attacker.test", ["93.184.216.34"]);
        const wallet = randomWallet();
        const endpoint = `https://rebind.attacker.test:${pushPort}/push/rebind`;
        expect(
            (await subscribe(server, await walletToken(server, wallet), { endpoint, keys })).status,
        ).toBe(200);
        dns.addresses.set("rebind.attacker.test", ["127.0.0.1"]);
        const before = [...push.hits.values()].reduce((a, b) => a + b, 0);
        await server.domains.notifications.signatureRequestNotifier.notifySignatureRequest(wallet);
        expect([...push.hits.values()].reduce((a, b) => a + b, 0)).toBe(before);
        expect(await rowsOf(wallet)).toEqual([]);
    });

    test("a wallet keeps at most PUSH_MAX_SUBSCRIPTIONS_PER_WALLET subscriptions, the newest", async () => {
        const wallet = randomWallet();
        const token = await walletToken(server, wallet);
        const subscribers = Array.from({ length: 5 }, () => push.subscriber());
        for (const subscriber of subscribers) {
            expect((await subscribe(server, token, subscriber)).status).toBe(200);
        }
        const kept = (await rowsOf(wallet)).map((row) => row.endpoint).sort();
        expect(kept).toEqual(
            subscribers
                .slice(2)
                .map((s) => s.endpoint)
                .sort(),
        );

        // One alert fans out to those three only.
        const since = push.deliveries.length;
        await server.domains.notifications.signatureRequestNotifier.notifySignatureRequest(wallet);
        expect(
            push.deliveries
                .slice(since)
                .map((d) => d.endpoint)
                .sort(),
        ).toEqual(kept);
    });
});
