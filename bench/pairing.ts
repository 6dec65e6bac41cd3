/**
 * Pairing signature round trip: 1,000 paired desktop/phone socket pairs connected at once; each
 * desktop sends `signature-request`, its phone answers `signature-response` as soon as it gets it,
 * and we time request-sent -> response-received on the desktop. Two loads: paced (each pair
 * signs every 5 s, 200 round trips/s overall; BENCH_PAIRING_PACE_MS / _ROUNDS change it) and a
 * burst (all 1,000 at the same instant).
 * Measured on one instance (in-process pub/sub), then with the desktops on one instance and the
 * phones on another, through Redis and one PostgreSQL. Loopback only; clients share the process.
 * Run alone with `bun bench/pairing.ts`.
 */
import { randomUUID } from "node:crypto";
import { type Address, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { devicePairingTable } from "../src/domain/pairing/db/schema";
import { startTestApp, type TestApp } from "../test/support/test-app";
import { createTestDatabase } from "../test/support/test-database";
import type { BenchRow } from "./bench-row";

const PAIRINGS = Number(process.env.BENCH_PAIRINGS ?? 1_000);
const PACED_ROUNDS = Number(process.env.BENCH_PAIRING_ROUNDS ?? 2);
const PACE_MS = Number(process.env.BENCH_PAIRING_PACE_MS ?? 5_000);
const TARGET_P99_MS = 20;
const OPEN_CONCURRENCY = 100;
/** Whatever happens, one measurement ends within this time. */
const ROUND_TIMEOUT_MS = 30_000;
const env = { RATE_LIMIT_PAIRING: "1000000/60" };

type Pair = { pairingId: string; origin: WebSocket; target: WebSocket };
type Latencies = { paced: number[]; burst: number[]; burstWallMs: number };

export async function runPairingBench(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const singleDatabase = await benchDatabase();
    const single = await startTestApp({ env, database: singleDatabase.config });
    try {
        const result = await measure(single, single);
        rows.push(...toRows(result, `one instance, ${single.infra.database.kind}`, true));
    } finally {
        await single.stop();
        await singleDatabase.drop();
    }

    // Two instances need one shared PostgreSQL: DATABASE_URL, or the local server.
    const previousUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
    const clusterEnv = { ...env, REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" };
    let desktops: TestApp | undefined;
    let phones: TestApp | undefined;
    const sharedDatabase = await benchDatabase();
    try {
        const database = sharedDatabase.config;
        desktops = await startTestApp({ env: clusterEnv, database });
        phones = await startTestApp({ env: clusterEnv, database, sameDeploymentAs: desktops });
        const result = await measure(desktops, phones);
        rows.push(...toRows(result, "desktop and phone on two instances via Redis", false));
    } finally {
        if (previousUrl === undefined) delete process.env.DATABASE_URL;
        await phones?.stop();
        await desktops?.stop();
        await sharedDatabase.drop();
    }
    return rows;
}

/** A fresh database with the service's default pool size (tests use a smaller pool). */
async function benchDatabase() {
    const database = await createTestDatabase();
    const config =
        database.config.kind === "postgres"
            ? { ...database.config, poolSize: 10 }
            : database.config;
    return { config, drop: database.drop };
}

function toRows(result: Latencies, where: string, withTarget: boolean): BenchRow[] {
    const paced = stats(result.paced);
    const burst = stats(result.burst);
    const count = PAIRINGS.toLocaleString("en");
    const load = `each signing every ${PACE_MS / 1000} s = ${Math.round((PAIRINGS * 1000) / PACE_MS)}/s`;
    return [
        {
            area: "pairing",
            metric: `signature round trip p50, ${count} pairings ${load} (${where})`,
            value: `${paced.p50.toFixed(1)} ms`,
        },
        {
            area: "pairing",
            metric: `signature round trip p99, ${count} pairings ${load} (${where})`,
            value: `${paced.p99.toFixed(1)} ms`,
            ...(withTarget
                ? {
                      target: `< ${TARGET_P99_MS} ms`,
                      ratio: (paced.p99 / TARGET_P99_MS).toFixed(2),
                  }
                : {}),
        },
        {
            area: "pairing",
            metric: `burst of ${count} round trips at once: p50 / p99 / all done (${where})`,
            value: `${burst.p50.toFixed(0)} / ${burst.p99.toFixed(0)} / ${result.burstWallMs.toFixed(0)} ms`,
        },
    ];
}

async function measure(desktopApp: TestApp, phoneApp: TestApp): Promise<Latencies> {
    const pairs = await connectPairs(desktopApp, phoneApp);
    try {
        // Warm-up: JIT, connection pools, Redis channels.
        await roundTrips(pairs, PACE_MS, "warm");
        const paced: number[] = [];
        for (let round = 0; round < PACED_ROUNDS; round++) {
            paced.push(...(await roundTrips(pairs, PACE_MS, `paced-${round}`)));
        }
        const startedAt = performance.now();
        const burst = await roundTrips(pairs, 0, "burst");
        const burstWallMs = performance.now() - startedAt;
        return { paced, burst, burstWallMs };
    } finally {
        // Let the last "delivered" marks land before the instance stops.
        await Bun.sleep(1_000);
        for (const pair of pairs) {
            pair.origin.close();
            pair.target.close();
        }
        await Bun.sleep(200);
    }
}

/**
 * One round trip per pair, spread uniformly over `spreadMs` (0: all at once); returns each
 * latency in milliseconds.
 */
async function roundTrips(pairs: Pair[], spreadMs: number, round: string): Promise<number[]> {
    const latencies = await Promise.all(
        pairs.map(async (pair, index) => {
            if (spreadMs > 0) await Bun.sleep((index / pairs.length) * spreadMs);
            const id = `${round}-${index}`;
            const answered = waitFor(
                pair.origin,
                (message) => message.payload?.id === id,
                `answer to ${id}`,
            );
            const sentAt = performance.now();
            pair.origin.send(
                JSON.stringify({
                    type: "signature-request",
                    payload: { id, request: "0x7b7d", context: { round } },
                }),
            );
            await answered;
            return performance.now() - sentAt;
        }),
    );
    return latencies;
}

/** Pairings resolved in the database, then both sockets of each opened and partnered. */
async function connectPairs(desktopApp: TestApp, phoneApp: TestApp): Promise<Pair[]> {
    const publicKey = { x: toHex(1n, { size: 32 }), y: toHex(2n, { size: 32 }) };
    const setups = await Promise.all(
        Array.from({ length: PAIRINGS }, async (_, index) => {
            const wallet = privateKeyToAccount(generatePrivateKey()).address;
            const pairingId = randomUUID();
            const [phone, desktop] = await Promise.all([
                phoneApp.infra.tokens.signWallet({
                    type: "webauthn",
                    address: wallet,
                    authenticatorId: `bench-${index}`,
                    publicKey,
                }),
                desktopApp.infra.tokens.signWallet({
                    type: "distant-webauthn",
                    address: wallet,
                    authenticatorId: `bench-${index}`,
                    publicKey,
                    pairingId,
                }),
            ]);
            return { wallet, pairingId, phoneToken: phone.token, desktopToken: desktop.token };
        }),
    );
    await desktopApp.infra.database.db.insert(devicePairingTable).values(
        setups.map((setup, index) => ({
            pairingId: setup.pairingId,
            wallet: setup.wallet.toLowerCase() as Address,
            originUserAgent: "bench",
            originName: "Bench desktop",
            targetUserAgent: "bench",
            targetName: "Bench phone",
            pairingCode: String(100_000 + index),
            resolvedAt: new Date(),
        })),
    );

    const targets = await mapLimited(setups, OPEN_CONCURRENCY, async (setup) => {
        const target = await openSocket(phoneApp.url, setup.phoneToken);
        // The phone answers every request at once, as a user who always approves instantly.
        target.addEventListener("message", (event) => {
            const message = JSON.parse(String(event.data));
            if (message.type === "ping") {
                const { pairingId } = message.payload;
                target.send(JSON.stringify({ type: "pong", payload: { pairingId } }));
                return;
            }
            if (message.type !== "signature-request") return;
            target.send(
                JSON.stringify({
                    type: "signature-response",
                    payload: {
                        pairingId: message.payload.pairingId,
                        id: message.payload.id,
                        signature: "0x5151",
                    },
                }),
            );
        });
        return target;
    });
    const origins = await mapLimited(setups, OPEN_CONCURRENCY, (setup) =>
        openSocket(desktopApp.url, setup.desktopToken),
    );
    // A socket opens before the server has subscribed it: ping until the pong comes back, which
    // proves both sides listen.
    await mapLimited(origins, OPEN_CONCURRENCY, async (origin) => {
        for (let attempt = 1; ; attempt++) {
            const ponged = waitFor(origin, (message) => message.type === "pong", "pong", 1_000);
            origin.send(JSON.stringify({ type: "ping" }));
            try {
                return await ponged;
            } catch (error) {
                if (attempt >= 20) throw error;
            }
        }
    });
    return setups.map((setup, index) => ({
        pairingId: setup.pairingId,
        origin: origins[index]!,
        target: targets[index]!,
    }));
}

function openSocket(baseUrl: string, token: string): Promise<WebSocket> {
    const url = `${baseUrl.replace(/^http/, "ws")}/wallet/pairings/ws?wallet=${token}`;
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
        socket.onopen = () => resolve(socket);
        socket.onerror = () => reject(new Error("could not open a pairing socket"));
    });
}

function waitFor(
    socket: WebSocket,
    // biome-ignore lint/suspicious/noExplicitAny: protocol messages are checked by their fields
    matches: (message: any) => boolean,
    what: string,
    timeoutMs = ROUND_TIMEOUT_MS,
): Promise<void> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            socket.removeEventListener("message", onMessage);
            reject(new Error(`pairing bench: no ${what} within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (event: MessageEvent) => {
            if (!matches(JSON.parse(String(event.data)))) return;
            clearTimeout(timer);
            socket.removeEventListener("message", onMessage);
            resolve();
        };
        socket.addEventListener("message", onMessage);
    });
}

async function mapLimited<T, R>(
    items: T[],
    limit: number,
    run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(limit, items.length) }, async () => {
            while (next < items.length) {
                const index = next++;
                results[index] = await run(items[index]!, index);
            }
        }),
    );
    return results;
}

function stats(values: number[]) {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

if (import.meta.main) {
    console.table(await runPairingBench());
    process.exit(0);
}
