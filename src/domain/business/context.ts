import { Elysia } from "elysia";
import type { Infrastructure } from "../../infrastructure";
import { sessionMacros } from "../../infrastructure/http";
import type { JobScheduler } from "../../infrastructure/jobs";
import { fundingRoutes } from "./api/funding-routes";
import { mintRoutes } from "./api/mint-routes";
import { rolesRoutes } from "./api/roles-routes";
import { DnsTxtLookup } from "./repositories/dns-txt-lookup";
import { ProductRegistryRepository } from "./repositories/product-registry-repository";
import { DomainOwnershipService } from "./services/domain-ownership";
import { ProductDomainService } from "./services/product-domain-service";
import { ProductMintService } from "./services/product-mint-service";
import { ProductRolesService } from "./services/product-roles-service";
import { TestFundingService } from "./services/test-funding-service";

/** Wires the business domain: merchants' products (domain proof, mint), roles, test funding. */
export function createBusinessDomain(infra: Infrastructure, _jobs: JobScheduler) {
    const { config, chain, logger } = infra;
    const registry = new ProductRegistryRepository(chain);
    const ownership = new DomainOwnershipService(
        new DnsTxtLookup(config.business.dnsResolvers, config.business.dnsTimeoutMs),
        config.business.productSetupCodeSalt,
    );
    const domains = new ProductDomainService(ownership, registry);
    const minting = new ProductMintService(chain, registry, ownership, infra.productRoles, logger);
    const roles = new ProductRolesService(infra.productRoles);
    const funding = new TestFundingService(chain, registry, config.isRunningInProd);
    const macros = sessionMacros(infra.tokens);

    return {
        /** Mounted under `/business`. */
        businessRoutes: new Elysia({ name: "business-domain" })
            .use(mintRoutes(macros, domains, minting))
            .use(rolesRoutes(macros, roles))
            .use(fundingRoutes(macros, funding)),
    };
}
