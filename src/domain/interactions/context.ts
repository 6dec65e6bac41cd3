import type { Address, Hex } from "viem";
import type { Infrastructure } from "../../infrastructure";
import type { JobScheduler } from "../../jobs";
import { type AudienceFilter, AudienceRepository } from "./repositories/audience-repository";
import { normalizeProductId } from "./services/product-id";

/** Wires the interactions domain: repositories, services, jobs and routes. */
export function createInteractionsDomain(infra: Infrastructure, _jobs: JobScheduler) {
    const audienceRepository = new AudienceRepository(infra.database.db);
    return {
        /** Who interacted with which products (pushed on-chain or still in the pipeline). */
        audience: {
            walletsInteractedWith: (
                productIds: Hex[],
                filter?: AudienceFilter,
            ): Promise<Address[]> =>
                audienceRepository.walletsInteractedWith(
                    productIds.map(normalizeProductId),
                    filter,
                ),
            walletsAmong: (wallets: Address[], productIds: Hex[]): Promise<Address[]> =>
                audienceRepository.walletsAmong(wallets, productIds.map(normalizeProductId)),
        },
    };
}
