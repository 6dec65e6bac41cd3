import { type Hex, hexToBytes } from "viem";
import type { PurchaseStatus } from "../db/schema";

export type { PurchaseStatus };
export const PURCHASE_STATUSES: readonly PurchaseStatus[] = [
    "pending",
    "confirmed",
    "cancelled",
    "refunded",
];

/** The contract's PurchaseStatus enum: pending 0, confirmed (Completed) 1, cancelled 2, refunded 3. */
export const PURCHASE_STATUS_CODE: Record<PurchaseStatus, number> = {
    pending: 0,
    confirmed: 1,
    cancelled: 2,
    refunded: 3,
};

/** Leaf preimage = encodePacked(uint256 purchaseId, uint8 status): 33 bytes. */
export function purchaseLeafPreimage(purchaseId: Hex, status: PurchaseStatus): Uint8Array {
    const leaf = new Uint8Array(33);
    leaf.set(hexToBytes(purchaseId, { size: 32 }), 0);
    leaf[32] = PURCHASE_STATUS_CODE[status];
    return leaf;
}

/** The status a committed leaf encodes (its last byte). */
export function statusOfLeaf(leaf: Uint8Array): PurchaseStatus {
    return PURCHASE_STATUSES[leaf[32] as number] ?? "pending";
}
