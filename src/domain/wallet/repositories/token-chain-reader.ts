import { LRUCache } from "lru-cache";
import { type Abi, type Address, erc20Abi, getAddress, type PublicClient } from "viem";
import { ChainUnavailableError, isChainUnavailable } from "../../../infrastructure/chain";

export type TokenMetadata = { name: string; symbol: string; decimals: number };

/** A read returning a uint256 (balanceOf, claimableOf, ...). */
export type AmountCall = {
    address: Address;
    abi: Abi;
    functionName: string;
    args: readonly unknown[];
};

export type AmountsWithMetadata = {
    /** One per call, in order; undefined when that call failed. */
    amounts: Array<bigint | undefined>;
    /** Lower-case token address -> metadata; absent when the token's metadata could not be read. */
    metadata: Map<string, TokenMetadata>;
};

/**
 * On-chain token reads in one multicall: the requested amounts plus the name, symbol and decimals
 * of the tokens whose metadata is not cached yet (kept in a bounded LRU; metadata never changes).
 */
export class TokenChainReader {
    private readonly metadataCache: LRUCache<string, TokenMetadata>;

    /**
     * `client` should not batch by waiting (the shared client's 10 ms JSON-RPC and multicall
     * batch windows would add ~20 ms to every call); this reader sends one multicall anyway.
     */
    constructor(
        private readonly client: PublicClient,
        maxTokens = 1024,
    ) {
        this.metadataCache = new LRUCache({ max: maxTokens });
    }

    /** Whether a contract is deployed at `address` (a smart wallet once it made its first call). */
    async isDeployed(address: Address): Promise<boolean> {
        const code = await this.client.getCode({ address });
        return Boolean(code && code !== "0x");
    }

    async read(calls: AmountCall[], tokens: readonly Address[]): Promise<AmountsWithMetadata> {
        const metadata = new Map<string, TokenMetadata>();
        const missing: Address[] = [];
        for (const token of new Set(tokens.map((t) => t.toLowerCase()))) {
            const cached = this.metadataCache.get(token);
            if (cached) metadata.set(token, cached);
            else missing.push(getAddress(token));
        }
        const metadataCalls = missing.flatMap((address) =>
            (["name", "symbol", "decimals"] as const).map((functionName) => ({
                address,
                abi: erc20Abi,
                functionName,
            })),
        );
        const contracts = [...calls, ...metadataCalls];
        if (contracts.length === 0) return { amounts: [], metadata };
        const results = (await this.client.multicall({
            contracts: contracts as never,
            allowFailure: true,
            // Without Multicall3 on the chain (anvil), the aggregator's code rides in the eth_call.
            deployless: !this.client.chain?.contracts?.multicall3,
        })) as Array<{ status: "success" | "failure"; result?: unknown; error?: unknown }>;
        // allowFailure also turns an unreachable node into per-call failures: that is an
        // outage (503), not a balance of 0.
        const outage = results.find((result) => isChainUnavailable(result.error));
        if (outage) throw new ChainUnavailableError(outage.error);
        const amounts = results
            .slice(0, calls.length)
            .map((result) =>
                result.status === "success" && typeof result.result === "bigint"
                    ? result.result
                    : undefined,
            );
        missing.forEach((address, i) => {
            const [name, symbol, decimals] = results.slice(
                calls.length + i * 3,
                calls.length + i * 3 + 3,
            );
            if (
                name?.status !== "success" ||
                symbol?.status !== "success" ||
                decimals?.status !== "success"
            ) {
                return; // not an ERC-20 with metadata: left out, and asked again next time
            }
            const entry = {
                name: String(name.result),
                symbol: String(symbol.result),
                decimals: Number(decimals.result),
            };
            const key = address.toLowerCase();
            this.metadataCache.set(key, entry);
            metadata.set(key, entry);
        });
        return { amounts, metadata };
    }
}
