import type { Address, Hex } from "viem";
import { PRODUCT_ROLES } from "../../../infrastructure/blockchain";
import type { ProductRolesReader } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import { canonicalProductId } from "../../../utils/product-id";
import type {
    OraclePlatform,
    OracleRepository,
    OracleStats,
} from "../repositories/oracle-repository";

export type OracleStatus =
    | { setup: false }
    | {
          setup: true;
          platform: OraclePlatform;
          webhookSigninKey: string;
          stats?: OracleStats;
      };

/**
 * `oracleWebhook/setup|status|delete` of the merchant dashboard. Changing the oracle, or seeing
 * its key and stats, takes the product's owner, an administrator or a `purchaseOracleUpdater`.
 */
export class OracleSetupService {
    constructor(
        private readonly oracles: OracleRepository,
        private readonly roles: Pick<ProductRolesReader, "hasRoleOrAdmin">,
    ) {}

    async setup(params: {
        productId: Hex;
        wallet: Address;
        hookSignatureKey: string;
        platform: OraclePlatform;
    }): Promise<void> {
        const productId = await this.authorize(params.productId, params.wallet);
        await this.oracles.upsertSetup(productId, params.hookSignatureKey, params.platform);
    }

    /** Disables the oracle (webhooks then get 404); purchases and tree are kept. */
    async delete(params: { productId: Hex; wallet: Address }): Promise<void> {
        const productId = await this.authorize(params.productId, params.wallet);
        if (!(await this.oracles.disable(productId))) {
            throw new ApiError(
                "oracle_not_found",
                `Product ${params.productId} have no current oracle setup`,
            );
        }
    }

    async status(params: { productId: Hex; wallet: Address | null }): Promise<OracleStatus> {
        const productId = canonical(params.productId);
        const oracle = await this.oracles.findByProductId(productId);
        if (!oracle?.enabled) return { setup: false };
        const allowed = params.wallet !== null && (await this.isAllowed(productId, params.wallet));
        if (!allowed) {
            return { setup: true, platform: oracle.platform, webhookSigninKey: "redacted" };
        }
        return {
            setup: true,
            platform: oracle.platform,
            webhookSigninKey: oracle.hookSignatureKey,
            stats: await this.oracles.stats(oracle.id),
        };
    }

    private async authorize(rawProductId: Hex, wallet: Address): Promise<Hex> {
        const productId = canonical(rawProductId);
        if (!(await this.isAllowed(productId, wallet))) {
            throw new ApiError("unauthorized", "Unauthorized");
        }
        return productId;
    }

    private isAllowed(productId: Hex, wallet: Address): Promise<boolean> {
        return this.roles.hasRoleOrAdmin(productId, wallet, PRODUCT_ROLES.purchaseOracleUpdater);
    }
}

function canonical(productId: Hex): Hex {
    const normalized = canonicalProductId(productId);
    if (!normalized) throw new ApiError("invalid_product_id", "Invalid product id");
    return normalized;
}
