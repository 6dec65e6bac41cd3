import type { Address, Hex } from "viem";
import type { Database } from "../../../infrastructure/persistence";
import type { InteractionChainReader } from "../repositories/interaction-chain-reader";
import type {
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
 */
export class InteractionSimulator {
    constructor(
        private readonly deps: {
            db: Database;
            chain: InteractionChainReader;
            pending: PendingInteractionsRepository;
            /** Rows per claim (seed: 50). */
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
                const verdicts = await this.judge(rows);
                const ok: number[] = [];
                const now = Date.now();
                for (const row of rows) {
                    const verdict = verdicts.get(row.id) as Verdict;
                    if (verdict.ok) {
                        ok.push(row.id);
                        continue;
                    }
                    const retryCount = row.retryCount + 1;
                    await this.deps.pending.markFailure(tx, row.id, {
                        status: verdict.status,
                        reason: verdict.reason,
                        retryCount,
                        nextRetryAt: new Date(now + retryDelayMs(verdict.status, retryCount)),
                    });
                }
                await this.deps.pending.setStatus(tx, ok, "simulated", ["pending"]);
                return { simulated: ok.length, failed: rows.length - ok.length };
            });
            if (!done) return total;
            total.simulated += done.simulated;
            total.failed += done.failed;
        }
    }

    private async judge(rows: PendingInteraction[]): Promise<Map<number, Verdict>> {
        const { chain } = this.deps;
        const products = [...new Set(rows.map((row) => row.productId))];
        const productChecks = new Map<Hex, { contract: Address | null; signerAllowed: boolean }>();
        await Promise.all(
            products.map(async (productId) => {
                const contract = await chain.interactionContractOf(productId);
                const signerAllowed = contract ? await chain.signerAllowed(productId) : false;
                productChecks.set(productId, { contract, signerAllowed });
            }),
        );
        const sessions = await chain.sessionsValid(rows.map((row) => row.wallet));
        const verdicts = new Map<number, Verdict>();
        await Promise.all(
            rows.map(async (row) => {
                const product = productChecks.get(row.productId);
                if (!product?.contract) {
                    verdicts.set(row.id, {
                        ok: false,
                        status: "failed",
                        reason: "No interaction contract for the product",
                    });
                } else if (!product.signerAllowed) {
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
                } else {
                    // An id already on-chain still simulates fine (executeInteraction does not
                    // check it): the executor then resolves it from its InteractionHandled event.
                    const reason = await chain
                        .simulate(
                            product.contract,
                            row.interactionId,
                            row.wallet,
                            row.interactionData,
                        )
                        .catch((error: Error) => `Simulation error: ${error.message}`);
                    verdicts.set(
                        row.id,
                        reason === null
                            ? { ok: true }
                            : {
                                  ok: false,
                                  status: "failed",
                                  reason: `Simulation reverted: ${reason}`,
                              },
                    );
                }
            }),
        );
        return verdicts;
    }
}
