import { randomUUID } from "node:crypto";
import { type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Address } from "viem";
import type { Executor } from "../persistence";
import type { BusinessSessionRepository } from "./business-session-repository";
import {
    type BusinessSession,
    businessClaimsCheck,
    type SdkSession,
    sdkClaimsCheck,
    type WalletSession,
    walletClaimsCheck,
} from "./claims";
import type { SessionStateCache } from "./session-state-cache";
import type { WalletSessionRepository } from "./wallet-session-repository";

const issuer = "frak.id";
const sevenDaysSeconds = 7 * 86_400;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TokenServiceOptions = {
    walletSecret: string;
    sdkSecret: string;
    businessSecret: string;
    /**
     * Secrets that signed tokens still in circulation, accepted for verification only, so a
     * secret can be rotated without logging everybody out.
     */
    previousSecrets?: { wallet?: string; sdk?: string; business?: string };
    walletSessionTtlSeconds: number;
    /** Seed-era wallet JWTs have neither `exp` nor `jti`; accept them only when told to. */
    acceptLegacyWalletTokens: boolean;
};

/** Where issued sessions are recorded and their state cached. */
export type SessionStores = {
    wallet: WalletSessionRepository;
    business: BusinessSessionRepository;
    states: SessionStateCache;
};

/** The wallet session an SDK token is derived from: it ends with it (see verifySdk). */
export type SdkTokenParent = { jti: string; exp: number };

/** Claims of a wallet session, without the registered claims we add when signing. */
type WalletSessionInput = DistributiveOmit<WalletSession, "iss" | "sub" | "iat" | "exp" | "jti">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Sessions revoked in a caller's transaction: announce them once it has committed. */
export type PendingRevocations = { count: number; announce(): Promise<void> };

const walletKey = (jti: string) => `wallet:${jti}`;
const businessKey = (jti: string) => `business:${jti}`;

/**
 * Signs and verifies the three JWT kinds (HS256, jose): wallet, SDK and business sessions.
 * Verification checks the signature, `exp`, `iss` and the claim shape, then revocation: wallet
 * and business sessions against their recorded `jti`, SDK tokens against the wallet session
 * they were minted from (`parentJti`), so that ending a session ends every token derived from it.
 */
export class TokenService {
    private readonly walletKey: Uint8Array;
    private readonly sdkKey: Uint8Array;
    private readonly businessKey: Uint8Array;
    private readonly walletKeys: Uint8Array[];
    private readonly sdkKeys: Uint8Array[];
    private readonly businessKeys: Uint8Array[];
    /** Distinguishes instances (Elysia de-duplicates plugins by name and seed). */
    readonly instanceId = randomUUID();

    constructor(
        private readonly options: TokenServiceOptions,
        private readonly sessions: SessionStores,
    ) {
        const encoder = new TextEncoder();
        this.walletKey = encoder.encode(options.walletSecret);
        this.sdkKey = encoder.encode(options.sdkSecret);
        this.businessKey = encoder.encode(options.businessSecret);
        const withPrevious = (current: Uint8Array, previous: string | undefined) =>
            previous ? [current, encoder.encode(previous)] : [current];
        this.walletKeys = withPrevious(this.walletKey, options.previousSecrets?.wallet);
        this.sdkKeys = withPrevious(this.sdkKey, options.previousSecrets?.sdk);
        this.businessKeys = withPrevious(this.businessKey, options.previousSecrets?.business);
    }

    /** Starts hearing the revocations of the other instances. */
    start(): Promise<void> {
        return this.sessions.states.start();
    }

    close(): Promise<void> {
        return this.sessions.states.stop();
    }

    async signWallet(claims: WalletSessionInput) {
        const jti = randomUUID();
        const now = Math.floor(Date.now() / 1000);
        const exp = now + this.options.walletSessionTtlSeconds;
        await this.sessions.wallet.record({
            jti,
            wallet: claims.address,
            type: claims.type ?? "webauthn",
            ...(claims.type === "distant-webauthn" ? { pairingId: claims.pairingId } : {}),
            expiresAt: new Date(exp * 1000),
        });
        const token = await sign({ ...claims, sub: claims.address }, this.walletKey, {
            iat: now,
            exp,
            jti,
        });
        return { token, jti, exp, expiresAt: exp * 1000 };
    }

    /**
     * An SDK token (7 days). With `parent`, it is revoked with that wallet session and never
     * outlives it; without (a fresh passkey assertion), it lives its 7 days.
     */
    async signSdk(
        address: Address,
        options: { additionalData?: { demoPkey?: `0x${string}` }; parent?: SdkTokenParent } = {},
    ) {
        const now = Math.floor(Date.now() / 1000);
        const exp = Math.min(
            now + sevenDaysSeconds,
            options.parent?.exp ?? Number.MAX_SAFE_INTEGER,
        );
        const claims: Record<string, unknown> = { address, scopes: ["interaction"], sub: address };
        const { additionalData, parent } = options;
        if (additionalData && Object.keys(additionalData).length > 0) {
            claims.additionalData = additionalData;
        }
        if (parent) claims.parentJti = parent.jti;
        const token = await sign(claims, this.sdkKey, { iat: now, exp });
        return { token, expires: exp * 1000 };
    }

    async signBusiness(wallet: Address, siwe?: { message: string; signature: `0x${string}` }) {
        const jti = randomUUID();
        const now = Math.floor(Date.now() / 1000);
        const exp = now + sevenDaysSeconds;
        await this.sessions.business.record({ jti, wallet, expiresAt: new Date(exp * 1000) });
        const claims: Record<string, unknown> = { wallet, sub: wallet };
        if (siwe) claims.siwe = siwe;
        const token = await sign(claims, this.businessKey, { iat: now, exp, jti });
        return { token, expiresAt: exp * 1000 };
    }

    /** The wallet session of a token, or null when it is invalid, expired or revoked. */
    async verifyWallet(token: string | undefined | null): Promise<WalletSession | null> {
        const checked = await this.checkWallet(token);
        return checked === "revoked" ? null : checked;
    }

    /**
     * Like verifyWallet, but tells a token of ours whose session ended ("revoked": logout, a
     * deleted pairing, an operator) from one that is not a valid session at all (null), so that
     * routes where a session is optional still answer 401 to a revoked one.
     */
    async checkWallet(token: string | undefined | null): Promise<WalletSession | "revoked" | null> {
        const claims = await verify(token, this.walletKeys, walletClaimsCheck);
        if (!claims) return null;
        if (claims.jti === undefined || claims.exp === undefined) {
            return this.options.acceptLegacyWalletTokens ? claims : null;
        }
        return (await this.isWalletSessionActive(claims.jti)) ? claims : "revoked";
    }

    /** The SDK session of a token; null when invalid, expired, or its wallet session ended. */
    async verifySdk(token: string | undefined | null): Promise<SdkSession | null> {
        const claims = await verify(token, this.sdkKeys, sdkClaimsCheck, { requireExp: true });
        if (!claims) return null;
        if (claims.parentJti === undefined) return claims;
        return (await this.isWalletSessionActive(claims.parentJti)) ? claims : null;
    }

    /** The merchant session of a token; null when invalid, expired, unrecorded or revoked. */
    async verifyBusiness(token: string | undefined | null): Promise<BusinessSession | null> {
        const checked = await this.checkBusiness(token);
        return checked === "revoked" ? null : checked;
    }

    /** Like verifyBusiness, telling a revoked (or unrecorded) session of ours from no session. */
    async checkBusiness(
        token: string | undefined | null,
    ): Promise<BusinessSession | "revoked" | null> {
        const claims = await verify(token, this.businessKeys, businessClaimsCheck, {
            requireExp: true,
        });
        const jti = claims?.jti;
        if (!claims || !jti || !uuidPattern.test(jti)) return null;
        const active = await this.sessions.states.isActive(businessKey(jti), () =>
            this.sessions.business.state(jti),
        );
        return active ? claims : "revoked";
    }

    /**
     * Whether `token` is an SDK token we signed whose only fault is its age (`exp` passed). The
     * seed's wallet asks `/auth/sdk/isValid` with its stored token and drops the whole wallet
     * session on a 401, so a lapsed token must read as "not valid", not as "unauthorized".
     */
    async isExpiredSdkToken(token: string | undefined | null): Promise<boolean> {
        if (!token || token.length > 8_192) return false;
        for (const key of this.sdkKeys) {
            try {
                await jwtVerify(token, await hmacKey(key), { algorithms: ["HS256"], issuer });
                return false;
            } catch (error) {
                if (error instanceof joseErrors.JWSSignatureVerificationFailed) continue;
                // jose checks the signature before the claims: JWTExpired means it is ours.
                return error instanceof joseErrors.JWTExpired;
            }
        }
        return false;
    }

    /** Revokes the wallet session of a token; false when it was not an active session. */
    async revokeWallet(token: string | undefined | null): Promise<boolean> {
        const claims = await verify(token, this.walletKeys, walletClaimsCheck);
        if (!claims?.jti || !uuidPattern.test(claims.jti)) return false;
        const revoked = await this.sessions.wallet.revoke(claims.jti);
        if (revoked) await this.sessions.states.announceRevoked([walletKey(claims.jti)]);
        return revoked;
    }

    /** Revokes the merchant session of a token; false when it was not an active session. */
    async revokeBusiness(token: string | undefined | null): Promise<boolean> {
        const claims = await verify(token, this.businessKeys, businessClaimsCheck);
        if (!claims?.jti || !uuidPattern.test(claims.jti)) return false;
        const revoked = await this.sessions.business.revoke(claims.jti);
        if (revoked) await this.sessions.states.announceRevoked([businessKey(claims.jti)]);
        return revoked;
    }

    /**
     * Revokes the desktop sessions issued through these pairings (and so their SDK tokens), in
     * the caller's transaction. Call `announce()` after the commit: the database already refuses
     * them, the announcement makes every instance's cache agree at once.
     */
    async revokePairingSessions(
        executor: Executor,
        pairingIds: string[],
    ): Promise<PendingRevocations> {
        const jtis = await this.sessions.wallet.revokeByPairing(executor, pairingIds);
        return {
            count: jtis.length,
            announce: () => this.sessions.states.announceRevoked(jtis.map(walletKey)),
        };
    }

    /**
     * Calls `listener` with the wallet session ids revoked on this instance or announced by
     * another (not those revoked straight in the database: verification catches them).
     */
    onWalletSessionsRevoked(listener: (jtis: string[]) => void): () => void {
        return this.sessions.states.onRevoked((keys) => {
            const jtis = keys.filter((key) => key.startsWith("wallet:")).map((key) => key.slice(7));
            if (jtis.length > 0) listener(jtis);
        });
    }

    private isWalletSessionActive(jti: string): Promise<boolean> {
        if (!uuidPattern.test(jti)) return Promise.resolve(false);
        return this.sessions.states.isActive(walletKey(jti), () => this.sessions.wallet.state(jti));
    }
}

async function sign(
    claims: Record<string, unknown>,
    key: Uint8Array,
    registered: { iat: number; exp: number; jti?: string },
): Promise<string> {
    const jwt = new SignJWT({ ...claims, iss: issuer } as JWTPayload)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuedAt(registered.iat)
        .setExpirationTime(registered.exp);
    if (registered.jti) jwt.setJti(registered.jti);
    return jwt.sign(key);
}

/**
 * HMAC keys imported once: given raw bytes, jose imports the key again on every verification,
 * which showed in the pairing socket's profile (each frame re-checks its session now and then).
 */
const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function hmacKey(key: Uint8Array): Promise<CryptoKey> {
    let imported = importedKeys.get(key);
    if (!imported) {
        imported = crypto.subtle.importKey(
            "raw",
            key as Uint8Array<ArrayBuffer>,
            { name: "HMAC", hash: "SHA-256" },
            false,
            ["verify"],
        );
        importedKeys.set(key, imported);
    }
    return imported;
}

async function verify<T>(
    token: string | undefined | null,
    keys: readonly Uint8Array[],
    check: { Check(value: unknown): value is T },
    options: { requireExp?: boolean } = {},
): Promise<T | null> {
    if (!token || token.length > 8_192) return null;
    for (const key of keys) {
        try {
            const { payload } = await jwtVerify(token, await hmacKey(key), {
                algorithms: ["HS256"],
                issuer,
                requiredClaims: options.requireExp ? ["exp"] : [],
            });
            return check.Check(payload) ? payload : null;
        } catch (error) {
            // Only a bad signature may be due to a rotated secret: try the previous one.
            if (error instanceof joseErrors.JWSSignatureVerificationFailed) continue;
            if (error instanceof joseErrors.JOSEError) return null;
            if (error instanceof TypeError) return null;
            throw error;
        }
    }
    return null;
}
