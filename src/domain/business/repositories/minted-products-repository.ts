import type { Address, Hash, Hex } from "viem";
import type { Executor } from "../../../infrastructure/persistence";
import { mintedProductsTable } from "../db/schema";

/** business_minted_products: the domains of the products we minted. */
export class MintedProductsRepository {
    constructor(private readonly db: Executor) {}

    async record(product: {
        productId: Hex;
        domain: string;
        owner: Address;
        mintTxHash: Hash;
    }): Promise<void> {
        await this.db
            .insert(mintedProductsTable)
            .values({ ...product, owner: product.owner.toLowerCase() as Hex })
            .onConflictDoNothing();
    }

    async allDomains(): Promise<string[]> {
        const rows = await this.db
            .select({ domain: mintedProductsTable.domain })
            .from(mintedProductsTable);
        return rows.map((row) => row.domain);
    }
}
