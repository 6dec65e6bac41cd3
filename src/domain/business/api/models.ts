import { FormatRegistry } from "@sinclair/typebox";
import { t } from "elysia";
import { AddressSchema, HexSchema } from "../../../utils/schemas";
import { normaliseProductDomain } from "../services/product-domain";
import { PRODUCT_TYPES } from "../services/product-metadata";
import { STABLECOINS } from "../services/stablecoins";

// Garbage domains fail validation (422 naming the field) instead of reaching the services.
if (!FormatRegistry.Has("website-domain")) {
    FormatRegistry.Set("website-domain", (value) => normaliseProductDomain(value) !== null);
}

/** A website's domain as merchants type it: `shop.example`, `www.shop.example`, a URL. */
export const DomainInput = t.String({
    format: "website-domain",
    maxLength: 2048,
    description: "Domain or URL of the product's website (scheme, www., port and path are ignored)",
    examples: ["shop.example", "https://www.shop.example/path"],
});

export const StablecoinModel = t.Union(STABLECOINS.map((coin) => t.Literal(coin)));

export const ProductTypeModel = t.Union(
    (Object.keys(PRODUCT_TYPES) as Array<keyof typeof PRODUCT_TYPES>).map((type) =>
        t.Literal(type),
    ),
);

export const DnsTxtQuery = t.Object({ domain: DomainInput });

export const VerifyDomainQuery = t.Object({
    domain: DomainInput,
    setupCode: t.Optional(t.String({ maxLength: 256 })),
});

export const VerifyDomainResponse = t.Object({
    isDomainValid: t.Boolean(),
    isAlreadyMinted: t.Boolean(),
});

export const MintBody = t.Object({
    name: t.String({ minLength: 1, maxLength: 256 }),
    domain: DomainInput,
    setupCode: t.Optional(t.String({ maxLength: 256 })),
    currency: StablecoinModel,
    productTypes: t.Array(ProductTypeModel, { minItems: 1, maxItems: 32 }),
});

export const MintResponse = t.Object({
    txHash: HexSchema,
    productId: HexSchema,
    interactionContract: t.Optional(AddressSchema),
    bankContract: t.Optional(AddressSchema),
});

export const RolesQuery = t.Object({
    productId: t.Optional(HexSchema),
    wallet: t.Optional(AddressSchema),
});

export const RolesResponse = t.Object({
    roles: HexSchema,
    isOwner: t.Boolean(),
    isAdministrator: t.Boolean(),
    isInteractionManager: t.Boolean(),
    isCampaignManager: t.Boolean(),
});

export const TestTokenBody = t.Object({
    bank: AddressSchema,
    stablecoin: t.Optional(StablecoinModel),
});
