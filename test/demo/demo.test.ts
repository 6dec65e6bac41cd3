import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/** The steps `npm run demo` must walk, in order (scripts/demo.ts prints one line per step). */
const STEPS = [
    "merchant signs in with Ethereum (SIWE)",
    "merchant mints the product",
    "merchant funds the bank with test USDe and attaches a referral campaign",
    "merchant sets up the Shopify purchase oracle",
    "merchant sets up its interactions webhook",
    "wallet 1 registers a passkey",
    "wallet 1 shares a referral link",
    "wallet 2 registers a passkey",
    "wallet 2 arrives through the link: referred, mined on-chain",
    "wallet 2 checks out",
    "Shopify's signed orders/paid webhook arrives",
    "the purchase oracle's Merkle root goes on-chain",
    "the purchase.completed interaction is mined with its proof",
    "both wallets' rewards are on-chain",
    "both wallets claim",
];

let database: TestDatabase | undefined;
afterAll(() => database?.drop());

test("npm run demo walks the whole product through the public API and succeeds", async () => {
    // Its own database on the CI server when there is one (else PGlite in the demo's data dir).
    database = await createTestDatabase();
    const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
    };
    if (database.config.kind === "postgres") env.DEMO_DATABASE_URL = database.config.url;
    const demo = Bun.spawn([process.execPath, "scripts/demo.ts"], {
        cwd: join(import.meta.dir, "..", ".."),
        env,
        stdout: "pipe",
        stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
        new Response(demo.stdout).text(),
        new Response(demo.stderr).text(),
        demo.exited,
    ]);
    const report = `${stdout}\n${stderr}`;
    expect(code, report).toBe(0);
    const lines = stdout.split("\n").filter((line) => /^\[\s*\d+\]/.test(line));
    expect(lines, report).toHaveLength(STEPS.length);
    STEPS.forEach((title, index) => {
        expect(lines[index], report).toContain(title);
        expect(lines[index], report).toContain("... ok (");
    });
    // What the last steps read from the chain: each wallet was paid what the campaign promised.
    expect(lines[13]).toContain("referrer 4 USDe, referee 2 USDe");
    expect(lines[14]).toContain("balances 4 USDe and 2 USDe");
    expect(stdout).toContain(`demo: all ${STEPS.length} steps succeeded`);
}, 300_000);
