import { Elysia, t } from "elysia";
import type { Infrastructure } from "../infrastructure";

/**
 * `/health` is readiness: it checks the database, the chain node (a cached probe, not an RPC per
 * request) and Redis when the instances share one, and answers 503 naming what failed. `/health/live` is liveness: the process answers, nothing else.
 */
export function healthRoutes(
    infra: Pick<Infrastructure, "config" | "database" | "pubsub" | "chainHealth">,
) {
    const identity = { hostname: infra.config.hostname, stage: infra.config.stage };
    const checks: Array<[name: string, check: () => Promise<boolean>]> = [
        [
            "database",
            () =>
                infra.database.ping(2_000).then(
                    () => true,
                    () => false,
                ),
        ],
        ["chain", () => infra.chainHealth.isUp()],
    ];
    if (infra.pubsub.kind === "redis") {
        checks.push(["redis", async () => (await infra.pubsub.health()).ok]);
    }
    return new Elysia({ name: "health", tags: ["health"] })
        .get(
            "/health",
            async ({ status }) => {
                const results = await Promise.all(
                    checks.map(async ([name, check]) => [name, await check()] as const),
                );
                const failed = results.filter(([, ok]) => !ok).map(([name]) => name);
                if (failed.length === 0) return { status: "ok" as const, ...identity };
                return status(503, { status: "error" as const, failed, ...identity });
            },
            {
                detail: { summary: "Readiness: the service and its dependencies answer" },
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
            response: {
                200: t.Object({
                    status: t.Literal("ok"),
                    hostname: t.Optional(t.String()),
                    stage: t.Optional(t.String()),
                }),
            },
            detail: {
                summary: "Liveness: the process answers",
                "x-no-error-response": "Answers from memory, whatever the dependencies",
            },
        });
}
