import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/infrastructure/config";

describe("loadConfig", () => {
    test("defaults start the service on embedded PGlite, port 3030, running locally", () => {
        const config = loadConfig({});
        expect(config.port).toBe(3030);
        expect(config.database).toEqual({ kind: "pglite", dataDir: "./.data/pglite" });
        expect(config.isRunningLocally).toBe(true);
        expect(config.isRunningInProd).toBe(false);
    });

    test("the seed's MASTER_KEY_SECRET JSON is accepted", () => {
        const config = loadConfig({ MASTER_KEY_SECRET: '{"masterPrivateKey":"abcd"}' });
        expect(config.chain.masterKey).toBe("0xabcd");
    });

    test("DATABASE_URL selects PostgreSQL", () => {
        const config = loadConfig({ DATABASE_URL: "postgres://u@db:5432/app" });
        expect(config.database).toEqual({
            kind: "postgres",
            url: "postgres://u@db:5432/app",
            poolSize: 10,
        });
    });

    test("STAGE follows the seed: deployed stages are not local, prod and production are prod", () => {
        expect(loadConfig({ STAGE: "dev" }).isRunningLocally).toBe(false);
        expect(loadConfig({ STAGE: "staging" }).isRunningInProd).toBe(false);
        expect(loadConfig({ STAGE: "whatever" }).isRunningLocally).toBe(true);
        const prod = {
            STAGE: "production",
            DATABASE_URL: "postgres://u@db/app",
            JWT_SECRET: "w".repeat(32),
            JWT_SDK_SECRET: "s".repeat(32),
            JWT_BUSINESS_SECRET: "b".repeat(32),
            RPC_URL: "https://rpc.example",
            MASTER_KEY: `0x${"11".repeat(32)}`,
            VAPID_PUBLIC_KEY: "B".repeat(87),
            VAPID_PRIVATE_KEY: "p".repeat(43),
        };
        expect(loadConfig(prod).isRunningInProd).toBe(true);
        expect(loadConfig({ ...prod, STAGE: "prod" }).isRunningLocally).toBe(false);
        // The dashboards a SIWE message may name: the seed's hosts per stage, any local port.
        expect(loadConfig(prod).businessSiweDomains).toEqual(["business.frak.id"]);
        expect(loadConfig({ STAGE: "dev" }).businessSiweDomains).toEqual(["business-dev.frak.id"]);
        expect(loadConfig({}).businessSiweDomains).toEqual(["localhost:*"]);
        expect(
            loadConfig({ ...prod, BUSINESS_SIWE_DOMAINS: "Ads.Shop.example, localhost:3022" })
                .businessSiweDomains,
        ).toEqual(["ads.shop.example", "localhost:3022"]);
    });

    test("passkey user verification is required unless WEBAUTHN_USER_VERIFICATION=preferred", () => {
        expect(loadConfig({}).webauthn.requireUserVerification).toBe(true);
        expect(loadConfig({ WEBAUTHN_USER_VERIFICATION: "required" }).webauthn).toMatchObject({
            requireUserVerification: true,
        });
        expect(
            loadConfig({ WEBAUTHN_USER_VERIFICATION: "preferred" }).webauthn
                .requireUserVerification,
        ).toBe(false);
    });

    test.each([
        [{ PORT: "http" }, "PORT"],
        [{ PORT: "70000" }, "PORT"],
        [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
        [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
        [{ JWT_SECRET: "short" }, "JWT_SECRET"],
        [{ LEGACY_WALLET_TOKENS: "yes" }, "LEGACY_WALLET_TOKENS"],
        [{ STAGE: "prod" }, "JWT_SECRET"],
        [{ RPC_URL: "ftp://node" }, "RPC_URL"],
        [{ MASTER_KEY: "0x1234" }, "MASTER_KEY"],
        [{ WEBAUTHN_USER_VERIFICATION: "discouraged" }, "WEBAUTHN_USER_VERIFICATION"],
        [{ MASTER_KEY_SECRET: '{"masterPrivateKey": 12}' }, "MASTER_KEY_SECRET"],
    ])("an invalid environment %p names %s", (env, variable) => {
        expect(() => loadConfig(env)).toThrow(ConfigError);
        try {
            loadConfig(env);
        } catch (error) {
            expect((error as ConfigError).variable).toBe(variable);
            expect((error as Error).message).toContain(variable);
        }
    });
});

test("the process refuses to start on an invalid variable and names it", async () => {
    const child = Bun.spawn([process.execPath, "src/index.ts"], {
        env: { ...process.env, PORT: "not-a-port", DATABASE_URL: "" },
        stdout: "pipe",
        stderr: "pipe",
    });
    const exitCode = await child.exited;
    const stderr = await new Response(child.stderr).text();
    expect(exitCode).toBe(1);
    expect(stderr).toContain("Invalid environment variable PORT");
}, 30_000);

describe("every problem at once", () => {
    test("STAGE=prod names every missing variable in one message", () => {
        try {
            loadConfig({ STAGE: "prod", JWT_SDK_SECRET: "s".repeat(32) });
            throw new Error("loadConfig accepted a production stage without its secrets");
        } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            const { message, variables } = error as ConfigError;
            expect(message).toBe(
                "Missing environment variables for STAGE=prod: JWT_SECRET, JWT_BUSINESS_SECRET, DATABASE_URL, RPC_URL, MASTER_KEY or MASTER_KEY_SECRET, VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY",
            );
            expect(variables).not.toContain("JWT_SDK_SECRET");
        }
    });

    test("several invalid variables are all named", () => {
        try {
            loadConfig({ PORT: "http", LOG_LEVEL: "loud", RPC_URL: "ftp://node" });
            throw new Error("loadConfig accepted invalid variables");
        } catch (error) {
            expect((error as ConfigError).variables).toEqual(["PORT", "LOG_LEVEL", "RPC_URL"]);
            for (const name of ["PORT", "LOG_LEVEL", "RPC_URL"]) {
                expect((error as Error).message).toContain(`  ${name}: `);
            }
        }
    });
});

test("the process in STAGE=prod refuses to start and lists what is missing on one line", async () => {
    const child = Bun.spawn([process.execPath, "src/index.ts"], {
        env: { PATH: process.env.PATH, STAGE: "production" },
        stdout: "pipe",
        stderr: "pipe",
    });
    const exitCode = await child.exited;
    const stderr = (await new Response(child.stderr).text()).trim();
    expect(exitCode).toBe(1);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain("JWT_BUSINESS_SECRET, DATABASE_URL, RPC_URL, MASTER_KEY");
}, 30_000);
