/**
 * Merchant routes over real HTTP on a local anvil: mint latency end to end (proof, mint, roles
 * bootstrap, interaction contract, bank), domain verification with a local DNS server, and
 * `GET /business/roles` with the 60 s cache cold (one multicall) and warm.
 * Run alone with `bun bench/business.ts`.
 */
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    expectedTxtRecord,
    newMerchant,
    setupCodeOf,
    startBusinessApp,
} from "../test/business/helpers";
import type { BenchRow } from "./bench-row";

const MINTS = 10;
const VERIFIES = 200;
const COLD_ROLES = 200;
const WARM_ROLES = 5_000;
const IN_FLIGHT = 50;

const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
};

async function timed(run: () => Promise<Response>): Promise<number> {
    const startedAt = performance.now();
    const response = await run();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    return performance.now() - startedAt;
}

/** `count` calls with `inFlight` at once; calls per second. */
async function throughput(count: number, inFlight: number, call: (i: number) => Promise<number>) {
    let next = 0;
    const startedAt = performance.now();
    await Promise.all(
        Array.from({ length: inFlight }, async () => {
            while (next < count) await call(next++);
        }),
    );
    return count / ((performance.now() - startedAt) / 1000);
}

export async function runBusinessBench(): Promise<BenchRow[]> {
    const fixture = await startBusinessApp();
    const { server, dns } = fixture;
    try {
        const merchant = await newMerchant(server);
        const mintMs: number[] = [];
        let productId = "";
        for (let i = 0; i < MINTS; i++) {
            const domain = `bench-${i}.example`;
            const startedAt = performance.now();
            const response = await server.request("/business/product/mint", {
                method: "PUT",
                headers: merchant.headers,
                body: JSON.stringify({
                    name: `Bench ${i}`,
                    domain,
                    setupCode: setupCodeOf(domain, merchant.address),
                    currency: "eure",
                    productTypes: ["webshop", "purchase"],
                }),
            });
            if (response.status !== 200) throw new Error(`mint: ${await response.text()}`);
            productId = ((await response.json()) as { productId: string }).productId;
            mintMs.push(performance.now() - startedAt);
        }

        dns.records.set("dns.example", [expectedTxtRecord("dns.example", merchant.address)]);
        const verifyMs: number[] = [];
        for (let i = 0; i < VERIFIES; i++) {
            verifyMs.push(
                await timed(() =>
                    server.request("/business/product/mint/verify?domain=www.dns.example", {
                        headers: merchant.headers,
                    }),
                ),
            );
        }

        // Cold: a new wallet each time, so every call is a multicall on the node.
        const wallets = Array.from(
            { length: COLD_ROLES },
            () => privateKeyToAccount(generatePrivateKey()).address,
        );
        const coldMs: number[] = [];
        for (const wallet of wallets) {
            coldMs.push(
                await timed(() =>
                    server.request(`/business/roles?productId=${productId}&wallet=${wallet}`, {
                        headers: merchant.headers,
                    }),
                ),
            );
        }
        const warmPerSecond = await throughput(WARM_ROLES, IN_FLIGHT, (i) =>
            timed(() =>
                server.request(
                    `/business/roles?productId=${productId}&wallet=${wallets[i % wallets.length]}`,
                    { headers: merchant.headers },
                ),
            ),
        );

        return [
            {
                area: "business",
                metric: `mint end to end on anvil, median of ${MINTS} (mint + roles + interaction contract + bank)`,
                value: `${median(mintMs).toFixed(0)} ms`,
            },
            {
                area: "business",
                metric: `verify (DNS TXT on a local server + on-chain exists), median of ${VERIFIES}`,
                value: `${median(verifyMs).toFixed(1)} ms`,
            },
            {
                area: "business",
                metric: `roles, cold cache (one multicall), median of ${COLD_ROLES}`,
                value: `${median(coldMs).toFixed(1)} ms`,
            },
            {
                area: "business",
                metric: `roles, warm cache, ${WARM_ROLES.toLocaleString("en")} calls, ${IN_FLIGHT} in flight`,
                value: `${warmPerSecond.toFixed(0)} req/s`,
            },
        ];
    } finally {
        await fixture.stop();
    }
}

if (import.meta.main) {
    console.table(await runBusinessBench());
    process.exit(0);
}
