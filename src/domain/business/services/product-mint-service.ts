import type { Logger } from "pino";
import type { Address, Hash, Hex } from "viem";
import { SIGNER_LABELS } from "../../../infrastructure/blockchain";
import type { Chain, ProductRolesReader } from "../../../infrastructure/chain";
import { rethrowChainUnavailable } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import { productIdOfDomain, requireCanonicalProductId } from "../../../utils/product-id";
import type { ProductRegistryChainReader } from "../repositories/product-registry-chain-reader";
import type { DomainOwnershipService } from "./domain-ownership";
import { normaliseProductDomain } from "./product-domain";
import { type ProductType, productTypesMask, sanitiseProductName } from "./product-metadata";
import type { ProductMinter } from "./product-minter";
import { type Stablecoin, tokenOf } from "./stablecoins";

export type MintRequest = {
    name: string;
    domain: string;
    setupCode?: string;
    currency: Stablecoin;
    productTypes: ProductType[];
};

export type MintedProduct = { productId: Hex; domain: string; owner: Address; mintTxHash: Hash };

export type MintResult = {
    txHash: Hash;
    productId: Hex;
    interactionContract?: Address;
    bankContract?: Address;
};

export const invalidDomainProof = () =>
    new ApiError(
        "invalid_domain_proof",
        "The domain is invalid (either DNS TXT or invalid setup code)",
    );

const alreadyExists = (name: string, domain: string) =>
    new ApiError(
        "product_already_exists",
        `The product ${name} already exists for the domain ${domain}`,
    );

/**
 * Mints a merchant's product on-chain (ProductMinter, from the backend's `minter` signer), after
 * the domain proof:
 *   1. mint to the owner (simulated first: the id must be keccak256 of the domain), and wait for
 *      the configured confirmations: from here on the product exists;
 *   2. best effort, sent back to back: the backend signers' roles (oracle updater, product
 *      signer), the interaction contract, the campaign bank in the chosen currency. A failure
 *      there is logged and leaves the field out of the response, as in the seed.
 * Mints of one domain run one after the other in this process; across instances the contract
 * refuses the second one and we answer "already exists" all the same.
 */
export class ProductMintService {
    private readonly inFlight = new Map<string, Promise<unknown>>();

    constructor(
        private readonly chain: Pick<Chain, "deployment" | "signers">,
        private readonly minter: ProductMinter,
        private readonly registry: ProductRegistryChainReader,
        private readonly ownership: DomainOwnershipService,
        private readonly roles: Pick<ProductRolesReader, "invalidate">,
        private readonly logger: Logger,
        /** Records the minted product's domain (merchant-site CORS, social redirects). */
        private readonly onMinted: (product: MintedProduct) => Promise<void> = async () => {},
    ) {}

    async mint(owner: Address, request: MintRequest): Promise<MintResult> {
        const domain = normaliseProductDomain(request.domain);
        if (!domain) throw invalidDomainProof();
        const name = sanitiseProductName(request.name);
        if (!(await this.ownership.isOwnedBy(domain, owner, request.setupCode))) {
            throw invalidDomainProof();
        }
        return this.oneAtATime(domain, () => this.mintDomain(owner, domain, name, request));
    }

    private async mintDomain(
        owner: Address,
        domain: string,
        name: string,
        request: MintRequest,
    ): Promise<MintResult> {
        const productId = productIdOfDomain(domain);
        const txHash = await this.mintProduct(owner, domain, name, request, productId).catch(
            async (error: unknown) => {
                // Lost a race with another instance, or minted between our check and send.
                if (await this.registry.exists(productId).catch(() => false)) {
                    throw alreadyExists(name, domain);
                }
                return rethrowChainUnavailable(error);
            },
        );
        this.roles.invalidate(productId, owner);
        await this.onMinted({
            productId: requireCanonicalProductId(productId),
            domain,
            owner,
            mintTxHash: txHash,
        }).catch((error: unknown) =>
            // The product exists on-chain whatever happens here: log, do not fail the mint.
            this.logger.error(
                { err: error, productId: requireCanonicalProductId(productId), domain },
                "product mint: recording the minted domain failed",
            ),
        );
        const token = tokenOf(this.chain.deployment, request.currency);
        await this.deployProductContracts(productId, token);
        const [interactionContract, bankContract] = await Promise.all([
            this.registry.interactionContractOf(productId),
            this.registry.campaignBankOf(productId, token).catch(() => undefined),
        ]);
        return {
            txHash,
            productId: requireCanonicalProductId(productId),
            ...(interactionContract ? { interactionContract } : {}),
            ...(bankContract ? { bankContract } : {}),
        };
    }

    private async mintProduct(
        owner: Address,
        domain: string,
        name: string,
        request: MintRequest,
        productId: bigint,
    ): Promise<Hash> {
        if (await this.registry.exists(productId)) throw alreadyExists(name, domain);
        return this.minter.mint({
            owner,
            domain,
            name,
            productTypes: productTypesMask(request.productTypes),
        });
    }

    private async deployProductContracts(productId: bigint, token: Address): Promise<void> {
        const { signers } = this.chain;
        await this.minter.deployProductContracts(productId, { bankTokens: [token] });
        this.roles.invalidate(productId, signers.address(SIGNER_LABELS.oracleUpdater));
        this.roles.invalidate(productId, signers.productAccount(productId).address);
    }

    private async oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
        const previous = this.inFlight.get(key) ?? Promise.resolve();
        const run = previous.then(work);
        const settled = run.catch(() => undefined);
        this.inFlight.set(key, settled);
        try {
            return await run;
        } finally {
            if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
        }
    }
}
