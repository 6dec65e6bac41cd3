/**
 * Deploys our contracts and wires the backend's derived signers, and reads/writes the resulting
 * addresses.
 *
 * Addresses are deterministic: one deployer sends every deployment in a fixed order, so a fresh
 * chain (and the same deployer key) always gives the same addresses.
 *
 * Who can do what after deployContracts():
 *   - deployer: owner of ProductRegistry and of the test stablecoins (can add minters).
 *   - `minter`: registry minter (mints products, deploys interaction contracts and campaign
 *     banks for any product, one-time `bootstrapRoles` of a freshly minted product) and minter
 *     of every test stablecoin.
 *   - `monerium-dev`: holds 1 000 000 of each test stablecoin (funds campaign banks).
 *   - `interaction-executor`: needs no role (handleInteractions is open; the batch's signature by
 *     the product signer is the authorization), only gas.
 *   - `oracle-updater` and the product signer (label = product id hex) get their roles per
 *     product at mint time: ProductMinter (business domain) calls bootstrapRoles with
 *     oracle-updater -> PURCHASE_ORACLE_UPDATER and product signer -> INTERACTION_MANAGER.
 *   On anvil the four fixed signers get 1 000 ETH each (anvil_setBalance).
 *
 * Environment variables read by deploymentFromEnv (all addresses, 0x-prefixed):
 *   PRODUCT_REGISTRY_ADDRESS, PRODUCT_ADMINISTRATOR_REGISTRY_ADDRESS, PURCHASE_ORACLE_ADDRESS,
 *   PRODUCT_INTERACTION_MANAGER_ADDRESS, CAMPAIGN_BANK_FACTORY_ADDRESS, WALLET_FACTORY_ADDRESS,
 *   MUSD_TOKEN_ADDRESS, EURE_TOKEN_ADDRESS, GBPE_TOKEN_ADDRESS, USDE_TOKEN_ADDRESS,
 *   and optionally CHAIN_ID.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
    type Abi,
    type Address,
    encodeFunctionData,
    getAddress,
    getContractAddress,
    type Hash,
    type Hex,
    isAddress,
    parseEther,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
    campaignBankFactoryAbi,
    campaignBankFactoryBytecode,
} from "./artifacts/CampaignBankFactory";
import {
    productAdministratorRegistryAbi,
    productAdministratorRegistryBytecode,
} from "./artifacts/ProductAdministratorRegistry";
import {
    productInteractionManagerAbi,
    productInteractionManagerBytecode,
} from "./artifacts/ProductInteractionManager";
import { productRegistryAbi, productRegistryBytecode } from "./artifacts/ProductRegistry";
import { purchaseOracleAbi, purchaseOracleBytecode } from "./artifacts/PurchaseOracle";
import { testStablecoinAbi, testStablecoinBytecode } from "./artifacts/TestStablecoin";
import { walletFactoryAbi, walletFactoryBytecode } from "./artifacts/WalletFactory";
import { type ChainClients, createChainClients } from "./client";
import { type BackendSigners, createBackendSigners, SIGNER_LABELS } from "./signers";

export const PRODUCT_ROLES = {
    admin: 1n,
    interactionManager: 2n,
    campaignManager: 4n,
    purchaseOracleUpdater: 8n,
} as const;

export type TokenKey = "mUSD" | "eure" | "gbpe" | "usde";

export type Deployment = {
    chainId?: number;
    productRegistry: Address;
    productAdministratorRegistry: Address;
    purchaseOracle: Address;
    productInteractionManager: Address;
    campaignBankFactory: Address;
    walletFactory: Address;
    tokens: Record<TokenKey, Address>;
};

const STABLECOINS: Array<{ key: TokenKey; name: string; symbol: string }> = [
    { key: "mUSD", name: "Mock USD", symbol: "mUSD" },
    { key: "eure", name: "Monerium EUR emoney (test)", symbol: "EURe" },
    { key: "gbpe", name: "Monerium GBP emoney (test)", symbol: "GBPe" },
    { key: "usde", name: "Monerium USD emoney (test)", symbol: "USDe" },
];

async function isAnvil(clients: ChainClients): Promise<boolean> {
    try {
        const version = await clients.publicClient.request({
            method: "web3_clientVersion",
        } as never);
        return String(version).toLowerCase().startsWith("anvil");
    } catch {
        return false;
    }
}

export async function deployContracts(options: {
    rpcUrl: string;
    deployerPrivateKey: Hex;
    masterKey: string;
    /** Defaults to true on anvil: anvil_setBalance of the four fixed signers. */
    fundSigners?: boolean;
}): Promise<Deployment> {
    const clients = await createChainClients({ rpcUrl: options.rpcUrl, pollingIntervalMs: 50 });
    const anvil = await isAnvil(clients);
    const signers = createBackendSigners({ masterKey: options.masterKey, clients });
    const deployer = privateKeyToAccount(options.deployerPrivateKey);
    const wallet = clients.walletClient(deployer);
    let nonce = await clients.publicClient.getTransactionCount({
        address: deployer.address,
        blockTag: "pending",
    });
    const hashes: Hash[] = [];
    // With automine every tx is mined when sent, so later estimates see earlier contracts and
    // there is no need to wait for receipts one by one; elsewhere wait for each.
    const track = async (hash: Hash) => {
        hashes.push(hash);
        if (!anvil) await clients.waitForReceipt(hash, { confirmations: 1 });
    };
    const deploy = async (abi: Abi, bytecode: Hex, args: readonly unknown[]): Promise<Address> => {
        const address = getContractAddress({ from: deployer.address, nonce: BigInt(nonce) });
        await track(await wallet.deployContract({ abi, bytecode, args, nonce: nonce++ }));
        return address;
    };
    const call = async (to: Address, data: Hex) => {
        await track(await wallet.sendTransaction({ to, data, nonce: nonce++ }));
    };

    const productRegistry = await deploy(productRegistryAbi, productRegistryBytecode, [
        deployer.address,
    ]);
    const productAdministratorRegistry = await deploy(
        productAdministratorRegistryAbi,
        productAdministratorRegistryBytecode,
        [productRegistry],
    );
    const purchaseOracle = await deploy(purchaseOracleAbi, purchaseOracleBytecode, [
        productAdministratorRegistry,
    ]);
    const productInteractionManager = await deploy(
        productInteractionManagerAbi,
        productInteractionManagerBytecode,
        [productRegistry, productAdministratorRegistry, purchaseOracle],
    );
    const campaignBankFactory = await deploy(campaignBankFactoryAbi, campaignBankFactoryBytecode, [
        productRegistry,
        productAdministratorRegistry,
    ]);
    const walletFactory = await deploy(walletFactoryAbi, walletFactoryBytecode, []);
    const tokens = {} as Record<TokenKey, Address>;
    for (const coin of STABLECOINS) {
        tokens[coin.key] = await deploy(testStablecoinAbi, testStablecoinBytecode, [
            coin.name,
            coin.symbol,
            deployer.address,
        ]);
    }

    const minter = signers.address(SIGNER_LABELS.minter);
    const moneriumDev = signers.address(SIGNER_LABELS.moneriumDev);
    await call(
        productRegistry,
        encodeFunctionData({
            abi: productRegistryAbi,
            functionName: "setMinter",
            args: [minter, true],
        }),
    );
    for (const token of Object.values(tokens)) {
        await call(
            token,
            encodeFunctionData({
                abi: testStablecoinAbi,
                functionName: "setMinter",
                args: [minter, true],
            }),
        );
        await call(
            token,
            encodeFunctionData({
                abi: testStablecoinAbi,
                functionName: "mint",
                args: [moneriumDev, parseEther("1000000")],
            }),
        );
    }

    if (options.fundSigners ?? anvil) {
        for (const label of Object.values(SIGNER_LABELS)) {
            await clients.publicClient.request({
                method: "anvil_setBalance",
                params: [signers.address(label), `0x${parseEther("1000").toString(16)}`],
            } as never);
        }
    }
    await Promise.all(hashes.map((hash) => clients.waitForReceipt(hash, { confirmations: 1 })));

    return {
        chainId: clients.chain.id,
        productRegistry,
        productAdministratorRegistry,
        purchaseOracle,
        productInteractionManager,
        campaignBankFactory,
        walletFactory,
        tokens,
    };
}

/** Whether the deployment's contracts exist on the chain (e.g. a reused anvil state). */
export async function isDeploymentLive(
    clients: Pick<ChainClients, "publicClient">,
    deployment: Deployment,
): Promise<boolean> {
    const codes = await Promise.all(
        [deployment.productRegistry, deployment.walletFactory, deployment.tokens.usde].map(
            (address) => clients.publicClient.getCode({ address }),
        ),
    );
    return codes.every((code) => code !== undefined && code !== "0x");
}

/**
 * Moves a product from its LegacyProductInteraction to a new ProductInteraction (from the
 * `minter` signer): the legacy contract is retired in the same transaction. See
 * docs/operations.md for draining what was in flight on it. Returns the new contract.
 */
export async function upgradeInteractionContract(params: {
    clients: ChainClients;
    signers: BackendSigners;
    deployment: Deployment;
    productId: bigint;
}): Promise<Address> {
    const { clients, signers, deployment, productId } = params;
    const hash = await signers.send(SIGNER_LABELS.minter, ({ wallet, nonce }) =>
        wallet.sendTransaction({
            to: deployment.productInteractionManager,
            data: encodeFunctionData({
                abi: productInteractionManagerAbi,
                functionName: "upgradeInteractionContract",
                args: [productId],
            }),
            nonce,
        }),
    );
    const receipt = await clients.waitForReceipt(hash);
    if (receipt.status !== "success") throw new Error("interaction contract upgrade reverted");
    return clients.publicClient.readContract({
        address: deployment.productInteractionManager,
        abi: productInteractionManagerAbi,
        functionName: "getInteractionContract",
        args: [productId],
    });
}

export function writeDeployment(path: string, deployment: Deployment): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(deployment, null, 4)}\n`);
}

export function readDeployment(path: string): Deployment {
    return parseDeployment(JSON.parse(readFileSync(path, "utf8")));
}

function requireAddress(value: unknown, what: string): Address {
    if (typeof value !== "string" || !isAddress(value, { strict: false })) {
        throw new Error(`deployment: ${what} is not an address: ${String(value)}`);
    }
    return getAddress(value);
}

function parseDeployment(raw: Record<string, unknown>): Deployment {
    const tokens = (raw.tokens ?? {}) as Record<string, unknown>;
    return {
        chainId: raw.chainId === undefined ? undefined : Number(raw.chainId),
        productRegistry: requireAddress(raw.productRegistry, "productRegistry"),
        productAdministratorRegistry: requireAddress(
            raw.productAdministratorRegistry,
            "productAdministratorRegistry",
        ),
        purchaseOracle: requireAddress(raw.purchaseOracle, "purchaseOracle"),
        productInteractionManager: requireAddress(
            raw.productInteractionManager,
            "productInteractionManager",
        ),
        campaignBankFactory: requireAddress(raw.campaignBankFactory, "campaignBankFactory"),
        walletFactory: requireAddress(raw.walletFactory, "walletFactory"),
        tokens: {
            mUSD: requireAddress(tokens.mUSD, "tokens.mUSD"),
            eure: requireAddress(tokens.eure, "tokens.eure"),
            gbpe: requireAddress(tokens.gbpe, "tokens.gbpe"),
            usde: requireAddress(tokens.usde, "tokens.usde"),
        },
    };
}

/**
 * Reads a deployment from the env variables listed at the top of this file; undefined when none
 * of them is set, an error when only some are.
 */
export function deploymentFromEnv(env: Record<string, string | undefined>): Deployment | undefined {
    const names = {
        productRegistry: "PRODUCT_REGISTRY_ADDRESS",
        productAdministratorRegistry: "PRODUCT_ADMINISTRATOR_REGISTRY_ADDRESS",
        purchaseOracle: "PURCHASE_ORACLE_ADDRESS",
        productInteractionManager: "PRODUCT_INTERACTION_MANAGER_ADDRESS",
        campaignBankFactory: "CAMPAIGN_BANK_FACTORY_ADDRESS",
        walletFactory: "WALLET_FACTORY_ADDRESS",
        mUSD: "MUSD_TOKEN_ADDRESS",
        eure: "EURE_TOKEN_ADDRESS",
        gbpe: "GBPE_TOKEN_ADDRESS",
        usde: "USDE_TOKEN_ADDRESS",
    } as const;
    const values = Object.values(names).map((name) => env[name]);
    if (values.every((v) => v === undefined || v === "")) return undefined;
    const missing = Object.values(names).filter((name) => !env[name]);
    if (missing.length > 0) {
        throw new Error(`missing deployment env variables: ${missing.join(", ")}`);
    }
    return parseDeployment({
        chainId: env.CHAIN_ID,
        productRegistry: env[names.productRegistry],
        productAdministratorRegistry: env[names.productAdministratorRegistry],
        purchaseOracle: env[names.purchaseOracle],
        productInteractionManager: env[names.productInteractionManager],
        campaignBankFactory: env[names.campaignBankFactory],
        walletFactory: env[names.walletFactory],
        tokens: {
            mUSD: env[names.mUSD],
            eure: env[names.eure],
            gbpe: env[names.gbpe],
            usde: env[names.usde],
        },
    });
}
