import type { Address, Hex, PublicClient } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { isChainUnavailable, rethrowChainUnavailable } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { ErrorCode } from "../../../infrastructure/errors/error-codes";
import type { TokenService } from "../../../infrastructure/sessions";
import type { DashboardHosts } from "./dashboard-hosts";
import type { SiweNonceService } from "./siwe-nonce-service";

/** A message is accepted for 10 minutes after its `issuedAt` (the SDK stamps it when signing). */
const issuedAtWindowMs = 10 * 60_000;
/** How far in the future `issuedAt` may be: the signer's clock may run a little ahead of ours. */
const clockSkewMs = 2 * 60_000;

const invalidMessage = () => new ApiError("invalid_siwe_message", "Invalid SIWE message");
/** The 401s of a SIWE message that does not bind to this dashboard, this chain or now. */
type SiweRefusal = Extract<ErrorCode, `siwe_${string}`>;
const refused = (code: SiweRefusal, message: string) => new ApiError(code, message);

/**
 * Merchant dashboard login with Sign-In with Ethereum. A message signed for another website must
 * not log in here, whatever Origin its sender claims: its `domain` and `uri` host must be one of
 * our dashboard hosts, `domain` must also be the Origin host, `chainId` our chain, `issuedAt`
 * within 10 minutes, `expirationTime`/`notBefore` respected, and its nonce (ours or the SDK's)
 * never used before. The signature is checked on-chain-aware (EOA, ERC-1271, ERC-6492).
 */
export class BusinessLoginService {
    constructor(
        private readonly publicClient: PublicClient,
        private readonly nonces: SiweNonceService,
        private readonly tokens: TokenService,
        private readonly dashboardHosts: DashboardHosts,
        private readonly chainId: number,
    ) {}

    issueNonce(): Promise<{ nonce: string; expiresAt: number }> {
        return this.nonces.issue();
    }

    async login(input: {
        message: string;
        signature: Hex;
        origin: string | undefined;
    }): Promise<{ token: string; wallet: Address; expiresAt: number }> {
        const originHost = hostOf(input.origin);
        const siwe = parseSiweMessage(input.message);
        const { address, nonce, domain, uri, chainId, issuedAt } = siwe;
        if (!address || !nonce || !domain || !uri || chainId === undefined || !issuedAt) {
            throw invalidMessage();
        }
        if (Number.isNaN(issuedAt.getTime())) throw invalidMessage();

        if (!this.dashboardHosts.allows(domain)) {
            throw refused(
                "siwe_domain_not_allowed",
                "The SIWE domain is not one of our dashboards",
            );
        }
        const uriHost = httpHostOf(uri);
        if (!uriHost || !this.dashboardHosts.allows(uriHost)) {
            throw refused("siwe_uri_not_allowed", "The SIWE uri is not one of our dashboards");
        }
        if (domain.toLowerCase() !== originHost.toLowerCase()) {
            throw refused("siwe_origin_mismatch", "The SIWE domain is not the request's origin");
        }
        if (chainId !== this.chainId) {
            throw refused("siwe_chain_mismatch", `The SIWE chainId must be ${this.chainId}`);
        }
        const now = Date.now();
        if (issuedAt.getTime() > now + clockSkewMs || issuedAt.getTime() < now - issuedAtWindowMs) {
            throw refused(
                "siwe_issued_at_out_of_window",
                "The SIWE message must have been issued within the last 10 minutes",
            );
        }
        if (siwe.expirationTime && !(siwe.expirationTime.getTime() > now)) {
            throw refused("siwe_expired", "The SIWE message has expired");
        }
        if (siwe.notBefore && !(siwe.notBefore.getTime() <= now)) {
            throw refused("siwe_not_yet_valid", "The SIWE message is not valid yet");
        }

        const valid = await this.publicClient
            .verifyMessage({ address, message: input.message, signature: input.signature })
            // An unreachable node is a 503, not a wrong signature.
            .catch((error: unknown) =>
                isChainUnavailable(error) ? rethrowChainUnavailable(error) : false,
            );
        if (!valid) throw new ApiError("invalid_signature", "Invalid signature", { status: 400 });
        // Spent after the signature check, so only the signer can use up its nonce; the record
        // lives as long as the message could be accepted.
        const acceptableUntil = new Date(issuedAt.getTime() + issuedAtWindowMs);
        if (!(await this.nonces.spend(nonce, acceptableUntil))) {
            throw refused("siwe_nonce_used", "The SIWE nonce was already used");
        }
        const { token, expiresAt } = await this.tokens.signBusiness(address, {
            message: input.message,
            signature: input.signature,
        });
        return { token, wallet: address, expiresAt };
    }
}

/** The Origin's host with its port, as EIP-4361 `domain` carries it. */
function hostOf(origin: string | undefined): string {
    if (!origin) throw new ApiError("missing_origin", "Missing Origin header");
    try {
        const host = new URL(origin).host;
        if (host) return host;
    } catch {}
    throw new ApiError("invalid_origin", "Invalid Origin header");
}

/** The host (with a non-default port) of an http(s) URI, without user info; null otherwise. */
function httpHostOf(uri: string): string | null {
    try {
        const url = new URL(uri);
        if (url.protocol !== "https:" && url.protocol !== "http:") return null;
        if (url.username || url.password) return null;
        return url.host || null;
    } catch {
        return null;
    }
}
