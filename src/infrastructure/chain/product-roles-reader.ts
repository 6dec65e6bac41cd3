import { LRUCache } from "lru-cache";
import type { Address, Hex } from "viem";
import {
    type ChainClients,
    type Deployment,
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
    productRegistryAbi,
} from "../blockchain";

export type ProductRoles = { isOwner: boolean; roles: bigint };

/**
 * The seed's rule, the only place it is written: the owner holds every role; anyone else holds
 * a role through its bit or the administrator bit.
 */
export const holdsRole = ({ isOwner, roles }: ProductRoles, role: bigint): boolean =>
    isOwner || (roles & (role | PRODUCT_ROLES.admin)) !== 0n;

/**
 * A wallet's roles on a product, read on-chain in one multicall (owner + role bitmask) and cached
 * for 60 s. Routes that change roles call `invalidate` so their own changes show at once.
 */
export class ProductRolesReader {
    private readonly cache = new LRUCache<string, ProductRoles>({ max: 4096, ttl: 60_000 });

    constructor(
        private readonly clients: Pick<ChainClients, "publicClient">,
        private readonly deployment: Pick<
            Deployment,
            "productRegistry" | "productAdministratorRegistry"
        >,
    ) {}

    async rolesOf(productId: bigint | Hex, wallet: Address): Promise<ProductRoles> {
        const id = BigInt(productId);
        const key = cacheKey(id, wallet);
        const cached = this.cache.get(key);
        if (cached) return cached;
        const [owner, roles] = await this.clients.publicClient.multicall({
            contracts: [
                {
                    address: this.deployment.productRegistry,
                    abi: productRegistryAbi,
                    functionName: "ownerOf",
                    args: [id],
                },
                {
                    address: this.deployment.productAdministratorRegistry,
                    abi: productAdministratorRegistryAbi,
                    functionName: "rolesOf",
                    args: [id, wallet],
                },
            ],
        });
        // ownerOf reverts for a product that was never minted: nobody owns it.
        if (roles.status === "failure") throw roles.error;
        const result: ProductRoles = {
            isOwner:
                owner.status === "success" &&
                (owner.result as Address).toLowerCase() === wallet.toLowerCase(),
            roles: roles.result as bigint,
        };
        this.cache.set(key, result);
        return result;
    }

    /** Whether the wallet holds `role` on the product (`holdsRole`). */
    async hasRoleOrAdmin(productId: bigint | Hex, wallet: Address, role: bigint): Promise<boolean> {
        return holdsRole(await this.rolesOf(productId, wallet), role);
    }

    invalidate(productId: bigint | Hex, wallet: Address): void {
        this.cache.delete(cacheKey(BigInt(productId), wallet));
    }
}

function cacheKey(productId: bigint, wallet: Address): string {
    return `${productId.toString(16)}:${wallet.toLowerCase()}`;
}
