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

export type PurchaseRef = { token: string; externalPurchaseId: string };

export type OraclePort = {
    proofs: {
        forPurchaseToken(query: PurchaseRef): Promise<PurchaseProofLookup>;
        /** One result per ref, in order, from one look-up of all of them. */
        forPurchaseTokens(refs: readonly PurchaseRef[]): Promise<PurchaseProofLookup[]>;
        /** The products of the refs' known purchases. */
        productIdsOf(refs: readonly PurchaseRef[]): Promise<Hex[]>;
    };
};
