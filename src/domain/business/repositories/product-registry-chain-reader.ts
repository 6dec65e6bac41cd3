import type { Address } from "viem";
import {
    campaignBankFactoryAbi,
    productInteractionManagerAbi,
    productRegistryAbi,
    testStablecoinAbi,
} from "../../../infrastructure/blockchain";
import type { Chain } from "../../../infrastructure/chain";
import { isChainUnavailable, rethrowChainUnavailable } from "../../../infrastructure/chain";

/** On-chain reads about products: existence, interaction contract, campaign bank, balances. */
export class ProductRegistryChainReader {
    constructor(private readonly chain: Pick<Chain, "clients" | "deployment">) {}

    /** The seed's existence test: a minted product has non-zero product types. */
    async exists(productId: bigint): Promise<boolean> {
        const [productTypes] = await this.chain.clients.publicClient.readContract({
            address: this.chain.deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "getMetadata",
            args: [productId],
        });
        return productTypes !== 0n;
    }

    /** The product's interaction contract, or undefined when none was deployed. */
    async interactionContractOf(productId: bigint): Promise<Address | undefined> {
        try {
            return await this.chain.clients.publicClient.readContract({
                address: this.chain.deployment.productInteractionManager,
                abi: productInteractionManagerAbi,
                functionName: "getInteractionContract",
                args: [productId],
            });
        } catch (error) {
            if (isChainUnavailable(error)) return rethrowChainUnavailable(error);
            return undefined;
        }
    }

    /** The product's campaign bank for a token, or undefined when it is not deployed. */
    async campaignBankOf(productId: bigint, token: Address): Promise<Address | undefined> {
        const { publicClient } = this.chain.clients;
        const bank = await publicClient.readContract({
            address: this.chain.deployment.campaignBankFactory,
            abi: campaignBankFactoryAbi,
            functionName: "getCampaignBank",
            args: [productId, token],
        });
        const code = await publicClient.getCode({ address: bank });
        return code && code !== "0x" ? bank : undefined;
    }

    async balanceOf(token: Address, holder: Address): Promise<bigint> {
        return this.chain.clients.publicClient.readContract({
            address: token,
            abi: testStablecoinAbi,
            functionName: "balanceOf",
            args: [holder],
        });
    }
}
