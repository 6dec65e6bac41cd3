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
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
    productInteractionAbi,
    productInteractionManagerAbi,
    purchaseOracleAbi,
} from "../../../infrastructure/blockchain";

const CONTRACT_TTL_MS = 10 * 60_000;
const MISSING_CONTRACT_TTL_MS = 10_000;

/** Chain reads of the pipeline: interaction contracts, sessions, signer roles, simulations. */
export class InteractionChainReader {
    // The seed caches the "diamond" lookup 10 minutes; a missing one only briefly, so a product
    // minted a moment ago is usable at once.
    private readonly contracts = new LRUCache<string, { address: Address | null }>({ max: 4096 });

    constructor(
        private readonly clients: ChainClients,
        private readonly deployment: Deployment,
        private readonly signers: BackendSigners,
    ) {}

    async interactionContractOf(productId: Hex): Promise<Address | null> {
        const cached = this.contracts.get(productId);
        if (cached) return cached.address;
        let address: Address | null;
        try {
            address = await this.clients.publicClient.readContract({
                address: this.deployment.productInteractionManager,
                abi: productInteractionManagerAbi,
                functionName: "getInteractionContract",
                args: [BigInt(productId)],
            });
        } catch (error) {
            if (!isRevert(error)) throw error;
            address = null;
        }
        this.contracts.set(
            productId,
            { address },
            { ttl: address ? CONTRACT_TTL_MS : MISSING_CONTRACT_TTL_MS },
        );
        return address;
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

    isHandled(contract: Address, id: Hex): Promise<boolean> {
        return this.clients.publicClient.readContract({
            address: contract,
            abi: productInteractionAbi,
            functionName: "isHandled",
            args: [id],
        });
    }

    /**
     * Runs the interactions' own logic (referral rules, purchase proof...) with one eth_call of
     * `simulateInteractions`: each item as `handleInteractions` would execute it and each alone,
     * without the signature and session checks that the other reads cover. Returns each item's
     * revert reason name, or null when it would be accepted, in the items' order.
     */
    async simulateMany(
        contract: Address,
        items: Array<{ id: Hex; wallet: Address; data: Hex }>,
    ): Promise<Array<string | null>> {
        if (items.length === 0) return [];
        const { result } = await this.clients.publicClient.simulateContract({
            address: contract,
            abi: productInteractionAbi,
            functionName: "simulateInteractions",
            args: [
                items.map((item) => item.id),
                items.map((item) => item.wallet),
                items.map((item) => item.data),
            ],
        });
        return result.map((reason) => (reason === "0x" ? null : reasonOfRevertData(reason)));
    }

    /**
     * Runs the interaction's own logic (referral rules, purchase proof...) with an eth_call of
     * `executeInteraction` from the contract itself (the only allowed caller), without the
     * signature and session checks that the other reads cover. Returns the revert reason name,
     * or null when it would be accepted.
     */
    async simulate(contract: Address, id: Hex, wallet: Address, data: Hex): Promise<string | null> {
        try {
            await this.clients.publicClient.call({
                account: contract,
                to: contract,
                data: encodeFunctionData({
                    abi: productInteractionAbi,
                    functionName: "executeInteraction",
                    args: [id, wallet, data],
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
        for (const abi of [productInteractionAbi, purchaseOracleAbi]) {
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
