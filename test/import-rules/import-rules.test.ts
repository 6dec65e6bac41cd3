import { describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Every import rule of .dependency-cruiser.cjs must catch the deliberate violation kept for it
 * under fixture/: a rule whose pattern drifts (a renamed folder, a typo) fails here instead of
 * silently allowing what it was written to forbid.
 */
const root = resolve(import.meta.dir, "../..");
const fixture = join(import.meta.dir, "fixture");

type Violation = { rule: { name: string }; from: string; to: string };

function cruiseFixture(): Violation[] {
    const dir = mkdtempSync(join(tmpdir(), "import-rules-"));
    try {
        cpSync(fixture, dir, { recursive: true });
        cpSync(join(root, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
        symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
        const run = Bun.spawnSync(
            [
                join(root, "node_modules/.bin/depcruise"),
                "--config",
                ".dependency-cruiser.cjs",
                "--output-type",
                "json",
                "src",
                "test",
            ],
            { cwd: dir, stdout: "pipe", stderr: "pipe" },
        );
        const output = run.stdout.toString();
        if (!output.trim().startsWith("{")) {
            throw new Error(`depcruise failed: ${run.stderr.toString()}`);
        }
        return JSON.parse(output).summary.violations as Violation[];
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

const ruleNames = (): string[] => {
    const config = require(join(root, ".dependency-cruiser.cjs")) as {
        forbidden: { name: string }[];
    };
    return config.forbidden.map((rule) => rule.name);
};

describe("import rules", () => {
    const expected = JSON.parse(
        readFileSync(join(fixture, "expected-violations.json"), "utf8"),
    ) as Record<string, string>;
    const violations = cruiseFixture();

    test("every rule has a deliberate violation in the fixture tree", () => {
        expect(Object.keys(expected).sort()).toEqual(ruleNames().sort());
    });

    for (const [rule, file] of Object.entries(expected)) {
        test(`${rule} catches ${file}`, () => {
            const caught = violations.filter((v) => v.rule.name === rule).map((v) => v.from);
            expect(caught).toContain(file);
        });
    }

    test("the clean parts of the fixture are not flagged", () => {
        const flagged = new Set(violations.map((v) => v.from));
        expect(flagged.has("src/domain/alpha/index.ts")).toBe(false);
        expect(flagged.has("src/domains.ts")).toBe(false);
        expect(flagged.has("src/orchestration/alpha-flow.ts")).toBe(false);
    });
});
