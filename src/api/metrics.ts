import { createHash, timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import type { Infrastructure } from "../infrastructure";
import { errorBody, representError } from "../infrastructure/http";

/** `GET /metrics` in the Prometheus text format; behind a bearer token when METRICS_TOKEN is set. */
export function metricsRoutes(infra: Pick<Infrastructure, "metrics" | "config">) {
    const expected = infra.config.metricsToken ? `Bearer ${infra.config.metricsToken}` : undefined;
    return new Elysia({ name: "metrics" }).get(
        "/metrics",
        async ({ headers, request, status }) => {
            if (expected && !sameSecret(headers.authorization, expected)) {
                return status(
                    401,
                    representError(request, errorBody("unauthorized", "Unauthorized")),
                );
            }
            return new Response(await infra.metrics.registry.metrics(), {
                headers: { "content-type": infra.metrics.registry.contentType },
            });
        },
        { detail: { summary: "Prometheus metrics", hide: true } },
    );
}

/** Constant-time comparison (of digests, so the lengths match and leak nothing either). */
function sameSecret(given: string | undefined, expected: string): boolean {
    const digest = (value: string) => createHash("sha256").update(value).digest();
    return timingSafeEqual(digest(given ?? ""), digest(expected));
}
