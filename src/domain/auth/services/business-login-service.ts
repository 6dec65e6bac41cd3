import type { Address, Hex, PublicClient } from "viem";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { isChainUnavailable, rethrowChainUnavailable } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { TokenService } from "../../../infrastructure/sessions";
import type { SiweNonceService } from "./siwe-nonce-service";

const invalidMessage = () => new ApiError(400, "invalid_siwe_message", "Invalid SIWE message");

/**
 * Merchant dashboard login with Sign-In with Ethereum: the message's domain must be the request's
 * Origin host (port included), its time window current, its nonce one we issued and unused; the
 * signature is checked on-chain-aware (EOA, ERC-1271 deployed wallet, ERC-6492 counterfactual).
 */
export class BusinessLoginService {
    constructor(
        private readonly publicClient: PublicClient,
        private readonly nonces: SiweNonceService,
        private readonly tokens: TokenService,
    ) {}

    issueNonce(): Promise<{ nonce: string; expiresAt: number }> {
        return this.nonces.issue();
    }

    async login(input: {
        message: string;
        signature: Hex;
        origin: string | undefined;
    }): Promise<{ token: string; wallet: Address; expiresAt: number }> {
        const domain = hostOf(input.origin);
        const siwe = parseSiweMessage(input.message);
        if (!siwe.address || !siwe.nonce) throw invalidMessage();
        if (!validateSiweMessage({ message: siwe, domain, time: new Date() })) {
            throw invalidMessage();
        }
        const valid = await this.publicClient
            .verifyMessage({
                address: siwe.address,
                message: input.message,
                signature: input.signature,
            })
            // An unreachable node is a 503, not a wrong signature.
            .catch((error: unknown) =>
                isChainUnavailable(error) ? rethrowChainUnavailable(error) : false,
            );
        if (!valid) throw new ApiError(400, "invalid_signature", "Invalid signature");
        // Consumed after the signature check, so only the signer can use up its nonce.
        if (!(await this.nonces.consume(siwe.nonce))) throw invalidMessage();
        const { token, expiresAt } = await this.tokens.signBusiness(siwe.address, {
            message: input.message,
            signature: input.signature,
        });
        return { token, wallet: siwe.address, expiresAt };
    }
}

/** The Origin's host with its port, as EIP-4361 `domain` carries it. */
function hostOf(origin: string | undefined): string {
    if (!origin) throw new ApiError(400, "missing_origin", "Missing Origin header");
    try {
        const host = new URL(origin).host;
        if (host) return host;
    } catch {}
    throw new ApiError(400, "invalid_origin", "Invalid Origin header");
}
