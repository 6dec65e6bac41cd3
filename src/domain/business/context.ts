import { Elysia } from "elysia";
import type { Infrastructure } from "../../infrastructure";
import type { SessionMacros } from "../../infrastructure/http";
import type { JobScheduler } from "../../infrastructure/jobs";
import { fundingRoutes } from "./api/funding-routes";
import { mintRoutes } from "./api/mint-routes";
import { rolesRoutes } from "./api/roles-routes";
import { DnsTxtLookup } from "./repositories/dns-txt-lookup";
import { MintedProductsRepository } from "./repositories/minted-products-repository";
import { ProductRegistryChainReader } from "./repositories/product-registry-chain-reader";
import { DomainOwnershipService } from "./services/domain-ownership";
import { MintedDomains } from "./services/minted-domains";
import { ProductDomainService } from "./services/product-domain-service";
import { ProductMintService } from "./services/product-mint-service";
import { ProductMinter } from "./services/product-minter";
import { ProductRolesService } from "./services/product-roles-service";
import { TestFundingService } from "./services/test-funding-service";

/** The hosts of minted products, as other parts of the app ask about them. */
export type MintedHosts = { hasHost(hostname: string): Promise<boolean> };

/** Wires the business domain: merchants' products (domain proof, mint), roles, test funding. */
export function createBusinessDomain(infra: Infrastructure, _jobs: JobScheduler) {
    const { config, chain, logger } = infra;
    const registry = new ProductRegistryChainReader(chain);
    const ownership = new DomainOwnershipService(
        new DnsTxtLookup(config.business.dnsResolvers, config.business.dnsTimeoutMs),
        config.business.productSetupCodeSalt,
    );
    const domains = new ProductDomainService(ownership, registry);
    const mintedProducts = new MintedProductsRepository(infra.database.db);
    const mintedDomains = new MintedDomains(mintedProducts, logger);
    const minting = new ProductMintService(
        chain,
        new ProductMinter(chain, logger),
        registry,
        ownership,
        infra.productRoles,
        logger,
        async (product) => {
            await mintedProducts.record(product);
            mintedDomains.added(product.domain);
        },
    );
    const roles = new ProductRolesService(infra.productRoles);
    const funding = new TestFundingService(chain, registry, config.isRunningInProd);

    return {
        /** Hosts of the products we minted (merchant-site CORS, `/common/social` targets). */
        mintedDomains: mintedDomains as MintedHosts,
        /** Mounted by `src/app.ts`; each route file declares its full paths. */
        routes: {
            business: (macros: SessionMacros) =>
                new Elysia({ name: "business-domain" })
                    .use(mintRoutes(macros, domains, minting))
                    .use(rolesRoutes(macros, roles))
                    .use(fundingRoutes(macros, funding)),
        },
    };
}
