import type { Address } from "viem";
import { rethrowChainUnavailable } from "../../../infrastructure/chain";
import { productIdOfDomain } from "../../../utils/product-id";
import type { ProductRegistryChainReader } from "../repositories/product-registry-chain-reader";
import type { DomainOwnershipService } from "./domain-ownership";
import { normaliseProductDomain } from "./product-domain";

export type DomainVerification = { isDomainValid: boolean; isAlreadyMinted: boolean };

/** The dashboard's pre-mint steps: which TXT record to publish, and is the domain ready. */
export class ProductDomainService {
    constructor(
        private readonly ownership: DomainOwnershipService,
        private readonly registry: ProductRegistryChainReader,
    ) {}

    /** The TXT record for the normalised domain, or "" for an invalid one (the route validates). */
    dnsTxtRecord(domain: string, owner: Address): string {
        const normalised = normaliseProductDomain(domain);
        return normalised ? this.ownership.dnsTxtRecord(normalised, owner) : "";
    }

    async verify(domain: string, owner: Address, setupCode?: string): Promise<DomainVerification> {
        const normalised = normaliseProductDomain(domain);
        if (!normalised) return { isDomainValid: false, isAlreadyMinted: false };
        const [isDomainValid, isAlreadyMinted] = await Promise.all([
            this.ownership.isOwnedBy(normalised, owner, setupCode),
            this.registry.exists(productIdOfDomain(normalised)).catch(rethrowChainUnavailable),
        ]);
        return { isDomainValid, isAlreadyMinted };
    }
}
