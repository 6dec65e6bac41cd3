import type { Address, Hex } from "viem";
import { PRODUCT_ROLES } from "../../../infrastructure/blockchain";
import type { ProductRolesReader } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Database } from "../../../infrastructure/persistence";
import type { BackendTrackersRepository } from "../repositories/backend-trackers-repository";
import { requestedProductId } from "./requested-product-id";

export type BackendTrackerStatus =
    | { setup: false }
    | { setup: true; source: "custom"; webhookSigninKey?: string };

/**
 * The interactions webhook ("backend tracker") of a product: setup and delete need the product's
 * owner, an admin or an interactionManager; status shows the signing key only to them
 * (docs/decisions.md, authorisation: the seed returned it to anyone).
 */
export class BackendTrackerAdmin {
    constructor(
        private readonly deps: {
            db: Database;
            trackers: BackendTrackersRepository;
            roles: ProductRolesReader;
        },
    ) {}

    async setup(
        productId: Hex,
        wallet: Address | undefined,
        input: { hookSignatureKey: string; source: "custom" },
    ): Promise<void> {
        const id = await this.authorize(productId, wallet);
        await this.deps.trackers.upsert(this.deps.db, id, input.hookSignatureKey, input.source);
    }

    async delete(productId: Hex, wallet: Address | undefined): Promise<void> {
        const id = await this.authorize(productId, wallet);
        if (!(await this.deps.trackers.delete(this.deps.db, id))) {
            throw new ApiError(
                "tracker_not_found",
                `Product ${productId} have no current tracker setup`,
            );
        }
    }

    async status(productId: Hex, wallet: Address | undefined): Promise<BackendTrackerStatus> {
        const id = requestedProductId(productId);
        const tracker = await this.deps.trackers.find(this.deps.db, id);
        if (!tracker) return { setup: false };
        const mayReadKey = wallet !== undefined && (await this.isManager(id, wallet));
        return mayReadKey
            ? { setup: true, source: tracker.source, webhookSigninKey: tracker.hookSignatureKey }
            : { setup: true, source: tracker.source };
    }

    private async authorize(productId: Hex, wallet: Address | undefined): Promise<Hex> {
        const id = requestedProductId(productId);
        if (!wallet || !(await this.isManager(id, wallet))) {
            throw new ApiError("unauthorized", "Unauthorized");
        }
        return id;
    }

    private isManager(productId: Hex, wallet: Address): Promise<boolean> {
        return this.deps.roles.hasRoleOrAdmin(productId, wallet, PRODUCT_ROLES.interactionManager);
    }
}
