/**
 * Writes `.env.example` from the env schema, so the example lists exactly the variables the
 * service reads. `--check` exits 1 when the committed file differs (CI and a test run it).
 *
 *   bun scripts/generate-env-example.ts [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { TSchema } from "@sinclair/typebox";
import { productionRequiredVariables } from "../src/infrastructure/config/config";
import { EnvSchema } from "../src/infrastructure/config/env-schema";

const target = new URL("../.env.example", import.meta.url).pathname;

/** What a value must look like, from the schema's constraints. */
function shapeOf(schema: TSchema): string | undefined {
    const literals = (schema.anyOf as TSchema[] | undefined)
        ?.map((member) => member.const)
        .filter((value) => value !== undefined);
    if (literals?.length) return `one of ${literals.join(", ")}`;
    if (schema.pattern === "^[0-9]+$") return "an integer";
    if (typeof schema.pattern === "string") return `matches /${schema.pattern}/`;
    if (typeof schema.minLength === "number" && schema.minLength > 1) {
        return `at least ${schema.minLength} characters`;
    }
    return undefined;
}

export function renderEnvExample(): string {
    const required = new Set(productionRequiredVariables.flat());
    const lines = [
        "# Every environment variable the service reads, generated from",
        "# src/infrastructure/config/env-schema.ts by `npm run env:example` (do not edit by hand).",
        "# All are optional when running locally: `npm run dev` needs none of them.",
        "",
    ];
    for (const [name, schema] of Object.entries(EnvSchema.properties) as [string, TSchema][]) {
        const notes = [shapeOf(schema), required.has(name) ? "required in production" : undefined]
            .filter(Boolean)
            .join("; ");
        lines.push(`# ${schema.description ?? name}${notes ? ` (${notes})` : ""}`);
        lines.push(`# ${name}=`, "");
    }
    return lines.join("\n");
}

if (import.meta.main) {
    const rendered = renderEnvExample();
    if (process.argv.includes("--check")) {
        let current = "";
        try {
            current = readFileSync(target, "utf8");
        } catch {}
        if (current !== rendered) {
            console.error(
                ".env.example is out of date with the env schema: run npm run env:example",
            );
            process.exit(1);
        }
        console.log(".env.example matches the env schema");
    } else {
        writeFileSync(target, rendered);
        console.log(`wrote ${target}`);
    }
}
