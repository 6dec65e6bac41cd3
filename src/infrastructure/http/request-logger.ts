import { Elysia } from "elysia";
import type { Logger } from "pino";
import { beginRequest, requestContextOf } from "./request-context";

/** Gives every request an id (echoed as `x-request-id`) and logs one line per response. */
export function requestLogger(logger: Logger) {
    return new Elysia({ name: "request-logger" })
        .onRequest(({ request, set }) => {
            set.headers["x-request-id"] = beginRequest(request).id;
        })
        .onAfterResponse({ as: "global" }, ({ request, set, path }) => {
            const context = requestContextOf(request);
            const durationMs = context ? performance.now() - context.startedAt : undefined;
            const status = typeof set.status === "number" ? set.status : 200;
            const line = {
                requestId: context?.id,
                method: request.method,
                path,
                status,
                durationMs: durationMs === undefined ? undefined : Math.round(durationMs * 10) / 10,
            };
            if (path.startsWith("/health")) logger.debug(line, "request");
            else logger.info(line, "request");
        });
}
