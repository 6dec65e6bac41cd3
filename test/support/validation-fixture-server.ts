/**
 * Starts the app with one validated placeholder route and prints its URL: run in a child process
 * so a test can observe behaviour that depends on process-wide settings such as NODE_ENV.
 */
import { Elysia, t } from "elysia";
import { startTestApp } from "./test-app";

const server = await startTestApp({
    placeholderRoutes: () =>
        new Elysia().post("/test/orders", ({ body }) => body, {
            body: t.Object({ name: t.String({ minLength: 1 }), quantity: t.Integer() }),
        }),
});
console.log(server.url);
process.on("SIGTERM", async () => {
    await server.stop();
    process.exit(0);
});
