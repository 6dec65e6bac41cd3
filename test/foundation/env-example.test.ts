import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { EnvSchema } from "../../src/infrastructure/config/env-schema";

const root = new URL("../../", import.meta.url).pathname;

test(".env.example is the one generated from the env schema (no drift)", async () => {
    const check = Bun.spawn([process.execPath, "scripts/generate-env-example.ts", "--check"], {
        cwd: root,
        stdout: "pipe",
        stderr: "pipe",
    });
    const [exitCode, stderr] = await Promise.all([check.exited, new Response(check.stderr).text()]);
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
});

test(".env.example lists every variable the service reads, each with a description", () => {
    const example = readFileSync(`${root}.env.example`, "utf8");
    const listed = [...example.matchAll(/^# ([A-Z0-9_]+)=$/gm)].map((match) => match[1]);
    expect(listed).toEqual(Object.keys(EnvSchema.properties));
    for (const schema of Object.values(EnvSchema.properties)) {
        expect(typeof schema.description).toBe("string");
    }
});
