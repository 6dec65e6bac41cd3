/**
 * `npm run dev:cluster`: two instances of the service on one machine, sharing PostgreSQL, Redis
 * and one local anvil, as production runs N instances behind a load balancer.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/wallet REDIS_URL=redis://127.0.0.1:6379 \
 *     npm run dev:cluster        # instance a on PORT (3030), instance b on PORT + 1
 *
 * The script owns the chain (the data directory's anvil, contracts deployed once) and the
 * development secrets; the instances get RPC_URL + DEPLOYMENT_FILE and the same DATA_DIR for the
 * secrets, so a session issued by one is accepted by the other. Ctrl-C stops both instances,
 * then saves the chain and stops anvil.
 */
import { type Subprocess, spawn } from "bun";
import { connectChain } from "../src/infrastructure/chain";
import { loadConfig } from "../src/infrastructure/config";
import { acquireDataDirLock, DataDirInUseError } from "../src/infrastructure/data-dir";
import { createLogger } from "../src/infrastructure/logger";
import { loadOrCreateDevSecrets } from "../src/infrastructure/secrets";

const env: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: process.env.DATA_DIR || "./.data/cluster",
    REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
};
if (!env.DATABASE_URL) {
    console.error(
        "dev:cluster needs a PostgreSQL both instances share: set DATABASE_URL (PGlite is single-process)",
    );
    process.exit(1);
}
const config = loadConfig({ ...env, RPC_URL: undefined });
const logger = createLogger("info", {
    name: "cluster",
    format: config.logFormat,
    runningLocally: true,
});

let lock: ReturnType<typeof acquireDataDirLock>;
try {
    lock = acquireDataDirLock(config.dataDir, "npm run dev:cluster");
} catch (error) {
    if (error instanceof DataDirInUseError) {
        console.error(error.message);
        process.exit(1);
    }
    throw error;
}
process.on("exit", () => lock.release());

const secrets = loadOrCreateDevSecrets(config.dataDir);
const chain = await connectChain(config, { masterKey: secrets.masterKey, env, logger });
const deploymentFile = config.chain.deploymentFile ?? `${config.dataDir}/deployment.json`;

const instances: { name: string; port: number; child: Subprocess<"ignore", "pipe", "pipe"> }[] = [];

/** Starts one instance and resolves once it logs "ready" (its lines are prefixed with its name). */
async function startInstance(name: string, port: number): Promise<void> {
    const child = spawn([process.execPath, "src/index.ts"], {
        cwd: new URL("..", import.meta.url).pathname,
        env: {
            ...env,
            PORT: String(port),
            HOSTNAME: `instance-${name}`,
            RPC_URL: chain.rpcUrl,
            DEPLOYMENT_FILE: deploymentFile,
        },
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
    });
    instances.push({ name, port, child });
    let resolveReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
        resolveReady = resolve;
    });
    const relay = async (stream: ReadableStream<Uint8Array>, out: NodeJS.WriteStream) => {
        let buffered = "";
        for await (const chunk of stream) {
            buffered += new TextDecoder().decode(chunk);
            const lines = buffered.split("\n");
            buffered = lines.pop() ?? "";
            for (const line of lines) {
                if (line.includes("ready in")) resolveReady();
                out.write(`[${name}] ${line}\n`);
            }
        }
    };
    void relay(child.stdout, process.stdout);
    void relay(child.stderr, process.stderr);
    const exited = child.exited.then((code) => {
        throw new Error(`instance ${name} exited with code ${code} before it was ready`);
    });
    await Promise.race([ready, exited]);
}

const basePort = config.port;
try {
    // One after the other: the first generates the shared files (VAPID keys) the second reads.
    await startInstance("a", basePort);
    await startInstance("b", basePort + 1);
} catch (error) {
    logger.error({ error: (error as Error).message }, "cluster did not start");
    await stopAll(1);
}
logger.info(
    {
        instances: instances.map(({ name, port }) => ({ name, url: `http://localhost:${port}` })),
    },
    `cluster ready\n${instances
        .map(({ name, port }) => `    instance ${name}      http://localhost:${port}`)
        .join("\n")}\n    Local RPC       ${chain.rpcUrl}\n    Redis           ${env.REDIS_URL}`,
);

let stopping = false;
async function stopAll(code: number): Promise<never> {
    if (!stopping) {
        stopping = true;
        for (const { child } of instances) child.kill("SIGTERM");
        await Promise.allSettled(instances.map(({ child }) => child.exited));
        await chain.close();
        lock.release();
        logger.info("cluster stopped");
    }
    process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));
// An instance that dies takes the cluster down with it, loudly.
for (const { name, child } of instances) {
    void child.exited.then((code) => {
        if (stopping) return;
        logger.error({ instance: name, code }, "an instance exited: stopping the cluster");
        void stopAll(1);
    });
}
