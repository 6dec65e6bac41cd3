/**
 * `npm run bench`: runs every benchmark of bench/ in one process, one after the other (each
 * measures its peers in the same run), and prints one table.
 */
import { readdirSync } from "node:fs";
import type { BenchRow } from "./bench-row";

const skip = new Set(["index.ts", "bench-row.ts", "load.ts"]);
const only = process.argv.slice(2);
const rows: BenchRow[] = [];

for (const file of readdirSync(import.meta.dir).sort()) {
    if (!file.endsWith(".ts") || skip.has(file)) continue;
    const name = file.replace(/\.ts$/, "");
    if (only.length > 0 && !only.includes(name)) continue;
    const module = (await import(`./${file}`)) as Record<string, unknown>;
    const runner = Object.entries(module).find(
        ([key, value]) => /^run\w*Bench$/.test(key) && typeof value === "function",
    )?.[1] as (() => Promise<BenchRow[]>) | undefined;
    if (!runner) continue;
    const startedAt = performance.now();
    try {
        rows.push(...(await runner()));
        console.error(`bench ${name}: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    } catch (error) {
        rows.push({ area: name, metric: "failed", value: String(error) });
    }
}

console.table(rows);
process.exit(0);
