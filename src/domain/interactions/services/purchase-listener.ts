import type { Address } from "viem";
import type { Database } from "../../../infrastructure/persistence";
import type { PurchaseTrackersRepository } from "../repositories/purchase-trackers-repository";

/** `listenForPurchase`: links a shop order to the wallet that should be rewarded for it. */
export class PurchaseListener {
    constructor(
        private readonly deps: {
            db: Database;
            trackers: PurchaseTrackersRepository;
            onTracked: () => void;
        },
    ) {}

    async listen(
        wallet: Address,
        order: { customerId: string | number; orderId: string | number; token: string },
    ): Promise<void> {
        await this.deps.trackers.insert(this.deps.db, {
            wallet,
            externalCustomerId: String(order.customerId),
            externalPurchaseId: String(order.orderId),
            token: order.token,
        });
        this.deps.onTracked();
    }
}
