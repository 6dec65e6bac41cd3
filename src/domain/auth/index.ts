/** Public door of the auth domain: sessions, passkeys, SIWE. */
export { type AuthDomain, createAuthDomain } from "./context";
export type { StoredAuthenticator } from "./repositories/authenticator-repository";
export { ecdsaLoginMessage } from "./services/ecdsa-login-service";
