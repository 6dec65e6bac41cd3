import { Elysia, t } from "elysia";
import { apiErrors, type SessionMacros } from "../../../infrastructure/http";
import type { ProductDomainService } from "../services/product-domain-service";
import type { ProductMintService } from "../services/product-mint-service";
import {
    DnsTxtQuerySchema,
    MintBodySchema,
    MintResponseSchema,
    VerifyDomainQuerySchema,
    VerifyDomainResponseSchema,
} from "./models";

const detail = (summary: string) => ({ summary, tags: ["business"] });

/** `/business/product/mint/*`: prove a domain (DNS TXT or setup code), then mint the product on-chain. */
export function mintRoutes(
    macros: SessionMacros,
    domains: ProductDomainService,
    minting: ProductMintService,
) {
    return new Elysia({ name: "business-product-mint" })
        .use(macros)
        .get(
            "/business/product/mint/dnsTxt",
            // The seed answers an empty text without a session.
            ({ businessSession, query }) =>
                businessSession ? domains.dnsTxtRecord(query.domain, businessSession.wallet) : "",
            {
                withBusinessSession: true,
                query: DnsTxtQuerySchema,
                response: {
                    200: t.String({
                        description: "Text: `frak-business; hash=0x…` (empty without a session)",
                    }),
                },
                detail: detail("The DNS TXT record proving the caller owns the domain (text)"),
            },
        )
        .get(
            "/business/product/mint/verify",
            async ({ businessSession, query }) =>
                businessSession
                    ? domains.verify(query.domain, businessSession.wallet, query.setupCode)
                    : { isDomainValid: false, isAlreadyMinted: false },
            {
                withBusinessSession: true,
                query: VerifyDomainQuerySchema,
                response: {
                    200: VerifyDomainResponseSchema,
                    ...apiErrors({ 503: ["dns_unavailable"] }),
                },
                detail: detail("Is the domain proven (DNS TXT or setup code) and already minted"),
            },
        )
        .put(
            "/business/product/mint",
            async ({ businessSession, body }) => minting.mint(businessSession.wallet, body),
            {
                withBusinessAuthent: true,
                body: MintBodySchema,
                response: {
                    200: MintResponseSchema,
                    ...apiErrors({
                        400: ["invalid_domain_proof", "product_already_exists"],
                        503: ["dns_unavailable", "chain_unavailable"],
                    }),
                },
                detail: detail(
                    "Mint a product on-chain with its interaction contract and campaign bank",
                ),
            },
        );
}
