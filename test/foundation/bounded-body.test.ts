/** readBodyWithin: the body limit holds whatever the request claims about its length. */
import { expect, test } from "bun:test";
import { readBodyWithin } from "../../src/infrastructure/http";

const post = (body: string | ReadableStream, headers: Record<string, string> = {}) =>
    new Request("http://localhost/x", { method: "POST", body, headers });

test("a declared length above the limit is refused before reading", async () => {
    await expect(
        readBodyWithin(post("x".repeat(5), { "content-length": "100" }), 10),
    ).rejects.toMatchObject({ code: "payload_too_large" });
});

test("a request that declares less than it carries is still held to the limit", async () => {
    // Bun's HTTP parser frames bodies by Content-Length; a Request built in-process does not.
    await expect(
        readBodyWithin(post("x".repeat(100), { "content-length": "5" }), 10),
    ).rejects.toMatchObject({ code: "payload_too_large" });
});

test("a chunked body is counted while it streams", async () => {
    const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
            controller.enqueue(new Uint8Array(4));
        },
    });
    await expect(readBodyWithin(post(stream), 10)).rejects.toMatchObject({
        code: "payload_too_large",
    });
});

test("a body within the limit is returned whole", async () => {
    const body = await readBodyWithin(post("hello", { "content-length": "5" }), 10);
    expect(new TextDecoder().decode(body)).toBe("hello");
});
