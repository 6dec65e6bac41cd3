import { LRUCache } from "lru-cache";
import { type Address, getAbiItem, type Hex } from "viem";
import {
    type ChainClients,
    type Deployment,
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
    productRegistryAbi,
} from "../../../infrastructure/blockchain";
import type { ProductRoles } from "../../../infrastructure/chain";
import { requireCanonicalProductId } from "../../../utils/product-id";

/** The on-chain roles look-up (the shared 60 s cached reader). */
export type ProductRolesLookup = {
    rolesOf(productId: bigint | Hex, wallet: Address): Promise<ProductRoles>;
};

const transferEvent = getAbiItem({ abi: productRegistryAbi, name: "Transfer" });
const rolesUpdatedEvent = getAbiItem({
    abi: productAdministratorRegistryAbi,
    name: "ProductRolesUpdated",
});

/**
 * The products a merchant wallet may address: those it owns or administers on-chain.
 * Candidates come from the registries' events naming the wallet (ERC-721 transfers to it, role
 * updates of it); each is then confirmed against current state, since ownership and roles change.
 */
export class MerchantProductsChainReader {
    private readonly cache = new LRUCache<string, readonly Hex[]>({ max: 1024, ttl: 60_000 });

    constructor(
        private readonly clients: Pick<ChainClients, "publicClient">,
        private readonly deployment: Pick<
            Deployment,
            "productRegistry" | "productAdministratorRegistry"
        >,
        private readonly roles: ProductRolesLookup,
    ) {}

    /** Product ids (32-byte lower-case hex) the wallet owns or is administrator of. */
    async productsManagedBy(wallet: Address): Promise<readonly Hex[]> {
        const key = wallet.toLowerCase();
        const cached = this.cache.get(key);
        if (cached) return cached;
        const { publicClient } = this.clients;
        const [transfers, roleUpdates] = await Promise.all([
            publicClient.getLogs({
                address: this.deployment.productRegistry,
                event: transferEvent,
                args: { to: wallet },
                fromBlock: 0n,
                toBlock: "latest",
            }),
            publicClient.getLogs({
                address: this.deployment.productAdministratorRegistry,
                event: rolesUpdatedEvent,
                args: { wallet },
                fromBlock: 0n,
                toBlock: "latest",
            }),
        ]);
        const candidates = new Set<bigint>();
        for (const log of transfers)
            if (log.args.tokenId !== undefined) candidates.add(log.args.tokenId);
        for (const log of roleUpdates) {
            if (log.args.productId !== undefined) candidates.add(log.args.productId);
        }
        const managed: Hex[] = [];
        for (const productId of candidates) {
            const { isOwner, roles } = await this.roles.rolesOf(productId, wallet);
            if (isOwner || (roles & PRODUCT_ROLES.admin) !== 0n)
                managed.push(requireCanonicalProductId(productId));
        }
        this.cache.set(key, managed);
        return managed;
    }
}
