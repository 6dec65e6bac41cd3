export type {
    BusinessSession,
    DistantWebAuthnWalletSession,
    EcdsaWalletSession,
    SdkSession,
    WalletSession,
    WebAuthnWalletSession,
} from "./claims";
export { walletSessionsTable } from "./db/schema";
export { TokenService, type TokenServiceOptions } from "./token-service";
export { WalletSessionRepository } from "./wallet-session-repository";
