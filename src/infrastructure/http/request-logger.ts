import { Elysia } from "elysia";
import type { Logger } from "pino";
import type { Metrics } from "../metrics";
import { beginRequest, requestContextOf } from "./request-context";

/**
 * Gives every request an id (echoed as `x-request-id`), logs one line per response and records
 * the request in the metrics under its matched route (not the raw path: bounded cardinality).
 */
export function requestLogger(logger: Logger, metrics: Metrics) {
    return new Elysia({ name: "request-logger" })
        .onRequest(({ request, set }) => {
            set.headers["x-request-id"] = beginRequest(request).id;
        })
        .onAfterResponse({ as: "global" }, ({ request, set, path, route }) => {
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
            const routeLabel = route || "unmatched";
            metrics.httpRequests.inc({ method: request.method, route: routeLabel, status });
            if (durationMs !== undefined) {
                metrics.httpDuration.observe(
                    { method: request.method, route: routeLabel },
                    durationMs / 1000,
                );
            }
            if (path.startsWith("/health")) logger.debug(line, "request");
            else logger.info(line, "request");
        });
}
