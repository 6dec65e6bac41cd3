/**
 * Pairing signature round trip: 1,000 paired desktop/phone socket pairs connected at once; each
 * desktop sends `signature-request`, its phone answers `signature-response` as soon as it gets it,
 * and we time request-sent -> response-received on the desktop. Two loads: paced (each pair
 * signs every 5 s, 200 round trips/s overall; BENCH_PAIRING_PACE_MS / _ROUNDS change it) and a
 * burst (all 1,000 at the same instant).
 * Measured on one instance (in-process pub/sub), then with the desktops on one instance and the
 * phones on another, through Redis and one PostgreSQL. Loopback only; the 2,000 clients run in a
 * child process (bench/support/pairing-clients.ts) so their work does not share the server's loop.
 * Run alone with `bun bench/pairing.ts`.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { devicePairingTable } from "../src/domain/pairing/db/schema";
import { startTestApp, type TestApp } from "../test/support/test-app";
import { createTestDatabase } from "../test/support/test-database";
import type { BenchRow } from "./bench-row";
import type { PairingClientsPlan, PairingClientsResult } from "./support/pairing-clients";

const PAIRINGS = Number(process.env.BENCH_PAIRINGS ?? 1_000);
const PACED_ROUNDS = Number(process.env.BENCH_PAIRING_ROUNDS ?? 2);
const PACE_MS = Number(process.env.BENCH_PAIRING_PACE_MS ?? 5_000);
const TARGET_P99_MS = 20;
const OPEN_CONCURRENCY = 100;
/** Whatever happens, one measurement ends within this time. */
const ROUND_TIMEOUT_MS = 30_000;
// Every client comes from loopback: lift the per-IP limits (sockets and pairing initiations).
const env = { RATE_LIMIT_PAIRING: "1000000/60", WS_MAX_PER_IP: "1000000" };

type Latencies = PairingClientsResult;
/** The clients run in their own process: see bench/support/pairing-clients.ts. */
const clientsScript = new URL("./support/pairing-clients.ts", import.meta.url).pathname;

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
    const plan: PairingClientsPlan = {
        desktopUrl: desktopApp.url,
        phoneUrl: phoneApp.url,
        pairs: await createPairings(desktopApp, phoneApp),
        paceMs: PACE_MS,
        pacedRounds: PACED_ROUNDS,
        openConcurrency: OPEN_CONCURRENCY,
        roundTimeoutMs: ROUND_TIMEOUT_MS,
    };
    const planPath = join(tmpdir(), `pairing-bench-${randomUUID()}.json`);
    await Bun.write(planPath, JSON.stringify(plan));
    try {
        const child = Bun.spawn([process.execPath, clientsScript, planPath], {
            stdout: "pipe",
            stderr: "inherit",
        });
        const [output, exitCode] = await Promise.all([
            new Response(child.stdout).text(),
            child.exited,
        ]);
        if (exitCode !== 0) throw new Error(`pairing bench clients exited with ${exitCode}`);
        const lastLine = output.trim().split("\n").at(-1) ?? "";
        return JSON.parse(lastLine) as PairingClientsResult;
    } finally {
        await rm(planPath, { force: true });
    }
}

/** Pairings resolved in the database, with the wallet tokens of both sides of each. */
async function createPairings(
    desktopApp: TestApp,
    phoneApp: TestApp,
): Promise<PairingClientsPlan["pairs"]> {
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
    return setups.map(({ pairingId, desktopToken, phoneToken }) => ({
        pairingId,
        desktopToken,
        phoneToken,
    }));
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
