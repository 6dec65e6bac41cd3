import type { Address, Hex, PublicClient } from "viem";
import { isChainUnavailable, rethrowChainUnavailable } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { ChallengeService } from "./challenge-service";
import type { EcdsaWalletAuth, WalletSessionIssuer } from "./wallet-session-issuer";

/** The exact text the wallet app asks an EOA signer to sign (the seed's wording). */
export function ecdsaLoginMessage(challenge: string): string {
    return `I want to connect to Frak and I accept the CGU.\n Verification code:${challenge}`;
}

/**
 * Login with an EOA signer (`/auth/ecdsaLogin`): the signature must cover a challenge we issued
 * (consumed here); the session's wallet is the signer's counterfactual ECDSA smart wallet.
 */
export class EcdsaLoginService {
    constructor(
        private readonly publicClient: PublicClient,
        private readonly challenges: ChallengeService,
        private readonly issuer: WalletSessionIssuer,
        private readonly ecdsaWalletAddress: (signer: Address) => Address,
    ) {}

    async login(input: {
        expectedChallenge: string;
        wallet: Address;
        signature: Hex;
        demoPkey?: Hex;
    }): Promise<EcdsaWalletAuth> {
        const valid = await this.publicClient
            .verifyMessage({
                address: input.wallet,
                message: ecdsaLoginMessage(input.expectedChallenge),
                signature: input.signature,
            })
            // An unreachable node is a 503, not a wrong signature.
            .catch((error: unknown) =>
                isChainUnavailable(error) ? rethrowChainUnavailable(error) : false,
            );
        if (!valid || !(await this.challenges.consume(input.expectedChallenge))) {
            throw new ApiError(404, "invalid_signature", "Invalid signature");
        }
        return this.issuer.ecdsa({
            address: this.ecdsaWalletAddress(input.wallet),
            signer: input.wallet,
            demoPkey: input.demoPkey,
        });
    }
}
