import type { Hex } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Database } from "../../../infrastructure/persistence";
import type { BackendTrackersRepository } from "../repositories/backend-trackers-repository";

export type BackendTrackerStatus =
    | { setup: false }
    | { setup: true; source: "custom"; webhookSigninKey?: string };

/**
 * The interactions webhook ("backend tracker") of a product: setup and delete need the product's
 * owner, an admin or an interactionManager; status shows the signing key only to them
 * (docs/decisions.md, authorisation: the seed returned it to anyone). The routes check the role
 * (`withProductRole`), so product ids arrive here canonical and authorised.
 */
export class BackendTrackerAdmin {
    constructor(
        private readonly deps: {
            db: Database;
            trackers: BackendTrackersRepository;
        },
    ) {}

    async setup(
        productId: Hex,
        input: { hookSignatureKey: string; source: "custom" },
    ): Promise<void> {
        await this.deps.trackers.upsert(
            this.deps.db,
            productId,
            input.hookSignatureKey,
            input.source,
        );
    }

    async delete(productId: Hex): Promise<void> {
        if (!(await this.deps.trackers.delete(this.deps.db, productId))) {
            throw new ApiError(
                "tracker_not_found",
                `Product ${productId} have no current tracker setup`,
            );
        }
    }

    /** The signing key only when `mayManage()` (asked only when a tracker exists). */
    async status(productId: Hex, mayManage: () => Promise<boolean>): Promise<BackendTrackerStatus> {
        const tracker = await this.deps.trackers.find(this.deps.db, productId);
        if (!tracker) return { setup: false };
        return (await mayManage())
            ? { setup: true, source: tracker.source, webhookSigninKey: tracker.hookSignatureKey }
            : { setup: true, source: tracker.source };
    }
}
