import { customType } from "drizzle-orm/pg-core";
import type { Hex } from "viem";

/**
 * Addresses, ids, hashes and signatures are stored as raw bytes (`bytea`) and read back as
 * lower-case `0x` hex, as the seed system does: half the size of text and one canonical form.
 */
export const hexBytes = customType<{ data: Hex; driverData: Uint8Array }>({
    dataType: () => "bytea",
    toDriver: (value) => Buffer.from(value.slice(2), "hex"),
    fromDriver: (value) => `0x${Buffer.from(value).toString("hex")}` as Hex,
});
