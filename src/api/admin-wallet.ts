import { Elysia, t } from "elysia";
import type { Infrastructure } from "../infrastructure";
import { ApiError } from "../infrastructure/errors/api-error";
import { apiErrors } from "../infrastructure/http";
import { HexSchema } from "../utils/schemas";

/**
 * GET /common/adminWallet: the public address of a derived backend signer, by product id (wins)
 * or by key (`interaction-executor`, `oracle-updater`, `minter`, ...). Merchants use it to grant
 * the backend roles on their product.
 */
export function adminWalletRoutes(infra: Pick<Infrastructure, "chain">) {
    return new Elysia({ name: "common-admin-wallet", tags: ["common"] }).get(
        "/common/adminWallet",
        ({ query }) => {
            const signers = infra.chain.signers;
            if (query.productId !== undefined && query.productId !== "0x") {
                return { pubKey: signers.productAccount(BigInt(query.productId)).address };
            }
            if (query.key) return { pubKey: signers.address(query.key) };
            throw new ApiError("invalid_query", "Invalid query");
        },
        {
            query: t.Object({
                productId: t.Optional(HexSchema),
                key: t.Optional(t.String({ maxLength: 128 })),
            }),
            response: {
                200: t.Object({ pubKey: t.String() }),
                ...apiErrors({ 400: ["invalid_query"] }),
            },
            detail: { summary: "Address of a derived backend signer" },
        },
    );
}
