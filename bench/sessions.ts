/**
 * Revocation checks: what verifying a wallet JWT and an SDK JWT (whose parent session must still
 * be active) costs with the per-instance 5 s cache of the database answer, against reading the
 * session row on every verification (what an uncached check would do), on the real database.
 * Counts the session-row reads per 1,000 verifications and the verifications per second.
 * Run alone with `bun bench/sessions.ts` (PGlite; DATABASE_URL for PostgreSQL).
 */
import { BusinessSessionRepository } from "../src/infrastructure/sessions/business-session-repository";
import { SessionStateCache } from "../src/infrastructure/sessions/session-state-cache";
import { TokenService } from "../src/infrastructure/sessions/token-service";
import { WalletSessionRepository } from "../src/infrastructure/sessions/wallet-session-repository";
import { startTestApp } from "../test/support/test-app";
import type { BenchRow } from "./bench-row";

const VERIFICATIONS = 20_000;
const IN_FLIGHT = 64;
const SESSIONS = 200;

/** The real repository, counting its reads. */
class CountingWalletSessions extends WalletSessionRepository {
    reads = 0;
    override state(jti: string) {
        this.reads++;
        return super.state(jti);
    }
}

async function measure(tokens: TokenService, sdkTokens: string[]) {
    let next = 0;
    const startedAt = performance.now();
    await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
            while (next < VERIFICATIONS) {
                const token = sdkTokens[next++ % sdkTokens.length] as string;
                if (!(await tokens.verifySdk(token))) throw new Error("refused");
            }
        }),
    );
    return VERIFICATIONS / ((performance.now() - startedAt) / 1000);
}

export async function runSessionsBench(): Promise<BenchRow[]> {
    const app = await startTestApp();
    try {
        const { db } = app.infra.database;
        const secrets = app.infra.secrets;
        const make = (ttlMs: number) => {
            const wallet = new CountingWalletSessions(db);
            const tokens = new TokenService(
                {
                    walletSecret: secrets.jwtWallet,
                    sdkSecret: secrets.jwtSdk,
                    businessSecret: secrets.jwtBusiness,
                    walletSessionTtlSeconds: 86_400,
                    acceptLegacyWalletTokens: false,
                },
                {
                    wallet,
                    business: new BusinessSessionRepository(db),
                    states: new SessionStateCache(null, undefined, ttlMs),
                },
            );
            return { wallet, tokens };
        };
        const cached = make(5_000);
        const uncached = make(0);
        const sdkTokens: string[] = [];
        for (let i = 0; i < SESSIONS; i++) {
            const address = `0x${(i + 1).toString(16).padStart(40, "0")}` as const;
            const parent = await cached.tokens.signWallet({
                type: "webauthn",
                address,
                authenticatorId: `bench-${i}`,
                publicKey: { x: `0x${"01".repeat(32)}`, y: `0x${"02".repeat(32)}` },
            });
            sdkTokens.push((await cached.tokens.signSdk(address, { parent })).token);
        }
        // Warm-up of both (JIT, key import, connections).
        await measure(uncached.tokens, sdkTokens);
        uncached.wallet.reads = 0;
        await measure(cached.tokens, sdkTokens);
        cached.wallet.reads = 0;

        const uncachedRate = await measure(uncached.tokens, sdkTokens);
        const uncachedReads = uncached.wallet.reads;
        const cachedRate = await measure(cached.tokens, sdkTokens);
        const cachedReads = cached.wallet.reads;
        const perThousand = (reads: number) => ((reads / VERIFICATIONS) * 1_000).toFixed(1);
        return [
            {
                area: "sessions",
                metric: `SDK JWT verifications/s (parent check, ${SESSIONS} sessions, ${IN_FLIGHT} in flight)`,
                value: cachedRate.toFixed(0),
                peer: `${uncachedRate.toFixed(0)} (row read every time)`,
                ratio: `${(cachedRate / uncachedRate).toFixed(1)}x`,
            },
            {
                area: "sessions",
                metric: "session-row reads per 1,000 verifications",
                value: perThousand(cachedReads),
                peer: `${perThousand(uncachedReads)} (row read every time)`,
                target: "at most one per session per 5 s",
            },
        ];
    } finally {
        await app.stop();
    }
}

if (import.meta.main) {
    console.table(await runSessionsBench());
    process.exit(0);
}
