import { Elysia } from "elysia";
import { parseQuery } from "elysia/parse-query";
import type { HttpLimits } from "../config";
import { ApiError } from "../errors/api-error";
import type { RouteBodies } from "./body-validators";
import { assertHeadersWithin, readBodyWithin } from "./bounded-body";
import { parseJsonBody } from "./json-body";
import { RequestValidationError } from "./request-validation-error";

/** The body of a `parse: "none"` route until its handler reads it (within its own limit). */
const deferredBody = Object.freeze({});

/**
 * The one place request sizes are limited, before anything is parsed: headers (431), bodies
 * (413, from `Content-Length` and while streaming), JSON nesting (400), and the body's schema
 * checked cheaply (422) before Elysia's validator would format an error from the whole value.
 * It replaces Elysia's body parsers on every route, so no body is ever read unbounded. Routes
 * that read raw bytes (`parse: "none"`, the HMAC-signed webhooks) read them with
 * `readBodyWithin` once they know the body is worth reading.
 */
export function requestBodies(limits: HttpLimits, routes: RouteBodies) {
    return new Elysia({ name: "request-bodies" })
        .onRequest(({ request }) => {
            assertHeadersWithin(request, limits.maxHeaderBytes);
            assertNoNulInUrl(request.url);
        })
        .onParse({ as: "global" }, async ({ request, route }, contentType) => {
            const target = routes.of(request.method, route);
            if (target.raw) return deferredBody;
            if (request.body === null) return;
            const type = target.forcedJson ? "application/json" : contentType;
            switch (type) {
                case "application/json": {
                    const bytes = await readBodyWithin(request, limits.maxBodyBytes);
                    // Empty: let Elysia decide (optional bodies stay undefined, others are 400).
                    if (isBlank(bytes)) return;
                    const body = parseJsonBody(bytes, {
                        maxDepth: limits.maxJsonDepth,
                        maxValues: limits.maxJsonValues,
                    });
                    target.check(body);
                    return body;
                }
                case "text/plain":
                    return readText(request, limits.maxBodyBytes);
                case "application/x-www-form-urlencoded":
                    return parseQuery(await readText(request, limits.maxBodyBytes));
                case "application/octet-stream":
                    return (await readBodyWithin(request, limits.maxBodyBytes)).slice().buffer;
                case "multipart/form-data":
                    throw new ApiError(
                        "unsupported_media_type",
                        "Request bodies are JSON; multipart forms are not accepted",
                    );
                default:
                    // Not a type Elysia parses either: the body stays unread.
                    return;
            }
        });
}

/**
 * A NUL (`%00`) cannot name any resource of ours and PostgreSQL cannot store it: a path holding
 * one is 404, a query parameter holding one is 422 naming the parameter.
 */
function assertNoNulInUrl(url: string): void {
    if (!/%00/.test(url)) return;
    const { pathname, searchParams } = new URL(url);
    if (/%00/.test(pathname)) throw new ApiError("not_found", "Not found");
    for (const [key, value] of searchParams) {
        if (key.includes("\0") || value.includes("\0")) {
            throw new RequestValidationError("query", [
                {
                    property: `/${key.replaceAll("\0", "")}`,
                    message: "Must not contain a NUL character",
                },
            ]);
        }
    }
}

function isBlank(bytes: Uint8Array): boolean {
    for (const byte of bytes) {
        if (byte !== 32 && byte !== 9 && byte !== 10 && byte !== 13) return false;
    }
    return true;
}

async function readText(request: Request, limit: number): Promise<string> {
    return new TextDecoder().decode(await readBodyWithin(request, limit));
}
