/**
 * viem clients for our chain: multicall and HTTP JSON-RPC batching, retries of transient RPC
 * errors, and receipts awaited with a configurable number of confirmations.
 */
import {
    type Account,
    type Chain,
    createPublicClient,
    createWalletClient,
    defineChain,
    type Hash,
    http,
    type PublicClient,
    type TransactionReceipt,
    type Transport,
    type WalletClient,
} from "viem";

export type ChainClientOptions = {
    rpcUrl: string;
    /** Chain id; read from the node when omitted. */
    chainId?: number;
    /** Blocks on top of the receipt's block before waitForReceipt resolves (default 1). */
    confirmations?: number;
    /** Retries of a failing RPC request (default 3), with exponential backoff from retryDelayMs. */
    retryCount?: number;
    retryDelayMs?: number;
    /** Per-request timeout (default 30 s). */
    timeoutMs?: number;
    /** Receipt / block polling interval (default 250 ms; anvil mines instantly). */
    pollingIntervalMs?: number;
    /**
     * Multicall3 address of the chain. Without it (anvil has none) batched reads use viem's
     * deployless multicall, which sends the aggregator's code inside the eth_call.
     */
    multicall3Address?: `0x${string}`;
};

export type ChainClients = {
    chain: Chain;
    publicClient: PublicClient<Transport, Chain>;
    walletClient: (account: Account) => WalletClient<Transport, Chain, Account>;
    /** Waits for a receipt with the configured confirmations; throws if the tx reverted. */
    waitForReceipt: (
        hash: Hash,
        options?: { confirmations?: number },
    ) => Promise<TransactionReceipt>;
    confirmations: number;
};

export function chainFor(
    chainId: number,
    rpcUrl: string,
    multicall3Address?: `0x${string}`,
): Chain {
    return defineChain({
        id: chainId,
        name: chainId === 31337 ? "Anvil" : `Chain ${chainId}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [rpcUrl] } },
        ...(multicall3Address ? { contracts: { multicall3: { address: multicall3Address } } } : {}),
    });
}

export async function readChainId(rpcUrl: string): Promise<number> {
    const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 3 }) });
    return probe.getChainId();
}

export async function createChainClients(options: ChainClientOptions): Promise<ChainClients> {
    const chainId = options.chainId ?? (await readChainId(options.rpcUrl));
    const chain = chainFor(chainId, options.rpcUrl, options.multicall3Address);
    const confirmations = options.confirmations ?? 1;
    const pollingInterval = options.pollingIntervalMs ?? 250;
    // viem only retries errors it deems transient (network errors, 5xx, 429, JSON-RPC
    // "limit exceeded"/internal), never reverts, so this is safe for sends too.
    // wait 0: requests issued in the same tick share one HTTP batch / multicall, without adding
    // latency to a lone read (a 10 ms window cost every single read ~20 ms).
    const transport = http(options.rpcUrl, {
        batch: { wait: 0 },
        retryCount: options.retryCount ?? 3,
        retryDelay: options.retryDelayMs ?? 150,
        timeout: options.timeoutMs ?? 30_000,
    });
    const publicClient = createPublicClient({
        chain,
        transport,
        batch: { multicall: { wait: 0, deployless: !options.multicall3Address } },
        pollingInterval,
    }) as PublicClient<Transport, Chain>;

    return {
        chain,
        publicClient,
        confirmations,
        walletClient: (account) =>
            createWalletClient({ account, chain, transport, pollingInterval }),
        waitForReceipt: async (hash, opts) => {
            const receipt = await publicClient.waitForTransactionReceipt({
                hash,
                confirmations: opts?.confirmations ?? confirmations,
                pollingInterval,
                retryCount: 8,
            });
            if (receipt.status !== "success") {
                throw new Error(`transaction ${hash} reverted`);
            }
            return receipt;
        },
    };
}
