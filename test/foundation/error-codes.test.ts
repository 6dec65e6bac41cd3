import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Glob } from "bun";
import { ApiError } from "../../src/infrastructure/errors/api-error";
import {
    ERROR_CODES,
    type ErrorCode,
    isErrorCode,
    routesAnswering,
    STATUS_EXCEPTIONS,
} from "../../src/infrastructure/errors/error-codes";

/**
 * The error catalogue (src/infrastructure/errors/error-codes.ts) is closed both ways: every code
 * the source answers with is in it (the type checks `ApiError` and `errorBody`; this also reads
 * the source), every code in it is answered somewhere, and docs/errors.md shows it as it is.
 */
const root = resolve(import.meta.dir, "../..");
const codes = Object.keys(ERROR_CODES) as ErrorCode[];
type Exception = { routes: readonly string[]; reason: string };
const exceptionRows = Object.entries(STATUS_EXCEPTIONS).flatMap(([code, byStatus]) =>
    Object.entries(byStatus as Record<string, Exception>).map(([status, exception]) => ({
        code,
        status,
        ...exception,
    })),
);

function sourceFiles(): Array<{ path: string; text: string }> {
    const files = [...new Glob("src/**/*.ts").scanSync({ cwd: root })];
    return files.map((path) => ({ path, text: readFileSync(join(root, path), "utf8") }));
}

describe("the catalogue", () => {
    test("each code has an error status and a meaning; codes are snake_case", () => {
        for (const code of codes) {
            const { status, meaning } = ERROR_CODES[code];
            expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
            expect(status >= 400 && status <= 599, code).toBe(true);
            expect(meaning.length, code).toBeGreaterThan(10);
        }
    });

    test("an exception is another status than the code's own, on named routes, with a reason", () => {
        expect(exceptionRows.length).toBeGreaterThan(0);
        for (const { code, status, routes, reason } of exceptionRows) {
            expect(isErrorCode(code), code).toBe(true);
            expect(ERROR_CODES[code as ErrorCode].status).not.toBe(Number(status));
            expect(routes.length, `${code} ${status}`).toBeGreaterThan(0);
            for (const route of routes) expect(route).toMatch(/^(GET|POST|PUT|DELETE|PATCH) \//);
            expect(reason.length, `${code} ${status}`).toBeGreaterThan(20);
        }
    });

    test("an ApiError answers its code's status; an exception only when asked by name", () => {
        expect(new ApiError("pairing_not_found", "Pairing not found").status).toBe(404);
        expect(new ApiError("invalid_signature", "Invalid hmac").status).toBe(401);
        expect(new ApiError("invalid_signature", "x", { status: 404 }).status).toBe(404);
        expect(routesAnswering("pairing_not_found", 404)).toBe("all");
        expect(routesAnswering("pairing_not_found", 400)).toEqual([]);
        expect(routesAnswering("invalid_signature", 404)).toContain("POST /wallet/auth/login");
    });
});

describe("the source", () => {
    const files = sourceFiles().filter(
        ({ path }) => !path.startsWith("src/infrastructure/errors/error-codes.ts"),
    );

    test("every code the source constructs an error with is in the catalogue", () => {
        // The type checks this already; reading the source also catches a cast.
        const constructed = /\b(?:new ApiError|errorBody|answer|refused)\(\s*"([a-z0-9_]+)"/g;
        const unknown: string[] = [];
        for (const { path, text } of files) {
            for (const [, code] of text.matchAll(constructed)) {
                if (!isErrorCode(code as string)) unknown.push(`${path}: ${code}`);
            }
            // The status comes from the catalogue: no call site passes one first.
            expect(text, path).not.toMatch(/new ApiError\(\s*\d/);
        }
        expect(unknown).toEqual([]);
    });

    test("every code of the catalogue is answered somewhere", () => {
        const unused = codes.filter(
            (code) => !files.some(({ text }) => text.includes(`"${code}"`)),
        );
        expect(unused).toEqual([]);
    });
});

describe("docs/errors.md", () => {
    const doc = readFileSync(join(root, "docs/errors.md"), "utf8");
    const tableRows = (heading: string) => {
        const section = doc.split(`## ${heading}\n`)[1]?.split("\n## ")[0] ?? "";
        return section
            .split("\n")
            .filter((line) => line.startsWith("| `"))
            .map((line) => line.trim());
    };

    test("the catalogue table is the catalogue, in its order", () => {
        const expected = codes.map(
            (code) =>
                `| \`${code}\` | ${ERROR_CODES[code].status} | ${ERROR_CODES[code].meaning} |`,
        );
        expect(tableRows("Catalogue")).toEqual(expected);
    });

    test("the exceptions table is STATUS_EXCEPTIONS", () => {
        const expected = exceptionRows.map(
            ({ code, status, routes, reason }) =>
                `| \`${code}\` | ${status} | ${routes.map((route) => `\`${route}\``).join(", ")} | ${reason} |`,
        );
        expect(tableRows("Exceptions")).toEqual(expected);
    });
});
