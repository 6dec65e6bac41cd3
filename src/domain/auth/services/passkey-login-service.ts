import { type Address, type Hex, isAddressEqual } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { TokenService } from "../../../infrastructure/sessions";
import type {
    AuthenticatorRepository,
    StoredAuthenticator,
} from "../repositories/authenticator-repository";
import type { ChallengeService } from "./challenge-service";
import { decodePasskeyAssertion, type PasskeyAssertionVerifier } from "./passkey-assertion";
import type { WalletSessionIssuer, WebAuthnWalletAuth } from "./wallet-session-issuer";

/** The wallet a passkey controls: the one recorded at registration, else its own. */
export type WalletAddressOf = (authenticator: StoredAuthenticator) => Address;

/**
 * Passkey logins (`/auth/login`) and SDK tokens from a passkey signature: the assertion must sign
 * a challenge we issued (consumed here, so a replay fails), with an allowed RP id and origin, a
 * valid signature of the registered key and a counter that moves forward.
 */
export class PasskeyLoginService {
    constructor(
        private readonly authenticators: AuthenticatorRepository,
        private readonly verifier: PasskeyAssertionVerifier,
        private readonly challenges: ChallengeService,
        private readonly issuer: WalletSessionIssuer,
        private readonly tokens: TokenService,
        private readonly walletAddressOf: WalletAddressOf,
    ) {}

    async login(input: {
        expectedChallenge: Hex;
        authenticatorResponse: string;
    }): Promise<WebAuthnWalletAuth> {
        const authenticator = await this.authenticate(
            input.authenticatorResponse,
            input.expectedChallenge,
        );
        if (!authenticator) throw new ApiError(404, "invalid_signature", "Invalid signature");
        return this.issuer.webAuthn({
            address: this.walletAddressOf(authenticator),
            authenticatorId: authenticator.credentialId,
            publicKey: authenticator.publicKey,
            transports: authenticator.transports,
        });
    }

    async sdkTokenFromSignature(input: {
        challenge: Hex;
        signature: string;
        wallet: Address;
    }): Promise<{ token: string; expires: number }> {
        const authenticator = await this.authenticate(input.signature, input.challenge);
        const address = authenticator ? this.walletAddressOf(authenticator) : undefined;
        if (!address || !isAddressEqual(address, input.wallet)) {
            throw new ApiError(403, "invalid_signature", "Invalid signature");
        }
        return this.tokens.signSdk(address);
    }

    /** The authenticator that validly signed `challenge`, or null; consumes the challenge. */
    private async authenticate(
        encoded: string,
        challenge: Hex,
    ): Promise<StoredAuthenticator | null> {
        const assertion = decodePasskeyAssertion(encoded);
        if (!assertion) return null;
        const authenticator = await this.authenticators.findById(assertion.credentialId);
        if (!authenticator) return null;
        const check = await this.verifier.verify(assertion, {
            publicKey: authenticator.publicKey,
            challenge,
            storedCounter: authenticator.counter,
        });
        if (!check.verified) return null;
        // Verified first, consumed second: only a valid signer can use up a challenge.
        if (!(await this.challenges.consume(challenge))) return null;
        if (check.counter > 0) {
            // Conditional update: a concurrent login that stored a higher counter wins, we refuse.
            const advanced = await this.authenticators.advanceCounter(
                authenticator.credentialId,
                check.counter,
            );
            if (!advanced) return null;
        }
        return authenticator;
    }
}
