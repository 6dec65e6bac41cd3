import { Elysia, t } from "elysia";
import type { Infrastructure } from "../infrastructure";

/**
 * `/health` is readiness: it pings the database and answers 503 naming what failed.
 * `/health/live` is liveness: the process answers, nothing else is checked.
 */
export function healthRoutes(infra: Pick<Infrastructure, "config" | "database">) {
    const identity = { hostname: infra.config.hostname, stage: infra.config.stage };
    return new Elysia({ name: "health" })
        .get(
            "/health",
            async ({ status }) => {
                try {
                    await infra.database.ping(2_000);
                    return { status: "ok" as const, ...identity };
                } catch {
                    return status(503, {
                        status: "error" as const,
                        failed: ["database"],
                        ...identity,
                    });
                }
            },
            {
                detail: { summary: "Readiness: the service and its database answer" },
                response: {
                    200: t.Object({
                        status: t.Literal("ok"),
                        hostname: t.Optional(t.String()),
                        stage: t.Optional(t.String()),
                    }),
                    503: t.Object({
                        status: t.Literal("error"),
                        failed: t.Array(t.String()),
                        hostname: t.Optional(t.String()),
                        stage: t.Optional(t.String()),
                    }),
                },
            },
        )
        .get("/health/live", () => ({ status: "ok" as const, ...identity }), {
            detail: { summary: "Liveness: the process answers" },
        });
}
