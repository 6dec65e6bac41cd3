import type { Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { interactionsPushedTable } from "../db/schema";
import type { PendingInteraction } from "./pending-interactions-repository";

export type OnChainInclusion = { txHash: Hex; blockNumber: bigint };

/** History of interactions accepted on-chain. */
export class PushedInteractionsRepository {
    async insert(
        db: Executor,
        rows: Array<{ row: PendingInteraction; signature: Hex; inclusion: OnChainInclusion }>,
    ): Promise<void> {
        if (rows.length === 0) return;
        await db
            .insert(interactionsPushedTable)
            .values(
                rows.map(({ row, signature, inclusion }) => ({
                    interactionId: row.interactionId,
                    wallet: row.wallet,
                    productId: row.productId,
                    typeDenominator: row.typeDenominator,
                    interactionData: row.interactionData,
                    signature,
                    sequence: row.sequence,
                    source: row.source,
                    txHash: inclusion.txHash,
                    blockNumber: inclusion.blockNumber,
                    createdAt: row.createdAt,
                })),
            )
            // An id is accepted at most once on-chain, so a second insert is the same fact.
            .onConflictDoNothing({ target: interactionsPushedTable.interactionId });
    }
}
