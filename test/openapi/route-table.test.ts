import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * The README's route table (method, full path, file) is how a reader goes from a URL to its
 * handler: it must list exactly the operations of the OpenAPI document, and each file must
 * declare that full path literally (so grepping the URL finds it too). A failure prints the rows
 * to add or remove.
 */
const root = join(import.meta.dir, "..", "..");
type Row = { method: string; path: string; file: string };

function readmeRows(): Row[] {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const start = readme.indexOf("<!-- route-table:start -->");
    const end = readme.indexOf("<!-- route-table:end -->");
    if (start < 0 || end < start) throw new Error("README.md has no route-table markers");
    const rows: Row[] = [];
    for (const line of readme.slice(start, end).split("\n")) {
        const cells = line.split("|").map((cell) => cell.trim().replace(/^`|`$/g, ""));
        // `| GET | /path | file |` splits into ["", "GET", "/path", "file", ""].
        const [, method, path, file] = cells;
        if (cells.length !== 5 || !method || !path?.startsWith("/") || !file) continue;
        rows.push({ method, path, file });
    }
    return rows;
}

/** OpenAPI writes `{productId}` where Elysia (and our files) write `:productId`. */
const elysiaPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ":$1");
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

let server: TestApp;
let documented: string[] = [];
beforeAll(async () => {
    server = await startTestApp();
    const document = (await (await server.request("/openapi/json")).json()) as {
        paths: Record<string, Record<string, unknown>>;
    };
    documented = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => key(method, elysiaPath(path))),
    );
});
afterAll(() => server.stop());

test("the README's route table lists exactly the documented operations", () => {
    const listed = readmeRows().map((row) => key(row.method, row.path));
    expect(new Set(listed).size).toBe(listed.length);
    const missing = documented.filter((route) => !listed.includes(route));
    const stale = listed.filter((route) => !documented.includes(route));
    expect({ addToReadme: missing, removeFromReadme: stale }).toEqual({
        addToReadme: [],
        removeFromReadme: [],
    });
});

test("each row's file exists and declares the route's full path", () => {
    const rows = readmeRows();
    expect(rows.length).toBeGreaterThan(0);
    const wrong = rows.filter((row) => {
        const file = join(root, row.file);
        return !existsSync(file) || !readFileSync(file, "utf8").includes(`"${row.path}"`);
    });
    expect(wrong.map((row) => `${row.method} ${row.path} -> ${row.file}`)).toEqual([]);
});
