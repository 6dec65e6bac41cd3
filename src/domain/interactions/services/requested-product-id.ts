import type { Hex } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import { canonicalProductId } from "../../../utils/product-id";

/** The canonical form of a product id a caller sent; 400 `invalid_product_id` when it is none. */
export function requestedProductId(productId: Hex): Hex {
    const canonical = canonicalProductId(productId);
    if (!canonical) throw new ApiError("invalid_product_id", "Invalid product id");
    return canonical;
}
