import { randomUUID } from "node:crypto";
import { type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Address } from "viem";
import {
    type BusinessSession,
    businessClaimsCheck,
    type SdkSession,
    sdkClaimsCheck,
    type WalletSession,
    walletClaimsCheck,
} from "./claims";
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

/** Claims of a wallet session, without the registered claims we add when signing. */
type WalletSessionInput = DistributiveOmit<WalletSession, "iss" | "sub" | "iat" | "exp" | "jti">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Signs and verifies the three JWT kinds (HS256, jose): wallet, SDK and business sessions.
 * Verification checks the signature, `exp`, `iss` and the claim shape; wallet sessions are also
 * checked against the sessions table so that logout revokes them.
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
        private readonly walletSessions: WalletSessionRepository,
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

    async signWallet(claims: WalletSessionInput) {
        const jti = randomUUID();
        const now = Math.floor(Date.now() / 1000);
        const exp = now + this.options.walletSessionTtlSeconds;
        await this.walletSessions.record({
            jti,
            wallet: claims.address as Address,
            type: claims.type ?? "webauthn",
            expiresAt: new Date(exp * 1000),
        });
        const token = await sign({ ...claims, sub: claims.address }, this.walletKey, {
            iat: now,
            exp,
            jti,
        });
        return { token, jti, expiresAt: exp * 1000 };
    }

    async signSdk(address: Address, additionalData?: { demoPkey?: `0x${string}` }) {
        const now = Math.floor(Date.now() / 1000);
        const exp = now + sevenDaysSeconds;
        const claims: Record<string, unknown> = { address, scopes: ["interaction"], sub: address };
        if (additionalData && Object.keys(additionalData).length > 0) {
            claims.additionalData = additionalData;
        }
        const token = await sign(claims, this.sdkKey, { iat: now, exp });
        return { token, expires: exp * 1000 };
    }

    async signBusiness(wallet: Address, siwe?: { message: string; signature: `0x${string}` }) {
        const now = Math.floor(Date.now() / 1000);
        const exp = now + sevenDaysSeconds;
        const claims: Record<string, unknown> = { wallet, sub: wallet };
        if (siwe) claims.siwe = siwe;
        const token = await sign(claims, this.businessKey, { iat: now, exp });
        return { token, expiresAt: exp * 1000 };
    }

    /** The wallet session of a token, or null when it is invalid, expired or revoked. */
    async verifyWallet(token: string | undefined | null): Promise<WalletSession | null> {
        const claims = await verify(token, this.walletKeys, walletClaimsCheck);
        if (!claims) return null;
        if (claims.jti === undefined || claims.exp === undefined) {
            return this.options.acceptLegacyWalletTokens ? claims : null;
        }
        if (!uuidPattern.test(claims.jti)) return null;
        return (await this.walletSessions.isActive(claims.jti)) ? claims : null;
    }

    verifySdk(token: string | undefined | null): Promise<SdkSession | null> {
        return verify(token, this.sdkKeys, sdkClaimsCheck, { requireExp: true });
    }

    verifyBusiness(token: string | undefined | null): Promise<BusinessSession | null> {
        return verify(token, this.businessKeys, businessClaimsCheck, { requireExp: true });
    }

    /** Revokes the wallet session of a token; false when it was not an active session. */
    async revokeWallet(token: string | undefined | null): Promise<boolean> {
        const claims = await verify(token, this.walletKeys, walletClaimsCheck);
        if (!claims?.jti || !uuidPattern.test(claims.jti)) return false;
        return this.walletSessions.revoke(claims.jti);
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
