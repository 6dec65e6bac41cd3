import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import webpush from "web-push";

export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

export type VapidSource = {
    publicKey: string | undefined;
    privateKey: string | undefined;
    subject: string;
    dataDir: string;
    /** Production brings its own keys (the config refuses to start without them). */
    allowGenerated: boolean;
};

/**
 * The application server's VAPID key pair: from env, or in development generated once into
 * `<DATA_DIR>/vapid.json` (a new pair would invalidate every browser subscription made with the
 * old public key, so it is kept).
 */
export function resolveVapidKeys(source: VapidSource): VapidKeys {
    if (source.publicKey && source.privateKey) {
        return {
            publicKey: source.publicKey,
            privateKey: source.privateKey,
            subject: source.subject,
        };
    }
    if (!source.allowGenerated) {
        throw new Error("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are required in production");
    }
    const path = join(source.dataDir, "vapid.json");
    if (existsSync(path)) {
        const stored = JSON.parse(readFileSync(path, "utf8")) as Partial<VapidKeys>;
        if (stored.publicKey && stored.privateKey) {
            return {
                publicKey: stored.publicKey,
                privateKey: stored.privateKey,
                subject: source.subject,
            };
        }
    }
    const generated = webpush.generateVAPIDKeys();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    return { ...generated, subject: source.subject };
}
