import { createRequire } from "node:module";

export type LoadResult = {
    requestsPerSecond: number;
    p50Ms: number;
    p99Ms: number;
    errors: number;
};

const autocannon = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

/**
 * Drives `url` with autocannon in a second process (node), so the load generator does not share
 * the event loop of the server under test. Bounded in time; loopback only.
 */
export async function loadTest(
    url: string,
    options: {
        connections?: number;
        seconds?: number;
        method?: string;
        body?: string;
        headers?: Record<string, string>;
    } = {},
): Promise<LoadResult> {
    const args = [
        autocannon,
        "--json",
        "-c",
        String(options.connections ?? 50),
        "-d",
        String(options.seconds ?? 5),
        "-m",
        options.method ?? "GET",
    ];
    for (const [name, value] of Object.entries(options.headers ?? {})) {
        args.push("-H", `${name}=${value}`);
    }
    if (options.body !== undefined) args.push("-b", options.body);
    args.push(url);
    const child = Bun.spawn(["node", ...args], { stdout: "pipe", stderr: "pipe" });
    const [output] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    const report = JSON.parse(output) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        errors: number;
        non2xx: number;
    };
    return {
        requestsPerSecond: report.requests.average,
        p50Ms: report.latency.p50,
        p99Ms: report.latency.p99,
        errors: report.errors + report.non2xx,
    };
}

export const formatRate = (value: number) => `${Math.round(value).toLocaleString("en-US")}/s`;
export const ratio = (ours: number, peer: number) => (peer > 0 ? (ours / peer).toFixed(2) : "n/a");
