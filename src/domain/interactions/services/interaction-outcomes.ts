import type { Hex } from "viem";
import type { FailureStatus } from "../repositories/pending-interactions-repository";

/**
 * What a per-item rejection reason of an interaction contract (either version) means for the row: a missing session
 * waits for the wallet (no_session); everything else about the item itself (signature, signer
 * role, referral rules, purchase proof) goes back through simulation (failed). An already
 * handled id is not a failure: it is on-chain, and is resolved from its InteractionHandled log.
 */
export function failureStatusOfRejection(reason: string): FailureStatus {
    return reason === "NoValidSession" ? "no_session" : "failed";
}

export const ALREADY_HANDLED = "InteractionAlreadyHandled";

export type ItemOutcome =
    | { kind: "handled"; txHash: Hex; blockNumber: bigint }
    | { kind: "rejected"; reason: string };
