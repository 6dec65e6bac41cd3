import { type Hex, hexToBytes } from "viem";
import type { PurchaseStatus } from "./schema";

/**
 * The byte layout of a purchase's Merkle leaf, as stored in `oracle_purchase.leaf` and as the
 * PurchaseOracle contract hashes it: encodePacked(uint256 purchaseId, uint8 status). The one
 * place that knows it: the SQL that commits leaves is generated from these constants.
 */
export type { PurchaseStatus };

export const PURCHASE_LEAF_BYTES = 33;

/** The contract's PurchaseStatus enum: pending 0, confirmed (Completed) 1, cancelled 2, refunded 3. */
export const PURCHASE_STATUS_CODE: Readonly<Record<PurchaseStatus, number>> = {
    pending: 0,
    confirmed: 1,
    cancelled: 2,
    refunded: 3,
};

/** Statuses by code (the inverse of PURCHASE_STATUS_CODE). */
export const PURCHASE_STATUSES: readonly PurchaseStatus[] = (
    Object.entries(PURCHASE_STATUS_CODE) as [PurchaseStatus, number][]
)
    .sort((a, b) => a[1] - b[1])
    .map(([status]) => status);

export function purchaseLeafPreimage(purchaseId: Hex, status: PurchaseStatus): Uint8Array {
    const leaf = new Uint8Array(PURCHASE_LEAF_BYTES);
    leaf.set(hexToBytes(purchaseId, { size: 32 }), 0);
    leaf[32] = PURCHASE_STATUS_CODE[status];
    return leaf;
}

/** The status a committed leaf encodes (its last byte). */
export function statusOfLeaf(leaf: Uint8Array): PurchaseStatus {
    return PURCHASE_STATUSES[leaf[32] as number] ?? "pending";
}

/** SQL literal of each status's leaf byte, for the statement that commits leaves in place. */
export function statusByteLiterals(): Array<[PurchaseStatus, string]> {
    return PURCHASE_STATUSES.map((status) => [
        status,
        `'\\x${PURCHASE_STATUS_CODE[status].toString(16).padStart(2, "0")}'::bytea`,
    ]);
}
