/**
 * Test and bench fixtures mint products through the production mint flow (ProductMinter, the
 * steps ProductMintService runs after the domain proof), so a fixture product is exactly what a
 * merchant's mint produces. Unlike the service, a failed step fails the fixture.
 */
import type { Address } from "viem";
import { ProductMinter } from "../../src/domain/business";
import {
    type BackendSigners,
    type ChainClients,
    campaignBankFactoryAbi,
    type Deployment,
    productInteractionManagerAbi,
} from "../../src/infrastructure/blockchain";
import { createLogger } from "../../src/infrastructure/logger";
import { productIdOfDomain } from "../../src/utils/product-id";

export type MintedProduct = {
    productId: bigint;
    interactionContract: Address;
    /** Campaign bank per requested reward token. */
    banks: Partial<Record<Address, Address>>;
};

export async function mintProduct(params: {
    clients: ChainClients;
    signers: BackendSigners;
    deployment: Deployment;
    productTypes: bigint;
    name: string;
    domain: string;
    owner: Address;
    bankTokens?: Address[];
    /** Deploys the previous interaction contract version (bench baseline, upgrade rehearsals). */
    legacyInteractionContract?: boolean;
}): Promise<MintedProduct> {
    const { clients, signers, deployment } = params;
    const minter = new ProductMinter({ clients, signers, deployment }, createLogger("silent"));
    await minter.mint({
        owner: params.owner,
        domain: params.domain,
        name: params.name,
        productTypes: params.productTypes,
    });
    const productId = productIdOfDomain(params.domain);
    const bankTokens = params.bankTokens ?? [];
    const failed = await minter.deployProductContracts(productId, {
        bankTokens,
        legacyInteractionContract: params.legacyInteractionContract,
    });
    if (failed.length > 0) {
        throw new AggregateError(
            failed.map(({ error }) => error),
            `mint of ${params.domain}: ${failed.map(({ step }) => step).join(", ")} failed`,
        );
    }
    const banks: Partial<Record<Address, Address>> = {};
    for (const token of bankTokens) {
        banks[token] = await clients.publicClient.readContract({
            address: deployment.campaignBankFactory,
            abi: campaignBankFactoryAbi,
            functionName: "getCampaignBank",
            args: [productId, token],
        });
    }
    const interactionContract = await clients.publicClient.readContract({
        address: deployment.productInteractionManager,
        abi: productInteractionManagerAbi,
        functionName: "getInteractionContract",
        args: [productId],
    });
    return { productId, interactionContract, banks };
}
