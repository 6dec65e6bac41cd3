import { ApiError } from "../errors/api-error";

/** 413 as JSON, naming the limit, like every other error. */
export function payloadTooLarge(limit: number): ApiError {
    return new ApiError(
        "payload_too_large",
        `The request body is larger than the limit of ${limit} bytes`,
    );
}

/**
 * Reads a request body of at most `limit` bytes. A `Content-Length` above the limit is refused
 * before anything is read; a body without a length (chunked) is counted while it streams and the
 * stream is cancelled as soon as it goes past the limit, so a large upload never sits in memory.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array> {
    const declared = request.headers.get("content-length");
    if (declared !== null && Number(declared) > limit) throw payloadTooLarge(limit);
    if (request.body === null) return new Uint8Array(0);
    // A declared length within the limit bounds the body (HTTP framing: the server reads exactly
    // that many bytes), so the native one-shot read serves; a chunked body (also one that sends
    // both headers, where chunked framing wins) is counted while it streams.
    // (Bun's parser answers 400 to a request with both headers; a Request built in-process can
    // claim any length, hence the check after the read.)
    if (declared !== null && /^\d+$/.test(declared) && !request.headers.has("transfer-encoding")) {
        const body = new Uint8Array(await request.arrayBuffer());
        if (body.byteLength > limit) throw payloadTooLarge(limit);
        return body;
    }
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
            await reader.cancel().catch(() => {});
            throw payloadTooLarge(limit);
        }
        chunks.push(value);
    }
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
        body.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return body;
}

/** 431 as JSON when the request's headers (names and values) add up to more than `limit`. */
export function assertHeadersWithin(request: Request, limit: number): void {
    let size = 0;
    for (const [name, value] of request.headers) size += name.length + value.length + 4;
    if (size > limit) {
        throw new ApiError(
            "headers_too_large",
            `The request headers are larger than the limit of ${limit} bytes`,
        );
    }
}
