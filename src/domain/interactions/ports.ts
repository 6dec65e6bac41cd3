import type { Hex } from "viem";

/** What the purchase tracker needs of the oracle domain (its public door provides it). */
export type PurchaseProofLookup =
    | {
          status: "success";
          productId: Hex;
          purchaseId: Hex | bigint;
          purchaseStatus: string;
          proof: readonly Hex[];
      }
    | { status: "not-found" | "not-processed" | "oracle-not-synced" | "no-proof-found" };

export type OraclePort = {
    proofs: {
        forPurchaseToken(query: {
            token: string;
            externalPurchaseId: string;
        }): Promise<PurchaseProofLookup>;
    };
};
