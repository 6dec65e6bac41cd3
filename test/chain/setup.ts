/** Shared fixture of the chain tests: a real anvil with our contracts deployed. */
import {
    ANVIL_DEFAULT_PRIVATE_KEY,
    type AnvilInstance,
    type BackendSigners,
    type ChainClients,
    createBackendSigners,
    createChainClients,
    type Deployment,
    deployContracts,
    startAnvil,
} from "../../src/infrastructure/blockchain";

export const TEST_MASTER_KEY = "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";

export type ChainFixture = {
    anvil: AnvilInstance;
    clients: ChainClients;
    signers: BackendSigners;
    deployment: Deployment;
};

export async function startChainFixture(): Promise<ChainFixture> {
    const anvil = await startAnvil();
    try {
        const deployment = await deployContracts({
            rpcUrl: anvil.rpcUrl,
            deployerPrivateKey: ANVIL_DEFAULT_PRIVATE_KEY,
            masterKey: TEST_MASTER_KEY,
        });
        const clients = await createChainClients({
            rpcUrl: anvil.rpcUrl,
            chainId: anvil.chainId,
            confirmations: 1,
            pollingIntervalMs: 50,
        });
        const signers = createBackendSigners({ masterKey: TEST_MASTER_KEY, clients });
        return { anvil, clients, signers, deployment };
    } catch (error) {
        await anvil.stop();
        throw error;
    }
}

/** Moves anvil's clock forward and mines a block so `block.timestamp` reflects it. */
export async function increaseTime(clients: ChainClients, seconds: number): Promise<void> {
    await clients.publicClient.request({ method: "evm_increaseTime", params: [seconds] } as never);
    await clients.publicClient.request({ method: "evm_mine", params: [] } as never);
}

export async function setBalance(clients: ChainClients, address: string, wei: bigint) {
    await clients.publicClient.request({
        method: "anvil_setBalance",
        params: [address, `0x${wei.toString(16)}`],
    } as never);
}
