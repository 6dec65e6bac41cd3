/**
 * One error model, two representations, chosen by the caller's `Accept` header:
 *   - JSON (`{ error, message, ... }`) when the caller names a JSON media type
 *     (`application/json` or a `+json` type, with a non-zero quality);
 *   - otherwise the message alone as `text/plain`, as the seed answered: its clients show
 *     `String(error.value)`, and Eden Treaty sends no Accept header of its own (a browser's or
 *     Bun's fetch adds only `*\/*`), so a JSON body would read "[object Object]".
 * The status code and the headers (Retry-After, CORS) are the same in both.
 */
export type ErrorRepresentation = "json" | "text";

export const TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";
export const JSON_CONTENT_TYPE = "application/json";

export function errorRepresentationFor(accept: string | null | undefined): ErrorRepresentation {
    if (!accept) return "text";
    for (const range of accept.split(",")) {
        const [mediaType = "", ...parameters] = range.split(";").map((part) => part.trim());
        const type = mediaType.toLowerCase();
        if (type !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
            continue;
        }
        const quality = parameters.find((parameter) => /^q\s*=/i.test(parameter));
        if (quality && Number(quality.split("=")[1]) === 0) continue;
        return "json";
    }
    return "text";
}

/**
 * The body to send for an error in the caller's representation: the object itself for JSON,
 * its `message` for text. Elysia gives a returned object `application/json` and a returned
 * string `text/plain`, so `status(code, representError(request, body))` is enough in a route.
 */
export function representError<Body extends { message: string }>(
    request: Request,
    body: Body,
): Body | string {
    return errorRepresentationFor(request.headers.get("accept")) === "json" ? body : body.message;
}

/** `representError` as a whole Response, for hooks that answer before routing (429, 413...). */
export function errorResponse(
    request: Request,
    status: number,
    body: { message: string },
    headers: Record<string, string> = {},
): Response {
    const represented = representError(request, body);
    const isText = typeof represented === "string";
    return new Response(isText ? represented : JSON.stringify(represented), {
        status,
        headers: { ...headers, "content-type": isText ? TEXT_CONTENT_TYPE : JSON_CONTENT_TYPE },
    });
}
