/** Public door of the business domain. */
export { createBusinessDomain, type MintedHosts } from "./context";
export { normaliseProductDomain } from "./services/product-domain";
export { PRODUCT_TYPES, type ProductType, productTypesMask } from "./services/product-metadata";
export {
    type FailedStep,
    type ProductContracts,
    type ProductMint,
    ProductMinter,
} from "./services/product-minter";

import type { createBusinessDomain } from "./context";

export type BusinessDomain = ReturnType<typeof createBusinessDomain>;
