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
    startDevAnvil,
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
        if (options.ephemeral) {
            anvil = await startAnvil();
        } else {
            // Development: one node per data dir, kept across watch reloads, restarted when it
            // dies, its state saved atomically (see dev-anvil.ts).
            const dev = await startDevAnvil({ dataDir: config.dataDir, log: options.logger });
            options.logger.info(
                { rpcUrl: dev.rpcUrl, anvilPid: dev.pid, state: dev.restoredFrom },
                dev.reused
                    ? "chain: local anvil still running, reused"
                    : dev.restoredFrom
                      ? "chain: local anvil started from its saved state"
                      : "chain: local anvil started on a new chain",
            );
            anvil = dev;
        }
        rpcUrl = anvil.rpcUrl;
    } else {
        options.logger.info({ rpcUrl: redactUrl(rpcUrl) }, "chain: using RPC_URL");
    }
    try {
        const clients = await createChainClients({
            rpcUrl,
            confirmations: config.chain.confirmations,
            pollingIntervalMs: anvil ? 50 : undefined,
        });
        let deployment = deploymentFromEnv(options.env);
        if (deployment) {
            options.logger.info({}, "contracts: addresses from the environment");
        } else if (!options.ephemeral && existsSync(deploymentFile)) {
            deployment = readDeployment(deploymentFile);
            if (anvil && !(await isDeploymentLive(clients, deployment))) {
                options.logger.info(
                    { deploymentFile },
                    "contracts: not on this chain, redeploying",
                );
                deployment = undefined;
            } else {
                options.logger.info(
                    { deploymentFile },
                    "contracts: reused from the deployment file",
                );
            }
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
            options.logger.info(
                { deploymentFile: options.ephemeral ? undefined : deploymentFile },
                "contracts: deployed on the local anvil",
            );
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

/** An RPC URL without its credentials or API key path, for logs. */
function redactUrl(url: string): string {
    try {
        const parsed = new URL(url);
        return `${parsed.protocol}//${parsed.host}`;
    } catch {
        return "(unparsable)";
    }
}
