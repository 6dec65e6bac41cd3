/**
 * Pushes simulated interactions on-chain in batches, exactly once, crash-safe.
 *
 * Exactly-once comes from two mechanisms together:
 * 1. The contract rejects duplicates: every interaction carries a stable on-chain id, which the
 *    contract consumes when it accepts it and refuses afterwards (InteractionRejected with
 *    InteractionAlreadyHandled). On ProductInteraction the id is the product's sequential id
 *    (`sequence`, one bit of the contract's bitmap), given once when the row first joins a batch,
 *    in the transaction that records the batch's intent, and kept across retries; on a
 *    LegacyProductInteraction it is the row's random interaction_id. So however often an
 *    interaction is sent, it is accepted on-chain at most once.
 * 2. Intent before send, reconciliation from the chain: before broadcasting, one database
 *    transaction records the batch (its nonce, the hash of the already signed transaction, the
 *    block to scan from) and marks its rows `executing`. The hash is computed from the signed
 *    bytes, so it is known before the send. The outcome of each interaction is then read from the
 *    receipt's events (InteractionHandled / InteractionRejected), never assumed for the batch.
 *    A crash between the intent and the outcome leaves the batch open; the next run (one runner
 *    cluster-wide: the job's advisory lock) reconciles it first: the receipt of the recorded hash
 *    if it was mined; otherwise the InteractionHandled events of the batch's ids since its block
 *    (an id whose event exists is pushed, with that event's transaction), and the rest go back to
 *    `simulated` to be sent again (safe by 1. even if the old transaction is mined later).
 *
 * Upgraded products (legacy contract retired, see ProductInteractionManager): nothing goes to the
 * new contract while a batch on the retired one is open, and a row that may have reached the
 * retired contract (no sequence yet) is first looked up there; the retired contract accepts
 * nothing any more, so what it has not handled is safe to send to the new one.
 *
 * Nonces: this job is the only sender of the `interaction-executor` account and runs under its
 * advisory lock, so the chain's pending count is the next nonce (read per batch, not cached in
 * the process: another instance may have sent the previous batch).
 *
 * This file prepares, signs and sends a batch; reading each interaction's outcome from the chain
 * (receipts, reconciliation, the retired contract) is InteractionBatchReconciler's.
 */
import { randomUUID } from "node:crypto";
import {
    type Address,
    encodeFunctionData,
    type Hex,
    keccak256,
    type TransactionReceipt,
} from "viem";
import {
    type BackendSigners,
    type ChainClients,
    encodeInteractionItems,
    legacyProductInteractionAbi,
    productInteractionAbi,
    SIGNER_LABELS,
    signInteractionBatch,
    signInteractions,
} from "../../../infrastructure/blockchain";
import type { Logger } from "../../../infrastructure/logger";
import type { Database, Executor } from "../../../infrastructure/persistence";
import type {
    InteractionBatch,
    InteractionBatchesRepository,
} from "../repositories/interaction-batches-repository";
import type { InteractionChainReader } from "../repositories/interaction-chain-reader";
import type { InteractionSequencesRepository } from "../repositories/interaction-sequences-repository";
import type {
    PendingInteraction,
    PendingInteractionsRepository,
} from "../repositories/pending-interactions-repository";
import type { PushedInteractionsRepository } from "../repositories/pushed-interactions-repository";
import {
    type ExecutionReport,
    InteractionBatchReconciler,
    RECEIPT_TIMEOUT_MS,
} from "./interaction-batch-reconciler";

export type InteractionExecutorDeps = {
    db: Database;
    clients: ChainClients;
    signers: BackendSigners;
    chain: InteractionChainReader;
    pending: PendingInteractionsRepository;
    pushed: PushedInteractionsRepository;
    batches: InteractionBatchesRepository;
    sequences: InteractionSequencesRepository;
    logger: Logger;
    /** Interactions per on-chain transaction (seed: 200). */
    batchSize: number;
};

type PreparedBatch = {
    batch: InteractionBatch;
    rows: PendingInteraction[];
    contract: Address;
    serialized: Hex;
};

/**
 * What ProductInteraction's per-item gas check wants left before the last item
 * (INTERACTION_GAS, its 1/63 and 20k), plus 50k for state that moves between the dry run and
 * the mined block: a storage slot written for the first time (a new word of the handled-ids
 * bitmap, a first referral) costs about 20k more than the update the dry run may have seen.
 */
const PER_ITEM_HEADROOM = 1_000_000n + 1_000_000n / 63n + 20_000n + 50_000n;
/** Below a common 30M block gas limit. */
const BATCH_GAS_CAP = 29_000_000n;

export type { ExecutionReport };

export class InteractionExecutor {
    /** Whether to send with eth_sendRawTransactionSync (until the node refuses it). */
    private syncSend = true;

    /** Reads each interaction's outcome from the chain and records it. */
    private readonly reconciler: InteractionBatchReconciler;

    constructor(private readonly deps: InteractionExecutorDeps) {
        this.reconciler = new InteractionBatchReconciler(deps);
    }

    private get executor() {
        return this.deps.signers.account(SIGNER_LABELS.interactionExecutor);
    }

    /** One run: reconcile orphaned batches, then send batches until no simulated row is left. */
    async run(): Promise<ExecutionReport> {
        const report: ExecutionReport = { batches: 0, pushed: 0, failed: 0 };
        await this.reconciler.reconcileOpenBatches(report);
        for (;;) {
            const prepared = await this.prepareNextBatch(report);
            if (prepared === "empty") break;
            if (prepared === "skipped") continue;
            report.batches++;
            await this.sendAndSettle(prepared, report);
        }
        return report;
    }

    /** Claims rows, signs them and records the batch's intent (committed before any send). */
    private async prepareNextBatch(
        report: ExecutionReport,
    ): Promise<PreparedBatch | "empty" | "skipped"> {
        const { db, pending, batches, chain, clients } = this.deps;
        return db.transaction(async (tx) => {
            let rows = await pending.claimSimulated(tx, this.deps.batchSize);
            const first = rows[0];
            if (!first) return "empty" as const;
            const target = await chain.interactionTarget(first.productId);
            if (!target) {
                await this.reconciler.fail(
                    tx,
                    rows,
                    "failed",
                    "No interaction contract for the product",
                );
                report.failed += rows.length;
                return "skipped" as const;
            }
            if (target.retired) {
                // Drain the retired contract first: its open batches are settled before anything
                // goes to the new one (the next run looks again), then the rows that may have
                // reached it are looked up there.
                const open = await batches.open(tx);
                if (open.some((batch) => batch.contract === target.retired?.toLowerCase())) {
                    this.deps.logger.info(
                        { product: first.productId },
                        "a batch on the retired interaction contract is open: waiting for it",
                    );
                    return "empty" as const;
                }
                rows = await this.reconciler.settleOnRetired(tx, target.retired, rows, report);
                if (rows.length === 0) return "skipped" as const;
            }
            const productId = BigInt(first.productId);
            let data: Hex;
            let legacySigned: Array<{ id: number; signature: Hex }> = [];
            let sequenced: Array<{ id: number; sequence: bigint }> = [];
            if (target.legacy) {
                legacySigned = await this.signLegacy(target.address, productId, rows);
                data = encodeFunctionData({
                    abi: legacyProductInteractionAbi,
                    functionName: "handleInteractions",
                    args: [
                        rows.map((row) => ({
                            id: row.interactionId,
                            wallet: row.wallet,
                            data: row.interactionData,
                            signature: row.signature as Hex,
                        })),
                    ],
                });
            } else {
                sequenced = await this.giveSequences(tx, first.productId, rows);
                const items = encodeInteractionItems(
                    rows.map((row) => ({
                        id: row.sequence as bigint,
                        wallet: row.wallet,
                        data: row.interactionData,
                    })),
                );
                const signature = await signInteractionBatch({
                    signers: this.deps.signers,
                    chainId: clients.chain.id,
                    interactionContract: target.address,
                    productId,
                    items,
                });
                data = encodeFunctionData({
                    abi: productInteractionAbi,
                    functionName: "handleInteractions",
                    args: [items, signature],
                });
            }
            const contract = target.address;
            const account = this.executor;
            let gas: bigint;
            try {
                gas = await this.gasLimit(contract, data);
            } catch (error) {
                // The whole batch would revert (nothing per item can make it revert): retry later.
                this.deps.logger.warn(
                    { err: error, size: rows.length },
                    "interaction batch gas estimation failed",
                );
                await this.reconciler.fail(
                    tx,
                    rows,
                    "execution_failed",
                    "Failed to push transaction on-chain",
                );
                report.failed += rows.length;
                return "skipped" as const;
            }
            const [nonce, fromBlock] = await Promise.all([
                clients.publicClient.getTransactionCount({
                    address: account.address,
                    blockTag: "pending",
                }),
                clients.publicClient.getBlockNumber({ cacheTime: 0 }),
            ]);
            const request = await clients.walletClient(account).prepareTransactionRequest({
                account,
                to: contract,
                data,
                nonce,
                gas,
            });
            const serialized = await account.signTransaction(request as never);
            const batch: InteractionBatch = {
                id: randomUUID(),
                executor: account.address,
                contract: contract.toLowerCase() as Hex,
                nonce,
                fromBlock,
                txHash: keccak256(serialized),
                size: rows.length,
                status: "sending",
                createdAt: new Date(),
                completedAt: null,
            };
            await batches.create(tx, {
                ...batch,
                contract,
                txHash: batch.txHash as Hex,
            });
            await pending.markExecuting(
                tx,
                batch.id,
                rows.map((row) => row.id),
                legacySigned,
                sequenced,
            );
            return { batch, rows, contract, serialized };
        });
    }

    /**
     * Legacy contract: rows are signed in simulation; those without a signature (simulated before
     * it did, or a failed signing) are signed here. Returns the new signatures.
     */
    private async signLegacy(
        contract: Address,
        productId: bigint,
        rows: PendingInteraction[],
    ): Promise<Array<{ id: number; signature: Hex }>> {
        const unsigned = rows.filter((row) => row.signature === null);
        const signed = await signInteractions({
            signers: this.deps.signers,
            chainId: this.deps.clients.chain.id,
            interactionContract: contract,
            productId,
            interactions: unsigned.map((row) => ({
                id: row.interactionId,
                wallet: row.wallet,
                data: row.interactionData,
            })),
        });
        return unsigned.map((row, i) => {
            row.signature = signed[i] as Hex;
            return { id: row.id, signature: row.signature };
        });
    }

    /**
     * Rows without an on-chain id get the product's next ones, reserved in the intent's
     * transaction (and recorded on the rows with the intent, markExecuting).
     */
    private async giveSequences(
        tx: Executor,
        productId: Hex,
        rows: PendingInteraction[],
    ): Promise<Array<{ id: number; sequence: bigint }>> {
        const fresh = rows.filter((row) => row.sequence === null);
        if (fresh.length === 0) return [];
        const firstSequence = await this.deps.sequences.take(tx, productId, fresh.length);
        return fresh.map((row, i) => {
            row.sequence = firstSequence + BigInt(i);
            return { id: row.id, sequence: row.sequence };
        });
    }

    private async sendAndSettle(prepared: PreparedBatch, report: ExecutionReport): Promise<void> {
        const { clients, logger } = this.deps;
        const { batch } = prepared;
        let refusedSync = false;
        if (this.syncSend && clients.confirmations <= 1) {
            const outcome = await this.sendSync(prepared);
            refusedSync = outcome === "not-sent";
            if (outcome === "in-node") {
                await this.reconciler.reconcile(batch, report, "execution_failed");
                return;
            }
            if (outcome !== "not-sent") {
                await this.reconciler.applyReceipt(
                    batch,
                    prepared.rows,
                    prepared.contract,
                    outcome,
                    report,
                );
                return;
            }
        }
        try {
            await clients.publicClient.sendRawTransaction({
                serializedTransaction: prepared.serialized,
            });
            // The node took classically what it refused synchronously: it lacks the method.
            if (refusedSync) this.syncSend = false;
        } catch (error) {
            // It may or may not have reached the node: the chain decides (reconciliation).
            logger.warn({ err: error, batch: batch.id }, "interaction batch send failed");
            await this.reconciler.reconcile(batch, report, "execution_failed");
            return;
        }
        let receipt: TransactionReceipt;
        try {
            receipt = await clients.publicClient.waitForTransactionReceipt({
                hash: batch.txHash as Hex,
                confirmations: clients.confirmations,
                timeout: RECEIPT_TIMEOUT_MS,
            });
        } catch (error) {
            logger.warn(
                { err: error, batch: batch.id },
                "no receipt yet: batch left to reconciliation",
            );
            return;
        }
        await this.reconciler.applyReceipt(
            batch,
            prepared.rows,
            prepared.contract,
            receipt,
            report,
        );
    }

    /**
     * EIP-7966 `eth_sendRawTransactionSync`: the node answers the send with the receipt once the
     * transaction is mined, instead of the receipt being polled for (on anvil, the poll interval
     * was most of a large batch's wait). On an error the node is asked whether it has the
     * transaction: if it has, the chain decides (reconciliation); if not, nothing was sent and
     * the classic send + poll takes over (for good when it succeeds: the node lacks the method).
     */
    private async sendSync(
        prepared: PreparedBatch,
    ): Promise<TransactionReceipt | "in-node" | "not-sent"> {
        const { clients, logger } = this.deps;
        try {
            return await clients.publicClient.sendRawTransactionSync({
                serializedTransaction: prepared.serialized,
                throwOnReceiptRevert: false,
                // No timeout parameter: anvil refuses it; the node's own (seconds) applies.
            });
        } catch (error) {
            const known = await clients.publicClient
                .getTransaction({ hash: prepared.batch.txHash as Hex })
                .catch(() => null);
            if (known) {
                logger.warn(
                    { err: error, batch: prepared.batch.id },
                    "interaction batch sent without its receipt: reconciling",
                );
                return "in-node";
            }
            logger.info({ err: error }, "eth_sendRawTransactionSync refused: classic send");
            return "not-sent";
        }
    }

    /**
     * One execution instead of eth_estimateGas's binary search (which re-runs a 200-item batch
     * some 20 times). ProductInteraction gives every item a fixed gas amount, so the gas a batch
     * uses does not depend on its limit; the limit adds the headroom its per-item check
     * requires before the last item (INTERACTION_GAS + 1/63 + 20k) and a 25% margin.
     */
    private async gasLimit(contract: Address, data: Hex): Promise<bigint> {
        const { gasUsed } = await this.deps.clients.publicClient.createAccessList({
            account: this.executor,
            to: contract,
            data,
            gas: BATCH_GAS_CAP,
        });
        const limit = (gasUsed * 125n) / 100n + PER_ITEM_HEADROOM;
        return limit > BATCH_GAS_CAP ? BATCH_GAS_CAP : limit;
    }
}
