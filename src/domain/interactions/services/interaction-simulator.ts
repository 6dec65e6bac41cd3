import type { Address, Hex } from "viem";
import { type BackendSigners, signInteractions } from "../../../infrastructure/blockchain";
import type { Database } from "../../../infrastructure/persistence";
import type {
    InteractionChainReader,
    InteractionTarget,
} from "../repositories/interaction-chain-reader";
import type {
    Failure,
    FailureStatus,
    PendingInteraction,
    PendingInteractionsRepository,
} from "../repositories/pending-interactions-repository";
import { retryDelayMs } from "./retry-schedule";

type Verdict = { ok: true } | { ok: false; status: FailureStatus; reason: string };

/**
 * pending -> simulated | no_session | failed. Per item: the product has an interaction contract,
 * its derived signer may sign for it, the wallet has an open session, and the interaction's own
 * logic (referral rules, purchase proof) passes an eth_call. Rows are claimed with
 * FOR UPDATE SKIP LOCKED and held in the transaction that writes their verdicts, so an
 * interrupted run leaves them pending for the next one.
 *
 * Rows of a legacy contract (per-item signatures) also get their EIP-712 signature here (the
 * executor signs only rows without one): the signing is CPU work, done while this run waits for
 * its chain reads, instead of on the executor's path between a claim and its transaction. Rows of
 * a ProductInteraction need none: the executor signs each batch once.
 */
export class InteractionSimulator {
    constructor(
        private readonly deps: {
            db: Database;
            chain: InteractionChainReader;
            pending: PendingInteractionsRepository;
            signers: BackendSigners;
            chainId: number;
            /** Called after each claim that made rows `simulated` is committed. */
            onSimulated?: () => void;
            /** Rows per claim (seed: 50; the executor's batch size when larger, see context.ts). */
            claimSize: number;
        },
    ) {}

    /** Simulates until no pending row is left; returns how many became `simulated`. */
    async run(): Promise<{ simulated: number; failed: number }> {
        const total = { simulated: 0, failed: 0 };
        for (;;) {
            const done = await this.deps.db.transaction(async (tx) => {
                const rows = await this.deps.pending.claimPending(tx, this.deps.claimSize);
                if (rows.length === 0) return null;
                const [verdicts, signatures] = await Promise.all([
                    this.judge(rows),
                    this.sign(rows),
                ]);
                const ok: Array<{ id: number; signature: Hex | null }> = [];
                const failures: Array<{ id: number } & Failure> = [];
                const now = Date.now();
                for (const row of rows) {
                    const verdict = verdicts.get(row.id) as Verdict;
                    if (verdict.ok) {
                        ok.push({ id: row.id, signature: signatures.get(row.id) ?? null });
                        continue;
                    }
                    const retryCount = row.retryCount + 1;
                    failures.push({
                        id: row.id,
                        status: verdict.status,
                        reason: verdict.reason,
                        retryCount,
                        nextRetryAt: new Date(now + retryDelayMs(verdict.status, retryCount)),
                    });
                }
                await this.deps.pending.markFailures(tx, failures);
                await this.deps.pending.markSimulated(tx, ok);
                return { simulated: ok.length, failed: rows.length - ok.length };
            });
            if (!done) return total;
            // The executor may start on this claim while the next one is simulated.
            if (done.simulated > 0) this.deps.onSimulated?.();
            total.simulated += done.simulated;
            total.failed += done.failed;
        }
    }

    /**
     * Signatures of the rows whose product has an interaction contract, by row id; in slices,
     * yielding to the event loop between them so the chain reads of `judge` go out and come
     * back meanwhile.
     */
    private async sign(rows: PendingInteraction[]): Promise<Map<number, Hex>> {
        const signatures = new Map<number, Hex>();
        // Let judge's requests leave first (viem's batch schedulers flush on timers, twice).
        await yieldToEventLoop();
        await yieldToEventLoop();
        const byProduct = new Map<Hex, PendingInteraction[]>();
        for (const row of rows) {
            byProduct.set(row.productId, [...(byProduct.get(row.productId) ?? []), row]);
        }
        for (const [productId, group] of byProduct) {
            const target = await this.deps.chain.interactionTarget(productId);
            if (!target?.legacy) continue;
            const contract = target.address;
            for (const slice of chunked(group, SIGNING_SLICE)) {
                const signed = await signInteractions({
                    signers: this.deps.signers,
                    chainId: this.deps.chainId,
                    interactionContract: contract,
                    productId: BigInt(productId),
                    interactions: slice.map((row) => ({
                        id: row.interactionId,
                        wallet: row.wallet,
                        data: row.interactionData,
                    })),
                });
                slice.forEach((row, i) => {
                    signatures.set(row.id, signed[i] as Hex);
                });
                await yieldToEventLoop();
            }
        }
        return signatures;
    }

    private async judge(rows: PendingInteraction[]): Promise<Map<number, Verdict>> {
        const { chain } = this.deps;
        const products = [...new Set(rows.map((row) => row.productId))];
        const contracts = new Map<Hex, InteractionTarget | null>();
        await Promise.all(
            products.map(async (productId) => {
                contracts.set(productId, await chain.interactionTarget(productId));
            }),
        );
        const toSimulate = new Map<
            Address,
            { target: InteractionTarget; rows: PendingInteraction[] }
        >();
        for (const row of rows) {
            const target = contracts.get(row.productId);
            if (!target) continue;
            const group = toSimulate.get(target.address) ?? { target, rows: [] };
            group.rows.push(row);
            toSimulate.set(target.address, group);
        }
        // The remaining reads do not depend on one another: issued together they share one
        // HTTP batch (one round trip). An id already on-chain still simulates fine
        // (executeInteraction does not check it): the executor then resolves it from its
        // InteractionHandled event.
        const chunks = [...toSimulate.values()].flatMap(({ target, rows: group }) =>
            chunked(group, target.legacy ? LEGACY_SIMULATION_CHUNK : SIMULATION_CHUNK).map(
                (chunk) => ({ target, chunk }),
            ),
        );
        const [signerAllowed, sessions, simulations] = await Promise.all([
            Promise.all(
                products
                    .filter((productId) => contracts.get(productId))
                    .map(async (productId) => [productId, await chain.signerAllowed(productId)]),
            ).then((entries) => new Map(entries as Array<[Hex, boolean]>)),
            chain.sessionsValid(rows.map((row) => row.wallet)),
            Promise.all(
                chunks.map(async ({ target, chunk }) => ({
                    chunk,
                    reasons: await this.simulateChunk(target, chunk),
                })),
            ),
        ]);
        const simulationReasons = new Map<number, string | null>();
        for (const { chunk, reasons } of simulations) {
            chunk.forEach((row, i) => {
                simulationReasons.set(row.id, reasons[i] ?? null);
            });
        }
        const verdicts = new Map<number, Verdict>();
        for (const row of rows) {
            const reason = simulationReasons.get(row.id) ?? null;
            if (!contracts.get(row.productId)) {
                verdicts.set(row.id, {
                    ok: false,
                    status: "failed",
                    reason: "No interaction contract for the product",
                });
            } else if (!signerAllowed.get(row.productId)) {
                verdicts.set(row.id, {
                    ok: false,
                    status: "failed",
                    reason: "Backend signer not authorized for this product",
                });
            } else if (!sessions.get(row.wallet.toLowerCase())) {
                verdicts.set(row.id, {
                    ok: false,
                    status: "no_session",
                    reason: "Wallet has no active session",
                });
            } else if (reason !== null) {
                verdicts.set(row.id, {
                    ok: false,
                    status: "failed",
                    reason: `Simulation reverted: ${reason}`,
                });
            } else {
                verdicts.set(row.id, { ok: true });
            }
        }
        return verdicts;
    }

    /**
     * One eth_call for the chunk; should it fail as a whole (node error, gas cap), each item is
     * simulated on its own so that one bad item or a transient error costs only itself.
     */
    private async simulateChunk(
        target: InteractionTarget,
        rows: PendingInteraction[],
    ): Promise<Array<string | null>> {
        const { chain } = this.deps;
        try {
            return await chain.simulateMany(
                target,
                rows.map((row) => ({
                    id: row.interactionId,
                    wallet: row.wallet,
                    data: row.interactionData,
                })),
            );
        } catch {
            return Promise.all(
                rows.map((row) =>
                    chain
                        .simulate(target, row.interactionId, row.wallet, row.interactionData)
                        .catch((error: Error) => `Simulation error: ${error.message}`),
                ),
            );
        }
    }
}

/**
 * Items per simulateInteractions call: a whole claim (the executor's batch of 200) of
 * ProductInteraction in one call, each item using some 10-60k gas (up to its 1M budget with
 * campaigns), under a node's eth_call gas cap (anvil: the block's 30M); a chunk that exceeds it
 * falls back to one call per item. The legacy contract's items cost more: 100 per call.
 */
const SIMULATION_CHUNK = 200;
const LEGACY_SIMULATION_CHUNK = 100;

/** Signatures between two yields to the event loop (~0.2 ms each). */
const SIGNING_SLICE = 50;

/** A timer turn, not setImmediate: viem flushes its request batches from timers. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function chunked<T>(items: T[], size: number): T[][] {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
}
