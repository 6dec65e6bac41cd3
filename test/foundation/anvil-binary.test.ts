import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    ANVIL_PLATFORM_PACKAGES,
    AnvilNotFoundError,
    anvilBinaryPath,
} from "../../src/infrastructure/blockchain";

const scratch = mkdtempSync(join(tmpdir(), "anvil-binary-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("which anvil the local chain runs", () => {
    test("this machine's npm package when it is installed", () => {
        const platform = `${process.platform}-${process.arch}`;
        const binary = anvilBinaryPath({ PATH: "" }, platform);
        expect(binary).toContain(ANVIL_PLATFORM_PACKAGES[platform] ?? "no package");
        const version = Bun.spawnSync([binary, "--version"]);
        expect(version.stdout.toString()).toContain("anvil");
    });

    test("an anvil on PATH serves where no package is installed", () => {
        const fake = join(scratch, "anvil");
        writeFileSync(fake, "#!/bin/sh\n");
        chmodSync(fake, 0o755);
        expect(anvilBinaryPath({ PATH: `/nonexistent:${scratch}` }, "linux-riscv64")).toBe(fake);
        // A platform with a package that is not installed here falls back to PATH too.
        expect(anvilBinaryPath({ PATH: scratch }, "darwin-arm64")).toBe(fake);
    });

    test("a platform without package nor PATH entry gets a message saying what to do", () => {
        expect(() => anvilBinaryPath({ PATH: "" }, "freebsd-x64")).toThrow(AnvilNotFoundError);
        expect(() => anvilBinaryPath({ PATH: "" }, "freebsd-x64")).toThrow(
            /no npm package for freebsd-x64.*https:\/\/getfoundry\.sh.*RPC_URL/,
        );
        expect(() => anvilBinaryPath({ PATH: "" }, "darwin-arm64")).toThrow(
            /@foundry-rs\/anvil-darwin-arm64 is not installed/,
        );
    });

    test("ANVIL_BINARY wins, and a wrong one is named", () => {
        expect(anvilBinaryPath({ ANVIL_BINARY: join(scratch, "anvil") })).toBe(
            join(scratch, "anvil"),
        );
        expect(() => anvilBinaryPath({ ANVIL_BINARY: "/nope/anvil" })).toThrow(
            /ANVIL_BINARY.*\/nope\/anvil/,
        );
    });
});
