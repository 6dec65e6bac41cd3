import type { Address } from "viem";
import type { Deployment } from "../../../infrastructure/blockchain";

/** The seed's currency names; `usdc` is our mUSD test token (the seed's testnet mapping). */
export const STABLECOINS = ["eure", "gbpe", "usde", "usdc"] as const;
export type Stablecoin = (typeof STABLECOINS)[number];

export function tokenOf(deployment: Pick<Deployment, "tokens">, stablecoin: Stablecoin): Address {
    return stablecoin === "usdc" ? deployment.tokens.mUSD : deployment.tokens[stablecoin];
}
