import { type Address, type Hex, toHex } from "viem";
import { PRODUCT_ROLES } from "../../../infrastructure/blockchain";
import type { ProductRolesReader } from "../../../infrastructure/chain";
import { holdsRole, rethrowChainUnavailable } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import { canonicalProductId } from "../../../utils/product-id";

export type WalletRoles = {
    /** The raw bitmask as minimal hex (`0x0`, `0x7`). */
    roles: Hex;
    isOwner: boolean;
    isAdministrator: boolean;
    isInteractionManager: boolean;
    isCampaignManager: boolean;
};

const invalidProductId = () => new ApiError("invalid_product_id", "Invalid product id");
const unauthorized = () => new ApiError("unauthorized", "Unauthorized");

/**
 * A wallet's roles on a product, from one multicall (owner + bitmask) cached 60 s by the
 * roles reader; who holds a role is `holdsRole` (infrastructure/chain).
 */
export class ProductRolesService {
    constructor(private readonly reader: Pick<ProductRolesReader, "rolesOf">) {}

    /** The seed's order: a missing product id is refused before a missing session. */
    async rolesOf(
        productId: Hex | undefined,
        wallet: Address | undefined,
        sessionWallet: Address | undefined,
    ): Promise<WalletRoles> {
        // uint256 ids only: `0x` and anything longer than 32 bytes are not product ids.
        const canonical = productId === undefined ? null : canonicalProductId(productId);
        if (!canonical) throw invalidProductId();
        if (!sessionWallet) throw unauthorized();
        const held = await this.reader
            .rolesOf(canonical, wallet ?? sessionWallet)
            .catch(rethrowChainUnavailable);
        const has = (role: bigint) => holdsRole(held, role);
        return {
            roles: toHex(held.roles),
            isOwner: held.isOwner,
            isAdministrator: has(PRODUCT_ROLES.admin),
            isInteractionManager: has(PRODUCT_ROLES.interactionManager),
            isCampaignManager: has(PRODUCT_ROLES.campaignManager),
        };
    }
}
