import type { Hex } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Database } from "../../../infrastructure/persistence";
import type { InteractionsWebhooksRepository } from "../repositories/interactions-webhooks-repository";

export type InteractionsWebhookStatus =
    | { setup: false }
    | { setup: true; source: "custom"; webhookSigninKey?: string };

/**
 * The interactions webhook of a product (the seed's "backend tracker"): setup and delete need the product's
 * owner, an admin or an interactionManager; status shows the signing key only to them
 * (docs/decisions.md, authorisation: the seed returned it to anyone). The routes check the role
 * (`withProductRole`), so product ids arrive here canonical and authorised.
 */
export class InteractionsWebhookAdmin {
    constructor(
        private readonly deps: {
            db: Database;
            webhooks: InteractionsWebhooksRepository;
        },
    ) {}

    async setup(
        productId: Hex,
        input: { hookSignatureKey: string; source: "custom" },
    ): Promise<void> {
        await this.deps.webhooks.upsert(
            this.deps.db,
            productId,
            input.hookSignatureKey,
            input.source,
        );
    }

    async delete(productId: Hex): Promise<void> {
        if (!(await this.deps.webhooks.delete(this.deps.db, productId))) {
            throw new ApiError(
                "tracker_not_found",
                `Product ${productId} have no current tracker setup`,
            );
        }
    }

    /** The signing key only when `mayManage()` (asked only when a webhook is set up). */
    async status(
        productId: Hex,
        mayManage: () => Promise<boolean>,
    ): Promise<InteractionsWebhookStatus> {
        const webhook = await this.deps.webhooks.find(this.deps.db, productId);
        if (!webhook) return { setup: false };
        return (await mayManage())
            ? { setup: true, source: webhook.source, webhookSigninKey: webhook.hookSignatureKey }
            : { setup: true, source: webhook.source };
    }
}
