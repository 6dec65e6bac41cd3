import { expect, test } from "bun:test";
import { readJson } from "../support/test-app";

// Elysia strips validation details when NODE_ENV=production; we render 422s ourselves so clients
// still learn which field is wrong.
test("with NODE_ENV=production a bad body still gives 422 JSON naming the field", async () => {
    const child = Bun.spawn([process.execPath, "test/support/validation-fixture-server.ts"], {
        env: { ...process.env, NODE_ENV: "production" },
        stdout: "pipe",
        stderr: "inherit",
    });
    try {
        const reader = child.stdout.getReader();
        const { value } = await reader.read();
        const url = new TextDecoder().decode(value).trim();
        const response = await fetch(`${url}/test/orders`, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json" },
            body: JSON.stringify({ name: "", quantity: 1 }),
        });
        expect(response.status).toBe(422);
        const body = await readJson(response);
        expect(body).toMatchObject({ error: "validation", on: "body", property: "/name" });
    } finally {
        child.kill("SIGTERM");
        await child.exited;
    }
}, 30_000);
