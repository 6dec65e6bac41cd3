/** Public door of the wallet domain. */
export { createWalletDomain } from "./context";
export type { FiatPrice, PricingProvider } from "./services/pricing";
export type { TokenAmount } from "./services/token-amount";

import type { createWalletDomain } from "./context";

export type WalletDomain = ReturnType<typeof createWalletDomain>;
