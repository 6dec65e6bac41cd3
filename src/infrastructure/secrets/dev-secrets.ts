import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Secrets a development instance generates once and keeps in `<DATA_DIR>/secrets.json`. */
export type DevSecrets = {
    jwtWallet: string;
    jwtSdk: string;
    jwtBusiness: string;
    /** 32-byte hex master key the backend's derived signers come from. */
    masterKey: `0x${string}`;
};

function generate(): DevSecrets {
    return {
        jwtWallet: randomBytes(32).toString("base64url"),
        jwtSdk: randomBytes(32).toString("base64url"),
        jwtBusiness: randomBytes(32).toString("base64url"),
        masterKey: `0x${randomBytes(32).toString("hex")}`,
    };
}

/**
 * Reads the development secrets file, creating it (readable by its owner only) on first start.
 * Missing fields in an older file are generated and written back, existing ones never change.
 */
export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
    const path = join(dataDir, "secrets.json");
    const fresh = generate();
    let stored: Partial<DevSecrets> = {};
    if (existsSync(path)) stored = JSON.parse(readFileSync(path, "utf8")) as Partial<DevSecrets>;
    const merged: DevSecrets = { ...fresh, ...stored };
    if (Object.keys(stored).length !== Object.keys(merged).length) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
        chmodSync(path, 0o600);
    }
    return merged;
}

/** Fresh random secrets kept in memory only (tests). */
export function ephemeralSecrets(): DevSecrets {
    return generate();
}
