import { FormatRegistry, type TLiteral, type TUnion } from "@sinclair/typebox";
import { t } from "elysia";
import { AddressSchema, HexSchema } from "../../../utils/schemas";
import { normaliseProductDomain } from "../services/product-domain";
import type { ProductType } from "../services/product-metadata";
import { STABLECOINS } from "../services/stablecoins";

// Garbage domains fail validation (422 naming the field) instead of reaching the services.
if (!FormatRegistry.Has("website-domain")) {
    FormatRegistry.Set("website-domain", (value) => normaliseProductDomain(value) !== null);
}

/** A website's domain as merchants type it: `shop.example`, `www.shop.example`, a URL. */
export const DomainInputSchema = t.String({
    format: "website-domain",
    maxLength: 2048,
    description: "Domain or URL of the product's website (scheme, www., port and path are ignored)",
    examples: ["shop.example", "https://www.shop.example/path"],
});

/**
 * One t.Literal per value, typed per value: a plain `.map` types every element as one literal of
 * the whole union, which Elysia's route types (and so the typed client, src/client.ts) read as
 * `never`. (t.UnionEnum would type well but defaults an absent optional field to its first value.)
 */
function literalUnion<const T extends readonly string[]>(values: T) {
    return t.Union(values.map((value) => t.Literal(value))) as unknown as TUnion<{
        -readonly [K in keyof T]: TLiteral<T[K]>;
    }>;
}

const PRODUCT_TYPE_NAMES = [
    "dapp",
    "press",
    "webshop",
    "retail",
    "referral",
    "purchase",
] as const satisfies readonly ProductType[];
// Compile-time check that the list names every product type.
const everyProductType: Record<ProductType, true> = Object.fromEntries(
    PRODUCT_TYPE_NAMES.map((type) => [type, true]),
) as Record<(typeof PRODUCT_TYPE_NAMES)[number], true>;
void everyProductType;

export const StablecoinModel = literalUnion(STABLECOINS);

export const ProductTypeModel = literalUnion(PRODUCT_TYPE_NAMES);

export const DnsTxtQuerySchema = t.Object({ domain: DomainInputSchema });

export const VerifyDomainQuerySchema = t.Object({
    domain: DomainInputSchema,
    setupCode: t.Optional(t.String({ maxLength: 256 })),
});

export const VerifyDomainResponseSchema = t.Object({
    isDomainValid: t.Boolean(),
    isAlreadyMinted: t.Boolean(),
});

export const MintBodySchema = t.Object(
    {
        name: t.String({ minLength: 1, maxLength: 256 }),
        domain: DomainInputSchema,
        setupCode: t.Optional(t.String({ maxLength: 256 })),
        currency: StablecoinModel,
        productTypes: t.Array(ProductTypeModel, { minItems: 1, maxItems: 32 }),
    },
    {
        examples: [
            {
                name: "Demo shoe shop",
                domain: "shop.example",
                currency: "eure",
                productTypes: ["webshop", "referral", "purchase"],
            },
        ],
    },
);

export const MintResponseSchema = t.Object({
    txHash: HexSchema,
    productId: HexSchema,
    interactionContract: t.Optional(AddressSchema),
    bankContract: t.Optional(AddressSchema),
});

export const RolesQuerySchema = t.Object({
    productId: t.Optional(HexSchema),
    wallet: t.Optional(AddressSchema),
});

export const RolesResponseSchema = t.Object({
    roles: HexSchema,
    isOwner: t.Boolean(),
    isAdministrator: t.Boolean(),
    isInteractionManager: t.Boolean(),
    isCampaignManager: t.Boolean(),
});

export const TestTokenBodySchema = t.Object(
    { bank: AddressSchema, stablecoin: t.Optional(StablecoinModel) },
    { examples: [{ bank: "0x1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d", stablecoin: "usde" }] },
);
