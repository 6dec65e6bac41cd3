/**
 * The pairing benchmark's clients, in their own process so their JSON work and garbage collection
 * do not land on the server's event loop (the machine has two cores: server here, clients there).
 * Reads a plan (JSON file given as the first argument), opens every desktop/phone socket pair,
 * runs the warm-up, the paced rounds and the burst, and prints the latencies as one JSON line.
 */

export type PairingClientsPlan = {
    desktopUrl: string;
    phoneUrl: string;
    pairs: { pairingId: string; desktopToken: string; phoneToken: string }[];
    paceMs: number;
    pacedRounds: number;
    openConcurrency: number;
    roundTimeoutMs: number;
};

export type PairingClientsResult = { paced: number[]; burst: number[]; burstWallMs: number };

/** One desktop socket with the answers it waits for, by request id. */
type Origin = { socket: WebSocket; waiting: Map<string, () => void> };

async function main(plan: PairingClientsPlan): Promise<PairingClientsResult> {
    const { origins, targets } = await connectPairs(plan);
    try {
        // Warm-up: JIT, connection pools, Redis channels.
        await roundTrips(plan, origins, plan.paceMs, "warm");
        const paced: number[] = [];
        for (let round = 0; round < plan.pacedRounds; round++) {
            paced.push(...(await roundTrips(plan, origins, plan.paceMs, `paced-${round}`)));
        }
        const startedAt = performance.now();
        const burst = await roundTrips(plan, origins, 0, "burst");
        const burstWallMs = performance.now() - startedAt;
        return { paced, burst, burstWallMs };
    } finally {
        // Let the last "delivered" marks land before the sockets close.
        await Bun.sleep(1_000);
        for (const origin of origins) origin.socket.close();
        for (const target of targets) target.close();
        await Bun.sleep(200);
    }
}

/**
 * One round trip per pair, spread uniformly over `spreadMs` (0: all at once); returns each
 * latency in milliseconds.
 */
function roundTrips(
    plan: PairingClientsPlan,
    origins: Origin[],
    spreadMs: number,
    round: string,
): Promise<number[]> {
    return Promise.all(
        origins.map(async (origin, index) => {
            if (spreadMs > 0) await Bun.sleep((index / origins.length) * spreadMs);
            const id = `${round}-${index}`;
            const answered = new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => {
                    origin.waiting.delete(id);
                    reject(
                        new Error(
                            `pairing bench: no answer to ${id} within ${plan.roundTimeoutMs} ms`,
                        ),
                    );
                }, plan.roundTimeoutMs);
                origin.waiting.set(id, () => {
                    clearTimeout(timer);
                    resolve();
                });
            });
            const sentAt = performance.now();
            origin.socket.send(
                JSON.stringify({
                    type: "signature-request",
                    payload: { id, request: "0x7b7d", context: { round } },
                }),
            );
            await answered;
            return performance.now() - sentAt;
        }),
    );
}

/** Both sockets of each pairing opened, then pinged until the phone answers (both listen). */
async function connectPairs(
    plan: PairingClientsPlan,
): Promise<{ origins: Origin[]; targets: WebSocket[] }> {
    const targets = await mapLimited(plan.pairs, plan.openConcurrency, async (pair) => {
        const target = await openSocket(plan.phoneUrl, pair.phoneToken);
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
    const origins = await mapLimited(plan.pairs, plan.openConcurrency, async (pair) => {
        const origin: Origin = {
            socket: await openSocket(plan.desktopUrl, pair.desktopToken),
            waiting: new Map(),
        };
        origin.socket.addEventListener("message", (event) => {
            const message = JSON.parse(String(event.data));
            const key = message.type === "pong" ? "pong" : message.payload?.id;
            const done = origin.waiting.get(key);
            if (!done) return;
            origin.waiting.delete(key);
            done();
        });
        return origin;
    });
    // A socket opens before the server has subscribed it: ping until the pong comes back, which
    // proves both sides listen.
    await mapLimited(origins, plan.openConcurrency, async (origin) => {
        for (let attempt = 1; ; attempt++) {
            const ponged = new Promise<boolean>((resolve) => {
                const timer = setTimeout(() => resolve(false), 1_000);
                origin.waiting.set("pong", () => {
                    clearTimeout(timer);
                    resolve(true);
                });
            });
            origin.socket.send(JSON.stringify({ type: "ping" }));
            if (await ponged) return;
            origin.waiting.delete("pong");
            if (attempt >= 20) throw new Error("pairing bench: no pong after 20 pings");
        }
    });
    return { origins, targets };
}

function openSocket(baseUrl: string, token: string): Promise<WebSocket> {
    const url = `${baseUrl.replace(/^http/, "ws")}/wallet/pairings/ws?wallet=${token}`;
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
        socket.onopen = () => resolve(socket);
        socket.onerror = () => reject(new Error("could not open a pairing socket"));
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

if (import.meta.main) {
    const planPath = process.argv[2];
    if (!planPath) throw new Error("usage: bun bench/support/pairing-clients.ts <plan.json>");
    const plan = (await Bun.file(planPath).json()) as PairingClientsPlan;
    const result = await main(plan);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
}
