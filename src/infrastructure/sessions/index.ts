export { BusinessSessionRepository } from "./business-session-repository";
export type {
    BusinessSession,
    DistantWebAuthnWalletSession,
    EcdsaWalletSession,
    SdkSession,
    WalletSession,
    WebAuthnWalletSession,
} from "./claims";
export { businessSessionsTable, walletSessionsTable } from "./db/schema";
export { SessionStateCache, sessionStateTtlMs } from "./session-state-cache";
export {
    type PendingRevocations,
    type SdkTokenParent,
    TokenService,
    type TokenServiceOptions,
} from "./token-service";
export { WalletSessionRepository } from "./wallet-session-repository";
