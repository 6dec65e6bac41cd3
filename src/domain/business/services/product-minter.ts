import type { Logger } from "pino";
import type { Address, Hash } from "viem";
import {
    campaignBankFactoryAbi,
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
    productInteractionManagerAbi,
    productRegistryAbi,
    SIGNER_LABELS,
} from "../../../infrastructure/blockchain";
import type { Chain } from "../../../infrastructure/chain";
import {
    productIdOfDomain,
    productNameBytes32,
    requireCanonicalProductId,
} from "../../../utils/product-id";

export type ProductMint = {
    owner: Address;
    /** Normalised (normaliseProductDomain): the product id is keccak256 of it. */
    domain: string;
    /** Sanitised (sanitiseProductName): at most 32 bytes. */
    name: string;
    /** The product types bitmask (productTypesMask). */
    productTypes: bigint;
};

export type ProductContracts = {
    /** One campaign bank per token. */
    bankTokens: readonly Address[];
    /**
     * A LegacyProductInteraction instead of the batched contract: products as the seed minted
     * them, to rehearse their upgrade (docs/operations.md) and as the benches' baseline.
     */
    legacyInteractionContract?: boolean;
};

export type FailedStep = { step: string; error: unknown };

/**
 * The on-chain steps of a product mint, all from the backend's `minter` signer (its nonce lock
 * orders every minter transaction). The one mint flow: ProductMintService runs it after the
 * domain proof, and the tests' and benches' fixtures mint through it too, so they cannot drift
 * from production.
 */
export class ProductMinter {
    constructor(
        private readonly chain: Pick<Chain, "clients" | "deployment" | "signers">,
        private readonly logger: Logger,
    ) {}

    /**
     * Mints the product to its owner (simulated first: the id must be keccak256 of the domain)
     * and waits for the configured confirmations: from then on the product exists.
     */
    async mint({ owner, domain, name, productTypes }: ProductMint): Promise<Hash> {
        const productId = productIdOfDomain(domain);
        const { clients, deployment, signers } = this.chain;
        const call = {
            address: deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "mint",
            args: [productTypes, productNameBytes32(name), domain, owner],
        } as const;
        const { result } = await clients.publicClient.simulateContract({
            ...call,
            account: signers.account(SIGNER_LABELS.minter),
        });
        if (result !== productId) {
            throw new Error(`registry would mint ${result} for ${domain}, expected ${productId}`);
        }
        const txHash = await signers.send(SIGNER_LABELS.minter, ({ wallet, nonce }) =>
            wallet.writeContract({ ...call, nonce }),
        );
        await clients.waitForReceipt(txHash);
        return txHash;
    }

    /**
     * Best effort after the mint: the backend signers' roles (oracle updater, product signer),
     * the interaction contract and the campaign banks. A failed step is logged and returned; the
     * others go ahead.
     */
    async deployProductContracts(
        productId: bigint,
        contracts: ProductContracts,
    ): Promise<FailedStep[]> {
        const { clients, deployment, signers } = this.chain;
        const oracleUpdater = signers.address(SIGNER_LABELS.oracleUpdater);
        const productSigner = signers.productAccount(productId).address;
        const steps: Array<{ step: string; send: () => Promise<Hash> }> = [
            {
                step: "bootstrapRoles",
                send: () =>
                    signers.send(SIGNER_LABELS.minter, ({ wallet, nonce }) =>
                        wallet.writeContract({
                            address: deployment.productAdministratorRegistry,
                            abi: productAdministratorRegistryAbi,
                            functionName: "bootstrapRoles",
                            args: [
                                productId,
                                [oracleUpdater, productSigner],
                                [
                                    PRODUCT_ROLES.purchaseOracleUpdater,
                                    PRODUCT_ROLES.interactionManager,
                                ],
                            ],
                            nonce,
                        }),
                    ),
            },
            {
                step: "deployInteractionContract",
                send: () =>
                    signers.send(SIGNER_LABELS.minter, ({ wallet, nonce }) =>
                        wallet.writeContract({
                            address: deployment.productInteractionManager,
                            abi: productInteractionManagerAbi,
                            functionName: contracts.legacyInteractionContract
                                ? "deployLegacyInteractionContract"
                                : "deployInteractionContract",
                            args: [productId],
                            nonce,
                        }),
                    ),
            },
            ...contracts.bankTokens.map((token) => ({
                step: "deployCampaignBank",
                send: () =>
                    signers.send(SIGNER_LABELS.minter, ({ wallet, nonce }) =>
                        wallet.writeContract({
                            address: deployment.campaignBankFactory,
                            abi: campaignBankFactoryAbi,
                            functionName: "deployCampaignBank",
                            args: [productId, token],
                            nonce,
                        }),
                    ),
            })),
        ];
        // Each step only needs the minted product, so they go out together and are awaited
        // together (one confirmation wait instead of three).
        const outcomes = await Promise.allSettled(
            steps.map(async ({ send }) => clients.waitForReceipt(await send())),
        );
        const failed: FailedStep[] = [];
        outcomes.forEach((outcome, index) => {
            if (outcome.status === "rejected") {
                const step = steps[index]?.step ?? "unknown";
                failed.push({ step, error: outcome.reason });
                this.logger.warn(
                    {
                        err: outcome.reason,
                        productId: requireCanonicalProductId(productId),
                        step,
                    },
                    "product mint: follow-up step failed",
                );
            }
        });
        return failed;
    }
}
