/**
 * Hostile bodies: time to answer a 400 KB nested JSON body (`[[[[...]]]]`, unauthenticated, on
 * `/common/airtable`) against `/health/live` on the same server in the same run, one request at
 * a time; then the worst `/health/live` latency while four such bodies are sent in parallel for
 * 3 s (the attack that stalled it for 28 s). Loopback only.
 */
import { startTestApp } from "../test/support/test-app";
import type { BenchRow } from "./bench-row";

const deepBody = "[".repeat(200 * 1024) + "]".repeat(200 * 1024);

function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function timed(send: () => Promise<Response>): Promise<{ ms: number; status: number }> {
    const started = performance.now();
    const response = await send();
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status };
}

export async function runHostileBodyBench(): Promise<BenchRow[]> {
    // The per-IP limit of the lead route would answer 429 before the body is read: off here.
    const server = await startTestApp({ env: { RATE_LIMIT_AIRTABLE: "0/1" } });
    try {
        const deep = () =>
            server.request("/common/airtable", {
                method: "POST",
                headers: { "content-type": "application/json", accept: "application/json" },
                body: deepBody,
            });
        const live = () => server.request("/health/live");
        for (let i = 0; i < 10; i++) {
            await timed(deep);
            await timed(live);
        }
        const deepTimes: number[] = [];
        const liveTimes: number[] = [];
        const statuses = new Set<number>();
        for (let i = 0; i < 100; i++) {
            const d = await timed(deep);
            statuses.add(d.status);
            deepTimes.push(d.ms);
            liveTimes.push((await timed(live)).ms);
        }
        // Four attackers in parallel for 3 s, a probe every 20 ms.
        let running = true;
        let sent = 0;
        const attackers = Array.from({ length: 4 }, async () => {
            while (running) {
                statuses.add((await timed(deep)).status);
                sent++;
            }
        });
        const probes: number[] = [];
        const until = performance.now() + 3_000;
        while (performance.now() < until) {
            probes.push((await timed(live)).ms);
            await Bun.sleep(20);
        }
        running = false;
        await Promise.all(attackers);
        const deepMedian = percentile(deepTimes, 50);
        const liveMedian = percentile(liveTimes, 50);
        return [
            {
                area: "hostile-body",
                metric: `400 KB nested JSON answered (status ${[...statuses].join("/")}), median / p99`,
                value: `${deepMedian.toFixed(2)} / ${percentile(deepTimes, 99).toFixed(2)} ms`,
                peer: `/health/live ${liveMedian.toFixed(2)} / ${percentile(liveTimes, 99).toFixed(2)} ms`,
                ratio: `${(deepMedian / liveMedian).toFixed(1)}x`,
                target: "4xx at once (was 1-10 s and a 500)",
            },
            {
                area: "hostile-body",
                metric: `/health/live during 4 parallel 400 KB bodies (${sent} sent in 3 s), p50 / worst`,
                value: `${percentile(probes, 50).toFixed(2)} / ${Math.max(...probes).toFixed(2)} ms`,
                target: "< 100 ms (was stalled 28 s)",
            },
        ];
    } finally {
        await server.stop();
    }
}
