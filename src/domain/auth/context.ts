import { Elysia } from "elysia";
import type { Address, Hex } from "viem";
import type { Infrastructure } from "../../infrastructure";
import { ecdsaWalletAddress, webAuthnWalletAddress } from "../../infrastructure/blockchain";
import type { SessionMacros } from "../../infrastructure/http";
import type { JobScheduler } from "../../infrastructure/jobs";
import {
    businessLoginRoutes,
    businessSessionRoutes,
    challengeRoutes,
    loginRoutes,
    registerRoutes,
    sdkRoutes,
    sessionRoutes,
} from "./api";
import type { AuthenticatorRepository } from "./repositories/authenticator-repository";
import { MongoAuthenticatorRepository } from "./repositories/mongo-authenticator-repository";
import { PostgresAuthenticatorRepository } from "./repositories/postgres-authenticator-repository";
import { SiweNonceRepository } from "./repositories/siwe-nonce-repository";
import { WebAuthnChallengeRepository } from "./repositories/webauthn-challenge-repository";
import { BusinessLoginService } from "./services/business-login-service";
import { BusinessSessionService } from "./services/business-session-service";
import { ChallengeService } from "./services/challenge-service";
import { DashboardHosts } from "./services/dashboard-hosts";
import { EcdsaLoginService } from "./services/ecdsa-login-service";
import { PasskeyAssertionVerifier } from "./services/passkey-assertion";
import { PasskeyLoginService } from "./services/passkey-login-service";
import { PasskeyRegistrationService } from "./services/passkey-registration-service";
import { RelyingParty } from "./services/relying-party";
import { SiweNonceService } from "./services/siwe-nonce-service";
import { WalletSessionIssuer } from "./services/wallet-session-issuer";
import { WalletSessionService } from "./services/wallet-session-service";

/**
 * Wires the auth domain: WebAuthn challenges, passkey registration and login, ECDSA login, SDK
 * tokens, wallet sessions, and the merchant dashboard's SIWE login.
 */
export function createAuthDomain(infra: Infrastructure, jobs: JobScheduler) {
    const { config, database, tokens, chain } = infra;
    const walletFactory = chain.deployment.walletFactory;
    const publicClient = chain.clients.publicClient;

    const authenticators: AuthenticatorRepository =
        config.authenticatorStore.kind === "mongo"
            ? new MongoAuthenticatorRepository(config.authenticatorStore.url)
            : new PostgresAuthenticatorRepository(database.db);
    const relyingParty = new RelyingParty(
        config.webauthn.rpIds,
        config.webauthn.origins,
        config.webauthn.requireUserVerification,
    );
    const challenges = new ChallengeService(new WebAuthnChallengeRepository(database.db));
    const nonces = new SiweNonceService(new SiweNonceRepository(database.db));
    const issuer = new WalletSessionIssuer(tokens);

    const passkeyWalletAddress = (credentialId: string, key: { x: Hex; y: Hex }): Address =>
        webAuthnWalletAddress({ walletFactory, credentialId, x: key.x, y: key.y });
    const passkeyLogins = new PasskeyLoginService(
        authenticators,
        new PasskeyAssertionVerifier(relyingParty),
        challenges,
        issuer,
        tokens,
        (authenticator) =>
            authenticator.smartWalletAddress ??
            passkeyWalletAddress(authenticator.credentialId, authenticator.publicKey),
    );
    const registrations = new PasskeyRegistrationService(
        authenticators,
        challenges,
        relyingParty,
        issuer,
        tokens,
        passkeyWalletAddress,
        (proof, wallet) => passkeyLogins.provesWallet(proof, wallet),
    );
    const ecdsaLogins = new EcdsaLoginService(publicClient, challenges, issuer, (owner) =>
        ecdsaWalletAddress({ walletFactory, owner }),
    );
    const businessLogins = new BusinessLoginService(
        publicClient,
        nonces,
        tokens,
        new DashboardHosts(config.businessSiweDomains),
        chain.clients.chain.id,
    );
    const sessions = new WalletSessionService(tokens);

    jobs.register({
        name: "auth.purgeExpiredChallenges",
        formerName: "purgeExpiredAuthChallenges",
        schedule: "0 23 * * * *",
        async run() {
            await challenges.purgeExpired();
            await nonces.purgeExpired();
        },
    });

    return {
        /** Mounted by `src/app.ts`; each route file declares its full paths. */
        routes: {
            /** `/wallet/auth/*`. */
            wallet: (macros: SessionMacros) =>
                new Elysia({ name: "auth-wallet-routes", seed: tokens.instanceId })
                    .use(challengeRoutes(challenges))
                    .use(loginRoutes(passkeyLogins, ecdsaLogins))
                    .use(registerRoutes(registrations))
                    .use(sdkRoutes(macros, sessions, passkeyLogins))
                    .use(sessionRoutes(sessions)),
            /** `/business/auth/{nonce,login,logout}`: first under `/business` (no session). */
            business: () =>
                new Elysia({ name: "auth-business-routes", seed: tokens.instanceId })
                    .use(businessLoginRoutes(businessLogins))
                    .use(businessSessionRoutes(new BusinessSessionService(tokens))),
        },
        /** The passkeys of a wallet (for other domains, e.g. pairing and signature options). */
        authenticatorsOfWallet: (wallet: Address) => authenticators.findByWallet(wallet),
        /** Closes the MongoDB client when that store is used. */
        close: () => authenticators.close(),
    };
}

export type AuthDomain = ReturnType<typeof createAuthDomain>;
