import type { Hex } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
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
 * its key and stats, takes the product's owner, an administrator or a `purchaseOracleUpdater`:
 * the routes check it (`withProductRole`), so product ids arrive here canonical and authorised.
 */
export class OracleSetupService {
    constructor(private readonly oracles: OracleRepository) {}

    async setup(params: {
        productId: Hex;
        hookSignatureKey: string;
        platform: OraclePlatform;
    }): Promise<void> {
        await this.oracles.upsertSetup(params.productId, params.hookSignatureKey, params.platform);
    }

    /** Disables the oracle (webhooks then get 404); purchases and tree are kept. */
    async delete(productId: Hex): Promise<void> {
        if (!(await this.oracles.disable(productId))) {
            throw new ApiError(
                "oracle_not_found",
                `Product ${productId} have no current oracle setup`,
            );
        }
    }

    /** The key and stats only when `mayManage()` (asked only for an enabled oracle). */
    async status(productId: Hex, mayManage: () => Promise<boolean>): Promise<OracleStatus> {
        const oracle = await this.oracles.findByProductId(productId);
        if (!oracle?.enabled) return { setup: false };
        if (!(await mayManage())) {
            return { setup: true, platform: oracle.platform, webhookSigninKey: "redacted" };
        }
        return {
            setup: true,
            platform: oracle.platform,
            webhookSigninKey: oracle.hookSignatureKey,
            stats: await this.oracles.stats(oracle.id),
        };
    }
}
