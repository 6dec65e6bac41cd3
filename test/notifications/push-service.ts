/**
 * A local Web Push service for tests: it checks each request's VAPID JWT (ES256, audience = our
 * origin) and decrypts the aes128gcm body with the subscriber's private key, which the test
 * generates as a browser would. Each subscription's endpoint path selects a behaviour.
 */
import { createECDH, type ECDH, randomBytes } from "node:crypto";
import * as ece from "http_ece";
import { importJWK, jwtVerify } from "jose";

export type Behaviour = "accept" | "gone" | "not-found" | "error" | "slow";

export type Delivery = {
    endpoint: string;
    /** Decrypted JSON payload. */
    payload: Record<string, unknown>;
    ttl: string | null;
    vapidSubject: string;
};

export type Subscriber = {
    endpoint: string;
    keys: { p256dh: string; auth: string };
};

export type TestPushService = {
    origin: string;
    deliveries: Delivery[];
    /** Requests refused because their VAPID or encryption was wrong. */
    rejections: Array<{ endpoint: string; reason: string }>;
    /** Requests received per endpoint, whatever the answer. */
    hits: Map<string, number>;
    subscriber(behaviour?: Behaviour): Subscriber;
    stop(): void;
};

export function startTestPushService(options: {
    vapidPublicKey: string;
    /** Skip decrypting and JWT checks (benchmarks measure the sender, not this service). */
    trusting?: boolean;
}): TestPushService {
    const keysByPath = new Map<string, { ecdh: ECDH; auth: Buffer; behaviour: Behaviour }>();
    const deliveries: Delivery[] = [];
    const rejections: TestPushService["rejections"] = [];
    const hits = new Map<string, number>();
    let counter = 0;

    const server = Bun.serve({
        port: 0,
        hostname: "127.0.0.1",
        idleTimeout: 30,
        async fetch(request) {
            const url = new URL(request.url);
            const subscriber = keysByPath.get(url.pathname);
            const endpoint = `${origin}${url.pathname}`;
            hits.set(endpoint, (hits.get(endpoint) ?? 0) + 1);
            if (!subscriber) return new Response("unknown subscription", { status: 404 });
            const body = Buffer.from(await request.arrayBuffer());
            if (options.trusting) return new Response(null, { status: 201 });
            switch (subscriber.behaviour) {
                case "gone":
                    return new Response("expired", { status: 410 });
                case "not-found":
                    return new Response("no such subscription", { status: 404 });
                case "error":
                    return new Response("boom", { status: 500 });
                case "slow":
                    await Bun.sleep(5_000);
                    return new Response(null, { status: 201 });
            }
            try {
                const vapidSubject = await verifyVapid(
                    request.headers.get("authorization"),
                    options.vapidPublicKey,
                    origin,
                );
                if (request.headers.get("content-encoding") !== "aes128gcm") {
                    throw new Error("content-encoding is not aes128gcm");
                }
                const plain = ece.decrypt(body, {
                    version: "aes128gcm",
                    privateKey: subscriber.ecdh,
                    authSecret: subscriber.auth,
                });
                deliveries.push({
                    endpoint,
                    payload: JSON.parse(plain.toString("utf8")),
                    ttl: request.headers.get("ttl"),
                    vapidSubject,
                });
                return new Response(null, { status: 201 });
            } catch (error) {
                rejections.push({ endpoint, reason: (error as Error).message });
                return new Response("unauthorized", { status: 401 });
            }
        },
    });
    const origin = `http://127.0.0.1:${server.port}`;

    return {
        origin,
        deliveries,
        rejections,
        hits,
        subscriber(behaviour = "accept") {
            const ecdh = createECDH("prime256v1");
            ecdh.generateKeys();
            const auth = randomBytes(16);
            const path = `/push/${behaviour}/${++counter}-${randomBytes(4).toString("hex")}`;
            keysByPath.set(path, { ecdh, auth, behaviour });
            return {
                endpoint: `${origin}${path}`,
                keys: {
                    p256dh: ecdh.getPublicKey().toString("base64url"),
                    auth: auth.toString("base64url"),
                },
            };
        },
        stop: () => void server.stop(true),
    };
}

/** `Authorization: vapid t=<JWT>, k=<public key>`: the key must be ours and sign the JWT. */
async function verifyVapid(
    header: string | null,
    expectedPublicKey: string,
    audience: string,
): Promise<string> {
    const match = header?.match(/^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/);
    if (!match) throw new Error(`no VAPID authorization: ${header}`);
    const [, jwt, key] = match as unknown as [string, string, string];
    if (key !== expectedPublicKey) throw new Error("VAPID key is not the server's");
    const point = Buffer.from(key, "base64url");
    const publicKey = await importJWK(
        {
            kty: "EC",
            crv: "P-256",
            x: point.subarray(1, 33).toString("base64url"),
            y: point.subarray(33, 65).toString("base64url"),
        },
        "ES256",
    );
    const { payload } = await jwtVerify(jwt, publicKey, { audience, algorithms: ["ES256"] });
    if (typeof payload.sub !== "string") throw new Error("VAPID JWT has no subject");
    if (typeof payload.exp !== "number" || payload.exp > Date.now() / 1000 + 86_400) {
        throw new Error("VAPID JWT expiry missing or beyond 24 h");
    }
    return payload.sub;
}
