import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import {
    ANVIL_DEFAULT_PRIVATE_KEY,
    type AnvilInstance,
    type BackendSigners,
    type ChainClients,
    createBackendSigners,
    createChainClients,
    type Deployment,
    deployContracts,
    deploymentFromEnv,
    isDeploymentLive,
    readDeployment,
    startAnvil,
    writeDeployment,
} from "../blockchain";
import type { AppConfig } from "../config";

export type Chain = {
    rpcUrl: string;
    clients: ChainClients;
    deployment: Deployment;
    signers: BackendSigners;
    /** The local anvil node this process started, if any. */
    anvil?: AnvilInstance;
    close(): Promise<void>;
};

export type ChainOptions = {
    masterKey: string;
    env: Record<string, string | undefined>;
    logger: Logger;
    /** Tests: always a fresh anvil without persisted state. */
    ephemeral?: boolean;
};

/**
 * Connects to the configured chain. Without RPC_URL (development and tests) it starts anvil from
 * the npm package and deploys our contracts; in development anvil's state is kept in `.data/`
 * so products and balances survive a restart, and the deployment is reused while it is live.
 */
export async function connectChain(config: AppConfig, options: ChainOptions): Promise<Chain> {
    const deploymentFile = config.chain.deploymentFile ?? join(config.dataDir, "deployment.json");
    let anvil: AnvilInstance | undefined;
    let rpcUrl = config.chain.rpcUrl;
    if (!rpcUrl) {
        const stateArgs = options.ephemeral
            ? []
            : ["--state", join(config.dataDir, "anvil-state.json"), "--state-interval", "10"];
        anvil = await startAnvil({
            args: stateArgs,
            // Development: a node that dies is started again from its state file.
            restartOnExit: options.ephemeral
                ? undefined
                : {
                      onRestart: ({ exitCode }) =>
                          options.logger.warn({ exitCode }, "local anvil exited, restarting it"),
                  },
        });
        rpcUrl = anvil.rpcUrl;
    }
    try {
        const clients = await createChainClients({
            rpcUrl,
            confirmations: config.chain.confirmations,
            pollingIntervalMs: anvil ? 50 : undefined,
        });
        let deployment = deploymentFromEnv(options.env);
        if (!deployment && !options.ephemeral && existsSync(deploymentFile)) {
            deployment = readDeployment(deploymentFile);
            if (anvil && !(await isDeploymentLive(clients, deployment))) deployment = undefined;
        }
        if (!deployment) {
            if (!anvil) {
                throw new Error(
                    `no contract deployment for ${rpcUrl}: set DEPLOYMENT_FILE or the contract address variables`,
                );
            }
            deployment = await deployContracts({
                rpcUrl,
                deployerPrivateKey: ANVIL_DEFAULT_PRIVATE_KEY,
                masterKey: options.masterKey,
            });
            if (!options.ephemeral) writeDeployment(deploymentFile, deployment);
            options.logger.info({ rpcUrl, deploymentFile }, "contracts deployed on local anvil");
        }
        const signers = createBackendSigners({ masterKey: options.masterKey, clients });
        const started = anvil;
        return {
            rpcUrl,
            clients,
            deployment,
            signers,
            anvil,
            close: async () => {
                await started?.stop();
            },
        };
    } catch (error) {
        await anvil?.stop();
        throw error;
    }
}
