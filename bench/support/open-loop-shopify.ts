/**
 * An open-loop load generator, in its own process: sends signed Shopify order deliveries at a
 * fixed rate, evenly spaced (one every 1000/rate ms, whether or not earlier ones have answered),
 * and prints the latency percentiles as JSON. Unlike a closed loop of N connections, a slow
 * answer does not slow the offered load, so the latencies are those a shop would see at that rate.
 * Usage: bun open-loop-shopify.ts <url> <secret> <rate per second> <seconds>
 */
import { createHmac } from "node:crypto";

const [url, secret, rateArg, secondsArg] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
];
const rate = Number(rateArg);
const total = Math.round(rate * Number(secondsArg));
const intervalMs = 1000 / rate;
const latencies: number[] = [];
let failures = 0;
let nextId = Date.now() * 1000;

function delivery(): { body: string; headers: Record<string, string> } {
    const id = nextId++;
    const body = JSON.stringify({
        id,
        financial_status: "paid",
        total_price: "19.90",
        currency: "EUR",
        test: false,
        customer: { id: 42 },
        token: `t${id}`,
        checkout_token: `c${id}`,
        line_items: [
            { id: 1, product_id: 7, quantity: 1, price: "19.90", name: "Tee", title: "Tee" },
        ],
    });
    return {
        body,
        headers: {
            "content-type": "application/json",
            "x-shopify-topic": "orders/paid",
            "x-shopify-order-id": String(id),
            "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
        },
    };
}

const inFlight: Promise<void>[] = [];
const startedAt = performance.now();
for (let i = 0; i < total; i++) {
    const due = startedAt + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await Bun.sleep(wait);
    const { body, headers } = delivery();
    const sentAt = performance.now();
    inFlight.push(
        fetch(url, { method: "POST", headers, body }).then(
            async (response) => {
                await response.arrayBuffer();
                if (response.status !== 200) failures++;
                latencies.push(performance.now() - sentAt);
            },
            () => {
                failures++;
            },
        ),
    );
}
await Promise.all(inFlight);
const elapsed = (performance.now() - startedAt) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(
    JSON.stringify({
        sent: total,
        rate: total / elapsed,
        p50: at(0.5),
        p99: at(0.99),
        max: latencies.at(-1) ?? 0,
        failures,
    }),
);
