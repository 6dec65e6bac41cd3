/**
 * The chain's side of the executor's exactly-once delivery (see InteractionExecutor): each
 * interaction's outcome is read from the chain, never assumed for its batch, and recorded in one
 * transaction (pushed, failed with its backoff, or back to `simulated`). Settles a batch from its
 * receipt's events; reconciles a batch left open by a crash or a refused send from the
 * InteractionHandled events of its ids; and looks up, on a retired legacy contract, the rows that
 * may have reached it.
 */
import {
    type Address,
    getAbiItem,
    type Hex,
    type Log,
    pad,
    slice,
    type TransactionReceipt,
    toEventSelector,
    toHex,
} from "viem";
import {
    type ChainClients,
    decodeRejectionReason,
    legacyProductInteractionAbi,
    productInteractionAbi,
} from "../../../infrastructure/blockchain";
import type { Logger } from "../../../infrastructure/logger";
import type { Database, Executor } from "../../../infrastructure/persistence";
import type {
    InteractionBatch,
    InteractionBatchesRepository,
} from "../repositories/interaction-batches-repository";
import type { InteractionChainReader } from "../repositories/interaction-chain-reader";
import type {
    Failure,
    FailureStatus,
    PendingInteraction,
    PendingInteractionsRepository,
} from "../repositories/pending-interactions-repository";
import type {
    OnChainInclusion,
    PushedInteractionsRepository,
} from "../repositories/pushed-interactions-repository";
import { ALREADY_HANDLED, failureStatusOfRejection } from "./interaction-outcomes";
import { retryDelayMs } from "./retry-schedule";

export type InteractionBatchReconcilerDeps = {
    db: Database;
    clients: ChainClients;
    chain: InteractionChainReader;
    pending: PendingInteractionsRepository;
    pushed: PushedInteractionsRepository;
    batches: InteractionBatchesRepository;
    logger: Logger;
};

/** How long a run waits for a receipt before leaving the batch to reconciliation. */
export const RECEIPT_TIMEOUT_MS = 120_000;

export type ExecutionReport = { batches: number; pushed: number; failed: number };

/** Both versions' events: the id (bytes32 or uint256) is their first indexed topic. */
const HANDLED_TOPICS = new Set<Hex>([
    toEventSelector(getAbiItem({ abi: productInteractionAbi, name: "InteractionHandled" })),
    toEventSelector(getAbiItem({ abi: legacyProductInteractionAbi, name: "InteractionHandled" })),
]);
const REJECTED_TOPICS = new Set<Hex>([
    toEventSelector(getAbiItem({ abi: productInteractionAbi, name: "InteractionRejected" })),
    toEventSelector(getAbiItem({ abi: legacyProductInteractionAbi, name: "InteractionRejected" })),
]);

/** The id a row carries on-chain, as a topic: its sequence, or (legacy) its interaction id. */
function chainKeyOf(row: PendingInteraction): Hex {
    return row.sequence === null
        ? (row.interactionId.toLowerCase() as Hex)
        : pad(toHex(row.sequence), { size: 32 });
}

export class InteractionBatchReconciler {
    constructor(private readonly deps: InteractionBatchReconcilerDeps) {}

    /**
     * Rows that may have reached the retired legacy contract (no sequence yet): those it handled
     * are recorded as pushed there; the others are returned, to go to the new contract.
     */
    async settleOnRetired(
        tx: Executor,
        retired: Address,
        rows: PendingInteraction[],
        report: ExecutionReport,
    ): Promise<PendingInteraction[]> {
        const candidates = rows.filter((row) => row.sequence === null);
        const handledIds = await this.deps.chain.legacyHandled(
            retired,
            candidates.map((row) => row.interactionId),
        );
        if (handledIds.size === 0) return rows;
        const handledRows = candidates.filter((row) =>
            handledIds.has(row.interactionId.toLowerCase() as Hex),
        );
        const inclusions = await this.findHandled(retired, handledRows, 0n);
        if (inclusions.size !== handledRows.length) {
            throw new Error("retired interaction contract: handled ids without their event");
        }
        await this.markPushed(tx, handledRows, inclusions);
        report.pushed += handledRows.length;
        this.deps.logger.info(
            { pushed: handledRows.length },
            "interactions found handled on the retired interaction contract",
        );
        return rows.filter((row) => !handledIds.has(row.interactionId.toLowerCase() as Hex));
    }

    /** Each interaction's outcome comes from the receipt's events, never from the batch's status. */
    async applyReceipt(
        batch: InteractionBatch,
        rows: PendingInteraction[],
        contract: Address,
        receipt: TransactionReceipt,
        report: ExecutionReport,
    ): Promise<void> {
        const handled = new Map<Hex, OnChainInclusion>();
        const rejected = new Map<Hex, string>();
        if (receipt.status === "success") {
            // The id is the first indexed topic of both events: a batch's hundreds of
            // InteractionHandled logs are read from their topics, not ABI-decoded one by one;
            // a rejection's only data is its 4-byte reason (the first word).
            for (const log of receipt.logs) {
                if (log.address.toLowerCase() !== contract.toLowerCase()) continue;
                const id = log.topics[1]?.toLowerCase() as Hex | undefined;
                const topic = log.topics[0] as Hex | undefined;
                if (!id || !topic) continue;
                if (HANDLED_TOPICS.has(topic)) {
                    handled.set(id, {
                        txHash: receipt.transactionHash,
                        blockNumber: receipt.blockNumber,
                    });
                } else if (REJECTED_TOPICS.has(topic)) {
                    rejected.set(id, decodeRejectionReason(slice((log as Log).data, 0, 4)));
                }
            }
        }
        const alreadyHandled = rows.filter(
            (row) => rejected.get(chainKeyOf(row)) === ALREADY_HANDLED,
        );
        for (const [id, inclusion] of await this.findHandled(
            contract,
            alreadyHandled,
            batch.fromBlock,
        )) {
            handled.set(id, inclusion);
        }
        // Accepted before this batch's first block (e.g. someone replayed an older signed batch
        // once the item could pass): looked up over the whole chain, for these few ids only.
        const acceptedEarlier = alreadyHandled.filter((row) => !handled.has(chainKeyOf(row)));
        for (const [id, inclusion] of await this.findHandled(contract, acceptedEarlier, 0n)) {
            handled.set(id, inclusion);
        }
        // A legacy contract retired while this batch was on its way rejects every item: they
        // go back to the queue at once, for the new contract (the retired one accepts nothing).
        const retiredMeanwhile =
            rows.some((row) => rejected.get(chainKeyOf(row)) === "NoValidSession") &&
            (await this.isRetired(contract, rows[0] as PendingInteraction));
        await this.deps.db.transaction(async (tx) => {
            const accepted = rows.filter((row) => handled.has(chainKeyOf(row)));
            await this.markPushed(tx, accepted, handled);
            const notAccepted = rows.filter((row) => !handled.has(chainKeyOf(row)));
            if (retiredMeanwhile) {
                await this.deps.pending.setStatus(
                    tx,
                    notAccepted.map((row) => row.id),
                    "simulated",
                    ["executing"],
                );
            } else {
                const now = Date.now();
                await this.deps.pending.markFailures(
                    tx,
                    notAccepted.map((row) => {
                        const reason = rejected.get(chainKeyOf(row));
                        return reason === undefined
                            ? failureOf(row, "execution_failed", "Batch transaction reverted", now)
                            : failureOf(
                                  row,
                                  failureStatusOfRejection(reason),
                                  `Rejected on-chain: ${reason}`,
                                  now,
                              );
                    }),
                );
            }
            await this.deps.batches.complete(tx, batch.id);
            report.pushed += accepted.length;
            if (!retiredMeanwhile) report.failed += notAccepted.length;
        });
    }

    /** Whether `contract` is the retired legacy contract of the row's product (fresh read). */
    private async isRetired(contract: Address, row: PendingInteraction): Promise<boolean> {
        this.deps.chain.forget(row.productId);
        const target = await this.deps.chain.interactionTarget(row.productId);
        return target?.retired?.toLowerCase() === contract.toLowerCase();
    }

    /** Batches left open by a crash (or a missing receipt) are settled from the chain first. */
    async reconcileOpenBatches(report: ExecutionReport): Promise<void> {
        for (const batch of await this.deps.batches.open(this.deps.db)) {
            await this.reconcile(batch, report, "simulated");
        }
    }

    /**
     * Settles one open batch: by its receipt when mined; by waiting when it is still in the
     * mempool; otherwise by the InteractionHandled events of its ids (pushed), the others going
     * to `unsent` (`simulated` to be sent again after a crash, or `execution_failed` after a
     * refused send).
     */
    async reconcile(
        batch: InteractionBatch,
        report: ExecutionReport,
        unsent: "simulated" | "execution_failed",
    ): Promise<void> {
        const { db, pending, clients, chain } = this.deps;
        const rows = await pending.ofBatch(db, batch.id);
        const first = rows[0];
        // The contract the batch was sent to (a product's contract may have changed since).
        const contract = first
            ? ((batch.contract as Address | null) ??
              (await chain.interactionContractOf(first.productId)))
            : null;
        if (!first || !contract) {
            await this.deps.batches.complete(db, batch.id);
            return;
        }
        const hash = batch.txHash as Hex;
        let receipt = await clients.publicClient.getTransactionReceipt({ hash }).catch(() => null);
        if (!receipt) {
            const known = await clients.publicClient.getTransaction({ hash }).catch(() => null);
            if (known) {
                receipt = await clients.publicClient
                    .waitForTransactionReceipt({
                        hash,
                        timeout: RECEIPT_TIMEOUT_MS,
                    })
                    .catch(() => null);
                if (!receipt) return; // still pending: the next run looks again
            }
        }
        if (receipt) {
            await this.applyReceipt(batch, rows, contract, receipt, report);
            return;
        }
        const handled = await this.findHandled(contract, rows, batch.fromBlock);
        await db.transaction(async (tx) => {
            const accepted = rows.filter((row) => handled.has(chainKeyOf(row)));
            await this.markPushed(tx, accepted, handled);
            const others = rows.filter((row) => !handled.has(chainKeyOf(row)));
            if (unsent === "simulated") {
                await pending.setStatus(
                    tx,
                    others.map((row) => row.id),
                    "simulated",
                    ["executing"],
                );
            } else {
                await this.fail(
                    tx,
                    others,
                    "execution_failed",
                    "Failed to push transaction on-chain",
                );
            }
            await this.deps.batches.complete(tx, batch.id);
            report.pushed += accepted.length;
        });
        this.deps.logger.info(
            { batch: batch.id, pushed: handled.size, resent: rows.length - handled.size },
            "interaction batch reconciled from chain events",
        );
    }

    /** InteractionHandled events of these rows' on-chain ids since `fromBlock`, by chain key. */
    private async findHandled(
        contract: Address,
        rows: PendingInteraction[],
        fromBlock: bigint,
    ): Promise<Map<Hex, OnChainInclusion>> {
        const found = new Map<Hex, OnChainInclusion>();
        const sequences = rows.flatMap((row) => (row.sequence === null ? [] : [row.sequence]));
        const legacyIds = rows.flatMap((row) => (row.sequence === null ? [row.interactionId] : []));
        const { publicClient } = this.deps.clients;
        const logs = [
            ...(sequences.length === 0
                ? []
                : await publicClient.getContractEvents({
                      address: contract,
                      abi: productInteractionAbi,
                      eventName: "InteractionHandled",
                      args: { id: sequences },
                      fromBlock,
                      toBlock: "latest",
                  })),
            ...(legacyIds.length === 0
                ? []
                : await publicClient.getContractEvents({
                      address: contract,
                      abi: legacyProductInteractionAbi,
                      eventName: "InteractionHandled",
                      args: { id: legacyIds },
                      fromBlock,
                      toBlock: "latest",
                  })),
        ];
        for (const log of logs) {
            const key = log.topics[1]?.toLowerCase() as Hex | undefined;
            if (!key || log.transactionHash === null || log.blockNumber === null) continue;
            found.set(key, { txHash: log.transactionHash, blockNumber: log.blockNumber });
        }
        return found;
    }

    private async markPushed(
        tx: Executor,
        rows: PendingInteraction[],
        inclusions: Map<Hex, OnChainInclusion>,
    ): Promise<void> {
        if (rows.length === 0) return;
        await this.deps.pushed.insert(
            tx,
            rows.map((row) => ({
                row,
                // Batches of ProductInteraction are signed as a whole: no per-item signature.
                signature: row.signature ?? "0x",
                inclusion: inclusions.get(chainKeyOf(row)) as OnChainInclusion,
            })),
        );
        await this.deps.pending.delete(
            tx,
            rows.map((row) => row.id),
        );
    }

    async fail(
        tx: Executor,
        rows: PendingInteraction[],
        status: FailureStatus,
        reason: string,
    ): Promise<void> {
        const now = Date.now();
        await this.deps.pending.markFailures(
            tx,
            rows.map((row) => failureOf(row, status, reason, now)),
        );
    }
}

/** The row's next failure: one more retry, due after the status's backoff. */
function failureOf(
    row: PendingInteraction,
    status: FailureStatus,
    reason: string,
    now: number,
): { id: number } & Failure {
    const retryCount = row.retryCount + 1;
    return {
        id: row.id,
        status,
        reason,
        retryCount,
        nextRetryAt: new Date(now + retryDelayMs(status, retryCount)),
    };
}
