/**
 * Writes src/utils/keccak-f1600.generated.ts (formatted by Biome):
 *   bun scripts/generate-keccak-f1600.ts           regenerate the committed file
 *   bun scripts/generate-keccak-f1600.ts --check   fail when the committed file differs (CI)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Generates an unrolled keccak-f[1600] over 50 uint32 words (lane i = words 2i (low), 2i+1 (high)).
const R = [
    [0, 36, 3, 41, 18],
    [1, 44, 10, 45, 2],
    [62, 6, 43, 15, 61],
    [28, 55, 25, 21, 56],
    [27, 20, 39, 8, 14],
]; // R[x][y]
const RC = [
    0x0000000000000001n,
    0x0000000000008082n,
    0x800000000000808an,
    0x8000000080008000n,
    0x000000000000808bn,
    0x0000000080000001n,
    0x8000000080008081n,
    0x8000000000008009n,
    0x000000000000008an,
    0x0000000000000088n,
    0x0000000080008009n,
    0x000000008000000an,
    0x000000008000808bn,
    0x800000000000008bn,
    0x8000000000008089n,
    0x8000000000008003n,
    0x8000000000008002n,
    0x8000000000000080n,
    0x000000000000800an,
    0x800000008000000an,
    0x8000000080008081n,
    0x8000000000008080n,
    0x0000000080000001n,
    0x8000000080008008n,
];
const L: string[] = [];
const idx = (x: number, y: number) => x + 5 * y;
function rot(lo: string, hi: string, n: number): [string, string] {
    if (n === 0) return [lo, hi];
    if (n === 32) return [hi, lo];
    if (n < 32)
        return [
            `(${lo} << ${n}) | (${hi} >>> ${32 - n})`,
            `(${hi} << ${n}) | (${lo} >>> ${32 - n})`,
        ];
    const m = n - 32;
    return [`(${hi} << ${m}) | (${lo} >>> ${32 - m})`, `(${lo} << ${m}) | (${hi} >>> ${32 - m})`];
}
L.push(
    "// Generated (unrolled keccak-f[1600] permutation); checked against @noble/hashes in tests.",
);
L.push("// biome-ignore-all lint: generated code");
L.push(
    "const RC_LO = new Int32Array([" +
        RC.map((c) => Number(c & 0xffffffffn) | 0).join(", ") +
        "]);",
);
L.push("const RC_HI = new Int32Array([" + RC.map((c) => Number(c >> 32n) | 0).join(", ") + "]);");
L.push("");
L.push("/** keccak-f[1600] in place on the 25 lanes of `s` (little-endian 32-bit words). */");
L.push("export function keccakF1600(s: Uint32Array): void {");
const decl: string[] = [];
for (let i = 0; i < 25; i++)
    decl.push(`a${i}l = (s[${2 * i}] as number) | 0`, `a${i}h = (s[${2 * i + 1}] as number) | 0`);
L.push(`    let ${decl.join(",\n        ")};`);
L.push("    let c0l, c0h, c1l, c1h, c2l, c2h, c3l, c3h, c4l, c4h, dl, dh;");
const bdecl: string[] = [];
for (let i = 0; i < 25; i++) bdecl.push(`b${i}l`, `b${i}h`);
L.push(`    let ${bdecl.join(", ")};`);
L.push("    for (let round = 0; round < 24; round++) {");
for (let x = 0; x < 5; x++) {
    for (const p of ["l", "h"]) {
        L.push(
            `        c${x}${p} = ${[0, 1, 2, 3, 4].map((y) => `a${idx(x, y)}${p}`).join(" ^ ")};`,
        );
    }
}
for (let x = 0; x < 5; x++) {
    const xm = (x + 4) % 5,
        xp = (x + 1) % 5;
    const [rl, rh] = rot(`c${xp}l`, `c${xp}h`, 1);
    L.push(`        dl = c${xm}l ^ (${rl});`);
    L.push(`        dh = c${xm}h ^ (${rh});`);
    for (let y = 0; y < 5; y++) {
        L.push(`        a${idx(x, y)}l ^= dl; a${idx(x, y)}h ^= dh;`);
    }
}
for (let x = 0; x < 5; x++)
    for (let y = 0; y < 5; y++) {
        const X = y,
            Y = (2 * x + 3 * y) % 5;
        const [rl, rh] = rot(`a${idx(x, y)}l`, `a${idx(x, y)}h`, R[x]![y]!);
        L.push(`        b${idx(X, Y)}l = ${rl}; b${idx(X, Y)}h = ${rh};`);
    }
for (let y = 0; y < 5; y++)
    for (let x = 0; x < 5; x++) {
        const i = idx(x, y),
            i1 = idx((x + 1) % 5, y),
            i2 = idx((x + 2) % 5, y);
        L.push(
            `        a${i}l = b${i}l ^ (~b${i1}l & b${i2}l); a${i}h = b${i}h ^ (~b${i1}h & b${i2}h);`,
        );
    }
L.push("        a0l ^= RC_LO[round] as number; a0h ^= RC_HI[round] as number;");
L.push("    }");
for (let i = 0; i < 25; i++) L.push(`    s[${2 * i}] = a${i}l; s[${2 * i + 1}] = a${i}h;`);
L.push("}");
const target = join(import.meta.dir, "../src/utils/keccak-f1600.generated.ts");
const formatted = Bun.spawnSync(
    [join(import.meta.dir, "../node_modules/.bin/biome"), "format", `--stdin-file-path=${target}`],
    { stdin: new TextEncoder().encode(`${L.join("\n")}\n`), stdout: "pipe", stderr: "pipe" },
);
if (formatted.exitCode !== 0) throw new Error(`biome format failed: ${formatted.stderr}`);
const output = formatted.stdout.toString();
if (process.argv.includes("--check")) {
    if (readFileSync(target, "utf8") !== output) {
        console.error(
            `${target} differs from the generator: run bun scripts/generate-keccak-f1600.ts`,
        );
        process.exit(1);
    }
    console.log("keccak-f1600.generated.ts matches its generator");
} else {
    writeFileSync(target, output);
}
