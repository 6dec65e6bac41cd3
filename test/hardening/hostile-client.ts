/**
 * The attacking client of test/hardening/hostile-input.test.ts, run as its own process so its
 * work (building and sending 100 MB uploads) does not share the server's event loop: the test
 * measures the server. Reads the target from HOSTILE_TARGET (JSON), runs the attacks four at a
 * time and prints one JSON line of outcomes. Loopback only.
 */
const target = JSON.parse(process.env.HOSTILE_TARGET ?? "{}") as {
    url: string;
    productId: string;
    tokens: { wallet: string; sdk: string; business: string };
};
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(target.url)) throw new Error("loopback targets only");
const jsonHeaders = { "content-type": "application/json" };
// Errors are asked for as JSON (without it they are the message as text, as the seed's were).
const request = (path: string, init: RequestInit = {}) =>
    fetch(`${target.url}${path}`, {
        ...init,
        headers: { accept: "application/json", ...Object.fromEntries(new Headers(init.headers)) },
    });

/** `[[[[...]]]]` of `bytes` characters. */
const nestedArrays = (bytes: number) => "[".repeat(bytes / 2) + "]".repeat(bytes / 2);
/** `{"a":{"a":...}}` of about `bytes` characters. */
const nestedObjects = (bytes: number) => {
    const levels = Math.floor(bytes / 6);
    return `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
};
/** Within the depth limit but wide: `count` numbers 31 levels down, where a string is due. */
const wideWrongType = (count: number) => {
    let value = `[${Array(count).fill(1).join(",")}]`;
    for (let level = 0; level < 30; level++) value = `[${value}]`;
    return `{"wallet":${value}}`;
};

/** A body streamed in 64 KiB chunks without Content-Length (chunked), generated lazily. */
function chunkedBody(totalBytes: number): ReadableStream<Uint8Array> {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    return new ReadableStream({
        pull(controller) {
            if (sent >= totalBytes) return controller.close();
            controller.enqueue(chunk);
            sent += chunk.byteLength;
        },
    });
}

type Attack = { name: string; send: () => Promise<Response>; expected: number };

const post = (
    path: string,
    body: RequestInit["body"],
    headers: Record<string, string> = jsonHeaders,
) => request(path, { method: "POST", headers, body, duplex: "half" } as RequestInit);

export function attacks(): Attack[] {
    const deep = nestedArrays(400 * 1024);
    const deepObjects = nestedObjects(400 * 1024);
    const wide = wideWrongType(450_000);
    const wideWithinBounds = wideWrongType(90_000);
    const tooBig = JSON.stringify({ padding: "x".repeat(2 * 1024 * 1024) });
    const unknownProduct = `0x${"ab".repeat(32)}`;
    const deepTargets: [string, string, Record<string, string>][] = [
        ["POST", "/common/airtable", jsonHeaders],
        ["POST", "/wallet/auth/register", jsonHeaders],
        [
            "POST",
            "/wallet/interactions/push",
            { ...jsonHeaders, "x-wallet-sdk-auth": target.tokens.sdk },
        ],
        [
            "PUT",
            "/business/product/mint",
            { ...jsonHeaders, "x-business-auth": target.tokens.business },
        ],
        [
            "POST",
            "/business/notifications/send",
            { ...jsonHeaders, "x-business-auth": target.tokens.business },
        ],
        [
            "PUT",
            "/wallet/notifications/tokens",
            { ...jsonHeaders, "x-wallet-auth": target.tokens.wallet },
        ],
    ];
    const list: Attack[] = [];
    for (const [method, path, headers] of deepTargets) {
        list.push({
            name: `400 KB nested arrays to ${method} ${path}`,
            send: () => request(path, { method, headers, body: deep }),
            expected: 400,
        });
        list.push({
            name: `400 KB nested objects to ${method} ${path}`,
            send: () => request(path, { method, headers, body: deepObjects }),
            expected: 400,
        });
        list.push({
            name: `900 KB of 450,000 numbers to ${method} ${path}`,
            send: () => request(path, { method, headers, body: wide }),
            expected: 400,
        });
        list.push({
            name: `180 KB of 90,000 numbers where a string is due to ${method} ${path}`,
            send: () => request(path, { method, headers, body: wideWithinBounds }),
            expected: 422,
        });
        list.push({
            name: `2 MB body with Content-Length to ${method} ${path}`,
            send: () => request(path, { method, headers, body: tooBig }),
            expected: 413,
        });
    }
    list.push(
        {
            name: "4 MB chunked body (no Content-Length) to /common/airtable",
            send: () => post("/common/airtable", chunkedBody(4 * 1024 * 1024)),
            expected: 413,
        },
        ...Array.from({ length: 4 }, (_, index) => ({
            name: `32 MB chunked upload #${index} to an unknown product's order webhook`,
            send: () =>
                post(
                    `/ext/products/${unknownProduct}/webhook/oracle/shopify`,
                    chunkedBody(32 * 1024 * 1024),
                ),
            expected: 404,
        })),
        {
            name: "100 MB Content-Length to an unknown product's order webhook",
            send: () =>
                post(
                    `/ext/products/${unknownProduct}/webhook/oracle/shopify`,
                    new Uint8Array(100 * 1024 * 1024),
                ),
            expected: 404,
        },
        {
            name: "24 MB chunked order to a real product's webhook (above its 16 MiB limit)",
            send: () =>
                post(
                    `/ext/products/${target.productId}/webhook/oracle/shopify`,
                    chunkedBody(24 * 1024 * 1024),
                    { "x-shopify-hmac-sha256": "AAAA", "x-shopify-topic": "orders/paid" },
                ),
            expected: 413,
        },
        {
            name: "the same through the legacy oracle path",
            send: () =>
                post(`/oracle/shopify/${target.productId}/hook`, chunkedBody(24 * 1024 * 1024), {
                    "x-shopify-hmac-sha256": "AAAA",
                }),
            expected: 413,
        },
        {
            name: "12 KB of headers",
            send: () => request("/health/live", { headers: { "x-big": "a".repeat(12_000) } }),
            expected: 431,
        },
        {
            name: "a \\u0000 in a JSON string",
            send: () =>
                post(
                    "/common/airtable",
                    '{"type":"demo_request","data":{"email":"a\\u0000@b.c","name":"x"}}',
                ),
            expected: 422,
        },
        {
            name: "a %00 in a path parameter",
            send: () =>
                request("/wallet/pairings/%00/delete", {
                    method: "POST",
                    headers: { "x-wallet-auth": target.tokens.wallet },
                }),
            expected: 404,
        },
        {
            name: "a %00 in a product path",
            send: () =>
                post(`/ext/products/0x%00/webhook/oracle/shopify`, "{}", {
                    "x-shopify-hmac-sha256": "AAAA",
                }),
            expected: 404,
        },
        {
            name: "a %00 in a query parameter",
            send: () => request("/wallet/interactions/estimate?productId=0x01&interactionKey=%00"),
            expected: 422,
        },
        {
            name: "an inherited key as an OpenAPI asset name",
            send: () => request("/openapi/assets/constructor"),
            expected: 404,
        },
        {
            name: "another inherited key as an OpenAPI asset name",
            send: () => request("/openapi/assets/__proto__"),
            expected: 404,
        },
        {
            name: "a multipart form",
            send: () => {
                const form = new FormData();
                form.set("type", nestedArrays(10_000));
                return request("/common/airtable", { method: "POST", body: form });
            },
            expected: 415,
        },
    );
    return list;
}

export type Outcome = { name: string; status: number; body: unknown; expected: number };

if (import.meta.main) {
    // HOSTILE_ONLY: a regular expression of attack names, to replay some of them.
    const only = process.env.HOSTILE_ONLY ? new RegExp(process.env.HOSTILE_ONLY) : undefined;
    const queue = attacks().filter((attack) => !only || only.test(attack.name));
    const outcomes: Outcome[] = [];
    await Promise.all(
        Array.from({ length: 4 }, async () => {
            for (let attack = queue.shift(); attack; attack = queue.shift()) {
                let status = 0;
                let body: unknown = null;
                try {
                    const response = await attack.send();
                    status = response.status;
                    const text = await response.text();
                    try {
                        body = JSON.parse(text);
                    } catch {
                        body = text;
                    }
                } catch (error) {
                    body = String(error);
                }
                outcomes.push({ name: attack.name, status, body, expected: attack.expected });
            }
        }),
    );
    console.log(JSON.stringify(outcomes));
}
