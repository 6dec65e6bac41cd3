import { LRUCache } from "lru-cache";
import {
    type Address,
    BaseError,
    ContractFunctionRevertedError,
    decodeErrorResult,
    encodeFunctionData,
    type Hex,
} from "viem";
import {
    type BackendSigners,
    type ChainClients,
    type Deployment,
    encodeInteractionItems,
    legacyProductInteractionAbi,
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
    productInteractionAbi,
    productInteractionManagerAbi,
    purchaseOracleAbi,
} from "../../../infrastructure/blockchain";

const CONTRACT_TTL_MS = 10 * 60_000;
/** Missing and legacy contracts: a product minted or upgraded a moment ago is seen at once. */
const SHORT_TTL_MS = 10_000;

/**
 * A product's interaction contract: the batched ProductInteraction, or a LegacyProductInteraction
 * (per-item signatures and random ids) not upgraded yet. `retired`: the legacy contract an
 * upgraded product used before, whose in-flight interactions are drained before this one is used.
 */
export type InteractionTarget = { address: Address; legacy: boolean; retired: Address | null };

/** Chain reads of the pipeline: interaction contracts, sessions, signer roles, simulations. */
export class InteractionChainReader {
    // The seed caches the "diamond" lookup 10 minutes; a missing one only briefly, so a product
    // minted a moment ago is usable at once.
    private readonly contracts = new LRUCache<string, { target: InteractionTarget | null }>({
        max: 4096,
    });

    constructor(
        private readonly clients: ChainClients,
        private readonly deployment: Deployment,
        private readonly signers: BackendSigners,
    ) {}

    async interactionContractOf(productId: Hex): Promise<Address | null> {
        return (await this.interactionTarget(productId))?.address ?? null;
    }

    async interactionTarget(productId: Hex): Promise<InteractionTarget | null> {
        const cached = this.contracts.get(productId);
        if (cached) return cached.target;
        const manager = {
            address: this.deployment.productInteractionManager,
            abi: productInteractionManagerAbi,
        } as const;
        let target: InteractionTarget | null;
        try {
            const [address, legacy, retired] = await Promise.all([
                this.clients.publicClient.readContract({
                    ...manager,
                    functionName: "getInteractionContract",
                    args: [BigInt(productId)],
                }),
                this.clients.publicClient.readContract({
                    ...manager,
                    functionName: "isLegacyInteractionContract",
                    args: [BigInt(productId)],
                }),
                this.clients.publicClient.readContract({
                    ...manager,
                    functionName: "retiredInteractionContract",
                    args: [BigInt(productId)],
                }),
            ]);
            target = { address, legacy, retired: BigInt(retired) === 0n ? null : retired };
        } catch (error) {
            if (!isRevert(error)) throw error;
            target = null;
        }
        this.contracts.set(
            productId,
            { target },
            { ttl: target && !target.legacy ? CONTRACT_TTL_MS : SHORT_TTL_MS },
        );
        return target;
    }

    /** Forgets a product's contract (e.g. after a batch found its legacy contract retired). */
    forget(productId: Hex): void {
        this.contracts.delete(productId);
    }

    /** Whether each wallet has an open interaction session (one multicall). */
    async sessionsValid(wallets: Address[]): Promise<Map<string, boolean>> {
        const unique = [...new Set(wallets.map((w) => w.toLowerCase() as Address))];
        const results = await this.clients.publicClient.multicall({
            allowFailure: false,
            contracts: unique.map((wallet) => ({
                address: this.deployment.productInteractionManager,
                abi: productInteractionManagerAbi,
                functionName: "isSessionValid" as const,
                args: [wallet] as const,
            })),
        });
        return new Map(unique.map((wallet, i) => [wallet, results[i] === true]));
    }

    /** Whether the product's derived signer may sign its interactions. */
    signerAllowed(productId: Hex): Promise<boolean> {
        return this.clients.publicClient.readContract({
            address: this.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "hasAllRolesOrAdmin",
            args: [
                BigInt(productId),
                this.signers.productAccount(BigInt(productId)).address,
                PRODUCT_ROLES.interactionManager,
            ],
        });
    }

    /** Which of these ids a legacy contract has handled (one multicall). */
    async legacyHandled(contract: Address, ids: Hex[]): Promise<Set<Hex>> {
        if (ids.length === 0) return new Set();
        const results = await this.clients.publicClient.multicall({
            allowFailure: false,
            contracts: ids.map((id) => ({
                address: contract,
                abi: legacyProductInteractionAbi,
                functionName: "isHandled" as const,
                args: [id] as const,
            })),
        });
        return new Set(
            ids.filter((_, i) => results[i] === true).map((id) => id.toLowerCase() as Hex),
        );
    }

    /**
     * Runs the interactions' own logic (referral rules, purchase proof...) with one eth_call of
     * `simulateInteractions`: each item as `handleInteractions` would execute it and each alone,
     * without the signature, session and id checks that the other reads cover. Returns each
     * item's revert reason name, or null when it would be accepted, in the items' order.
     */
    async simulateMany(
        target: InteractionTarget,
        items: Array<{ id: Hex; wallet: Address; data: Hex }>,
    ): Promise<Array<string | null>> {
        if (items.length === 0) return [];
        const result = target.legacy
            ? (
                  await this.clients.publicClient.simulateContract({
                      address: target.address,
                      abi: legacyProductInteractionAbi,
                      functionName: "simulateInteractions",
                      args: [
                          items.map((item) => item.id),
                          items.map((item) => item.wallet),
                          items.map((item) => item.data),
                      ],
                  })
              ).result
            : (
                  await this.clients.publicClient.simulateContract({
                      address: target.address,
                      abi: productInteractionAbi,
                      functionName: "simulateInteractions",
                      // Ids are given at execution; the simulation does not read them.
                      args: [
                          encodeInteractionItems(
                              items.map((item) => ({
                                  id: 0n,
                                  wallet: item.wallet,
                                  data: item.data,
                              })),
                          ),
                      ],
                  })
              ).result;
        return result.map((reason) => (reason === "0x" ? null : reasonOfRevertData(reason)));
    }

    /**
     * Runs one interaction's own logic with an eth_call of `executeInteraction` from the contract
     * itself (the only allowed caller), without the signature and session checks that the other
     * reads cover. Returns the revert reason name, or null when it would be accepted.
     */
    async simulate(
        target: InteractionTarget,
        id: Hex,
        wallet: Address,
        data: Hex,
    ): Promise<string | null> {
        try {
            await this.clients.publicClient.call({
                account: target.address,
                to: target.address,
                data: target.legacy
                    ? encodeFunctionData({
                          abi: legacyProductInteractionAbi,
                          functionName: "executeInteraction",
                          args: [id, wallet, data],
                      })
                    : encodeFunctionData({
                          abi: productInteractionAbi,
                          functionName: "executeInteraction",
                          args: [0n, wallet, data],
                      }),
            });
            return null;
        } catch (error) {
            if (!isRevert(error)) throw error;
            return revertReason(error);
        }
    }
}

function isRevert(error: unknown): boolean {
    if (!(error instanceof BaseError)) return false;
    if (error.walk((e) => e instanceof ContractFunctionRevertedError)) return true;
    const data = revertData(error);
    return data !== undefined || /revert/i.test(error.message);
}

function revertData(error: BaseError): Hex | undefined {
    const withData = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as {
        data?: Hex;
    } | null;
    return withData?.data;
}

function revertReason(error: unknown): string {
    if (!(error instanceof BaseError)) return "Simulation reverted";
    const reverted = error.walk(
        (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    if (reverted?.data?.errorName) return reverted.data.errorName;
    return reasonOfRevertData(revertData(error));
}

/** The custom error's name (ours or the oracle's), else its selector. */
function reasonOfRevertData(data: Hex | undefined): string {
    if (data && data.length >= 10) {
        for (const abi of [productInteractionAbi, legacyProductInteractionAbi, purchaseOracleAbi]) {
            try {
                return decodeErrorResult({ abi, data }).errorName;
            } catch {
                // not an error of this ABI
            }
        }
        return data.slice(0, 10);
    }
    return "Simulation reverted";
}
