/**
 * `npm run demo`: the product end to end, through the public HTTP API (the typed client of
 * src/client.ts) and the chain's JSON-RPC, printing each step as it happens.
 *
 *   merchant: Sign-In with Ethereum -> mint a product -> fund its bank and attach a referral
 *             campaign (on-chain, as the dashboard does) -> purchase oracle -> interactions webhook
 *   wallets:  register two passkeys -> open interaction sessions -> the first shares a referral
 *             link, the second arrives through it
 *   shop:     the referee's order is tracked, Shopify's signed orders/paid webhook arrives
 *   backend:  Merkle root on-chain -> purchase.completed mined -> rewards read on-chain and claimed
 *
 * Without DEMO_API_URL it runs its own stack and removes it afterwards: an anvil on a free port
 * with our contracts deployed, and the service (`bun src/index.ts`) on a free port with its own
 * DATA_DIR (PGlite there, or the database of DEMO_DATABASE_URL). Against a running service set DEMO_API_URL,
 * DEMO_RPC_URL, DEMO_DEPLOYMENT_FILE (the service's `<DATA_DIR>/deployment.json`) and the
 * service's PRODUCT_SETUP_CODE_SALT (the demo computes the merchant's setup code as an operator
 * would). DEMO_MERCHANT_KEY / DEMO_RELAYER_KEY: funded keys (default: anvil's dev accounts 1, 2).
 *
 * The relayer pays gas for the passkey wallets (a passkey cannot send a transaction): it deploys
 * them through the WalletFactory and relays their signed session and claim calls.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    type Abi,
    type Address,
    type Chain,
    concatHex,
    createPublicClient,
    createWalletClient,
    defineChain,
    encodeFunctionData,
    erc20Abi,
    formatEther,
    type Hex,
    hashTypedData,
    http,
    keccak256,
    parseEther,
    parseEventLogs,
    stringToHex,
    toHex,
} from "viem";
import { type LocalAccount, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { createApiClient } from "../src/client";
import {
    ANVIL_DEFAULT_PRIVATE_KEY,
    type AnvilInstance,
    campaignBankAbi,
    credentialIdHash,
    type Deployment,
    deployContracts,
    encodeReferralCreateLink,
    encodeReferralReferred,
    encodeWebAuthnSignature,
    findFreePort,
    INTERACTION_TYPE,
    productInteractionAbi,
    productInteractionManagerAbi,
    purchaseOracleAbi,
    readDeployment,
    referralCampaignAbi,
    referralCampaignBytecode,
    smartWalletAbi,
    startAnvil,
    walletFactoryAbi,
    writeDeployment,
} from "../src/infrastructure/blockchain";
import { type SoftwarePasskey, softwarePasskey } from "../test/auth/software-passkey";

const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const DASHBOARD_ORIGIN = "http://localhost:3010";
const WALLET_ORIGIN = "http://localhost:5173";
const SHOPIFY_SECRET = `shpss_demo_${randomBytes(8).toString("hex")}`;
const REWARDS = { referrer: parseEther("4"), referee: parseEther("2") };
const WAIT_MS = Number(process.env.DEMO_WAIT_MS ?? 120_000);

// ---------------------------------------------------------------------------------------------
// Printing

let stepNumber = 0;
const started = Date.now();

/** Runs one step, printing its title, what it returns to show, and its duration. */
async function step<T>(title: string, run: () => Promise<T>, show?: (value: T) => string) {
    stepNumber += 1;
    const at = Date.now();
    process.stdout.write(`[${String(stepNumber).padStart(2)}] ${title} ... `);
    try {
        const value = await run();
        const detail = show ? ` ${show(value)}` : "";
        process.stdout.write(`ok (${Date.now() - at} ms)${detail}\n`);
        return value;
    } catch (error) {
        process.stdout.write("FAILED\n");
        throw error;
    }
}

const short = (value: string) =>
    value.length > 14 ? `${value.slice(0, 8)}…${value.slice(-4)}` : value;

/** The `{ data, error }` of an Eden call, or an error naming the status and the JSON body. */
function ok<T>(what: string, result: { data: T | null; error: unknown; status: number }): T {
    if (result.error || result.data === null) {
        const value = (result.error as { value?: unknown } | null)?.value;
        throw new Error(`${what}: HTTP ${result.status} ${JSON.stringify(value ?? null)}`);
    }
    return result.data;
}

/** An Eden call answered without a body to read: only its status matters. */
function done(what: string, result: { error: unknown; status: number }): void {
    if (result.error) ok(what, { data: null, error: result.error, status: result.status });
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
        await Bun.sleep(250);
    }
}

// ---------------------------------------------------------------------------------------------
// The stack: a running service, or one of our own

type Stack = {
    apiUrl: string;
    rpcUrl: string;
    deployment: Deployment;
    setupCodeSalt: string;
    stop(): Promise<void>;
};

async function connectToRunningService(apiUrl: string): Promise<Stack> {
    const rpcUrl = process.env.DEMO_RPC_URL;
    const deploymentFile = process.env.DEMO_DEPLOYMENT_FILE;
    const setupCodeSalt = process.env.PRODUCT_SETUP_CODE_SALT;
    if (!rpcUrl || !deploymentFile || !setupCodeSalt) {
        throw new Error(
            "with DEMO_API_URL, set DEMO_RPC_URL, DEMO_DEPLOYMENT_FILE and the service's PRODUCT_SETUP_CODE_SALT",
        );
    }
    return {
        apiUrl,
        rpcUrl,
        deployment: readDeployment(deploymentFile),
        setupCodeSalt,
        stop: async () => {},
    };
}

/** anvil + our contracts + `bun src/index.ts`, each on a free port, in a temporary DATA_DIR. */
async function startOwnStack(): Promise<Stack> {
    const dataDir = mkdtempSync(join(tmpdir(), "wallet-demo-"));
    let anvil: AnvilInstance | undefined;
    let service: ChildProcess | undefined;
    const stop = async () => {
        if (service && service.exitCode === null) {
            const exited = new Promise((resolve) => service?.once("exit", resolve));
            service.kill("SIGTERM");
            await Promise.race([exited, Bun.sleep(15_000)]);
            if (service.exitCode === null) service.kill("SIGKILL");
        }
        await anvil?.stop();
        rmSync(dataDir, { recursive: true, force: true });
    };
    try {
        anvil = await startAnvil();
        const masterKey = toHex(randomBytes(32));
        const deployment = await deployContracts({
            rpcUrl: anvil.rpcUrl,
            deployerPrivateKey: ANVIL_DEFAULT_PRIVATE_KEY,
            masterKey,
        });
        const deploymentFile = join(dataDir, "deployment.json");
        writeDeployment(deploymentFile, deployment);
        const port = await findFreePort();
        const setupCodeSalt = randomBytes(16).toString("hex");
        const output: string[] = [];
        service = spawn(process.execPath, ["src/index.ts"], {
            cwd: join(import.meta.dir, ".."),
            // Only what the demo chooses: no DATABASE_URL, REDIS_URL... of the caller's shell.
            env: {
                PATH: process.env.PATH,
                HOME: process.env.HOME,
                ...(process.env.DEMO_DATABASE_URL
                    ? { DATABASE_URL: process.env.DEMO_DATABASE_URL }
                    : {}),
                PORT: String(port),
                DATA_DIR: dataDir,
                RPC_URL: anvil.rpcUrl,
                DEPLOYMENT_FILE: deploymentFile,
                MASTER_KEY: masterKey,
                PRODUCT_SETUP_CODE_SALT: setupCodeSalt,
                // A local anvil has no reorgs: index rewards at the head.
                REWARD_INDEX_CONFIRMATIONS: "0",
                LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? "warn",
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const keep = (chunk: Buffer) => {
            output.push(chunk.toString());
            if (process.env.DEMO_LOG_LEVEL) process.stderr.write(chunk);
        };
        service.stdout?.on("data", keep);
        service.stderr?.on("data", keep);
        const apiUrl = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + 180_000;
        for (;;) {
            if (service.exitCode !== null) {
                throw new Error(`the service exited (${service.exitCode}):\n${output.join("")}`);
            }
            const healthy = await fetch(`${apiUrl}/health`).then(
                (response) => response.ok,
                () => false,
            );
            if (healthy) break;
            if (Date.now() > deadline)
                throw new Error(`no /health after 180 s:\n${output.join("")}`);
            await Bun.sleep(200);
        }
        return { apiUrl, rpcUrl: anvil.rpcUrl, deployment, setupCodeSalt, stop };
    } catch (error) {
        await stop();
        throw error;
    }
}

// ---------------------------------------------------------------------------------------------
// The chain, as any client reaches it

function chainClients(rpcUrl: string, chainId: number) {
    const chain: Chain = defineChain({
        id: chainId,
        name: "demo",
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [rpcUrl] } },
    });
    const publicClient = createPublicClient({
        chain,
        transport: http(rpcUrl),
        pollingInterval: 100,
    });
    /** Simulates (a revert throws with its reason), sends, waits for the receipt. */
    const write = async (
        account: LocalAccount,
        call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] },
    ) => {
        const { request } = await publicClient.simulateContract({ ...call, account } as never);
        const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
        const hash = await wallet.writeContract(request as never);
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        if (receipt.status !== "success")
            throw new Error(`${call.functionName} reverted (${hash})`);
        return receipt;
    };
    const deploy = async (account: LocalAccount, abi: Abi, bytecode: Hex, args: unknown[]) => {
        const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
        const hash = await wallet.deployContract({ abi, bytecode, args });
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        if (!receipt.contractAddress) throw new Error("deployment failed");
        return receipt.contractAddress;
    };
    return { chain, publicClient, write, deploy };
}

/** ERC-1271 signature of a passkey SmartWallet over `hash` (WebAuthn assertion, challenge = hash). */
function passkeySignature(passkey: SoftwarePasskey, hash: Hex): Hex {
    const assertion = JSON.parse(Buffer.from(passkey.oxAssertion(hash), "base64").toString("utf8"));
    return encodeWebAuthnSignature({
        r: assertion.response.signature.r,
        s: assertion.response.signature.s,
        authenticatorData: assertion.response.metadata.authenticatorData,
        clientDataJSON: assertion.response.metadata.clientDataJSON,
    });
}

/** A funded key from the environment, or anvil's dev account `index` (account 0 deploys). */
const accountOf = (key: string | undefined, index: number): LocalAccount =>
    key
        ? privateKeyToAccount(key as Hex)
        : mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });

// ---------------------------------------------------------------------------------------------
// The walk

async function main() {
    const external = process.env.DEMO_API_URL;
    console.log(
        external
            ? `demo against ${external}`
            : "demo: starting anvil, our contracts and the service (own DATA_DIR, free ports)",
    );
    const stack = external ? await connectToRunningService(external) : await startOwnStack();
    try {
        await walk(stack);
        console.log(
            `demo: all ${stepNumber} steps succeeded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
    } finally {
        await stack.stop();
    }
}

async function walk(stack: Stack) {
    const { apiUrl, deployment } = stack;
    const chainId = deployment.chainId ?? 31337;
    const chain = chainClients(stack.rpcUrl, chainId);
    const merchant = accountOf(process.env.DEMO_MERCHANT_KEY, 1);
    const relayer = accountOf(process.env.DEMO_RELAYER_KEY, 2);
    console.log(`  api ${apiUrl}  rpc ${stack.rpcUrl}  chain ${chainId}`);
    console.log(`  merchant ${merchant.address}  relayer ${relayer.address}`);
    const anonymous = createApiClient(apiUrl);

    // --- Merchant --------------------------------------------------------------------------
    const business = await step(
        "merchant signs in with Ethereum (SIWE)",
        async () => {
            const { nonce } = ok("nonce", await anonymous.business.auth.nonce.get());
            const message = createSiweMessage({
                domain: new URL(DASHBOARD_ORIGIN).host,
                address: merchant.address,
                statement: "Sign in to the merchant dashboard",
                uri: DASHBOARD_ORIGIN,
                version: "1",
                chainId,
                nonce,
            });
            const signature = await merchant.signMessage({ message });
            return ok(
                "login",
                await anonymous.business.auth.login.post(
                    { message, signature },
                    { headers: { origin: DASHBOARD_ORIGIN } },
                ),
            );
        },
        (session) => `business session for ${short(session.wallet)}`,
    );
    const dashboard = createApiClient(apiUrl, { business: business.token });

    const domain = `demo-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}.shop.example`;
    const product = await step(
        `merchant mints the product ${domain}`,
        async () => {
            // The operator hands the merchant this setup code (no DNS record needed).
            const setupCode = keccak256(
                concatHex([
                    stringToHex(domain),
                    merchant.address,
                    stringToHex(stack.setupCodeSalt),
                ]),
            );
            const verified = ok(
                "verify",
                await dashboard.business.product.mint.verify.get({ query: { domain, setupCode } }),
            );
            if (!verified.isDomainValid) throw new Error("setup code refused");
            const minted = ok(
                "mint",
                await dashboard.business.product.mint.put({
                    name: "Demo shoe shop",
                    domain,
                    setupCode,
                    currency: "usde",
                    productTypes: ["webshop", "referral", "purchase"],
                }),
            );
            if (!minted.interactionContract || !minted.bankContract) {
                throw new Error(`mint returned no contracts: ${JSON.stringify(minted)}`);
            }
            return {
                productId: minted.productId,
                interactionContract: minted.interactionContract as Address,
                bank: minted.bankContract as Address,
            };
        },
        (p) =>
            `product ${short(p.productId)}, interaction contract ${short(p.interactionContract)}, bank ${short(p.bank)}`,
    );
    const productApi = dashboard.business.product({ productId: product.productId });

    await step(
        "merchant funds the bank with test USDe and attaches a referral campaign",
        async () => {
            ok(
                "getTestToken",
                await dashboard.business.funding.getTestToken.post({
                    bank: product.bank,
                    stablecoin: "usde",
                }),
            );
            const campaign = await chain.deploy(
                merchant,
                referralCampaignAbi as Abi,
                referralCampaignBytecode,
                [
                    product.interactionContract,
                    product.bank,
                    deployment.productAdministratorRegistry,
                    stringToHex("referral", { size: 32 }),
                ],
            );
            await chain.write(merchant, {
                address: campaign,
                abi: referralCampaignAbi as Abi,
                functionName: "setTrigger",
                args: [INTERACTION_TYPE.purchaseCompleted, REWARDS.referrer, REWARDS.referee],
            });
            await chain.write(merchant, {
                address: product.bank,
                abi: campaignBankAbi as Abi,
                functionName: "setCampaignAllowed",
                args: [campaign, true],
            });
            await chain.write(merchant, {
                address: product.interactionContract,
                abi: productInteractionAbi as Abi,
                functionName: "attachCampaign",
                args: [campaign],
            });
            const funds = await chain.publicClient.readContract({
                address: deployment.tokens.usde,
                abi: erc20Abi,
                functionName: "balanceOf",
                args: [product.bank],
            });
            return { campaign, funds };
        },
        ({ campaign, funds }) =>
            `campaign ${short(campaign)} pays ${formatEther(REWARDS.referrer)} + ${formatEther(REWARDS.referee)} USDe per referred purchase; bank holds ${formatEther(funds)} USDe`,
    );

    await step(
        "merchant sets up the Shopify purchase oracle",
        async () => {
            done(
                "oracle setup",
                await productApi.oracleWebhook.setup.post({
                    hookSignatureKey: SHOPIFY_SECRET,
                    platform: "shopify",
                }),
            );
            return ok("oracle status", await productApi.oracleWebhook.status.get());
        },
        (status) => `oracle ${status.setup ? `on (${status.platform})` : "off"}`,
    );

    await step(
        "merchant sets up its interactions webhook (server-to-server pushes)",
        async () => {
            const key = randomBytes(24).toString("hex");
            done(
                "interactions webhook setup",
                await productApi.interactionsWebhook.setup.post({
                    hookSignatureKey: key,
                    source: "custom",
                }),
            );
            return ok(
                "interactions webhook status",
                await productApi.interactionsWebhook.status.get(),
            );
        },
        (status) => `status ${JSON.stringify(status).slice(0, 60)}`,
    );

    // --- Wallets -----------------------------------------------------------------------------
    const registerWallet = async (name: string) => {
        const passkey = softwarePasskey({ rpId: "localhost", origin: WALLET_ORIGIN });
        const { challenge } = ok("challenge", await anonymous.wallet.auth.challenge.post());
        const registered = ok(
            "register",
            await anonymous.wallet.auth.register.post(
                passkey.registration(challenge as Hex, { userAgent: `demo ${name}` }) as never,
            ),
        );
        const address = registered.address as Address;
        // Counterfactual until deployed: the relayer deploys it, then relays its signed session.
        const credential = credentialIdHash(registered.authenticatorId);
        await chain.write(relayer, {
            address: deployment.walletFactory,
            abi: walletFactoryAbi as Abi,
            functionName: "createWebAuthnWallet",
            args: [credential, passkey.x, passkey.y],
        });
        const block = await chain.publicClient.getBlock();
        const validUntil = Number(block.timestamp) + 30 * 86_400;
        const nonce = await chain.publicClient.readContract({
            address: deployment.productInteractionManager,
            abi: productInteractionManagerAbi,
            functionName: "nonces",
            args: [address],
        });
        const digest = hashTypedData({
            domain: {
                name: "ProductInteractionManager",
                version: "1",
                chainId,
                verifyingContract: deployment.productInteractionManager,
            },
            types: {
                OpenSession: [
                    { name: "wallet", type: "address" },
                    { name: "validUntil", type: "uint48" },
                    { name: "nonce", type: "uint256" },
                ],
            },
            primaryType: "OpenSession",
            message: { wallet: address, validUntil, nonce },
        });
        await chain.write(relayer, {
            address: deployment.productInteractionManager,
            abi: productInteractionManagerAbi as Abi,
            functionName: "openSessionWithSignature",
            args: [address, validUntil, passkeySignature(passkey, digest)],
        });
        return {
            name,
            passkey,
            address,
            wallet: createApiClient(apiUrl, { wallet: registered.token }),
            sdk: createApiClient(apiUrl, { sdk: registered.sdkJwt.token }),
        };
    };
    type DemoWallet = Awaited<ReturnType<typeof registerWallet>>;
    const push = async (who: DemoWallet, interactionData: Hex) =>
        ok(
            "push",
            await who.sdk.wallet.interactions.push.post({
                interactions: [
                    {
                        wallet: who.address,
                        productId: product.productId,
                        interaction: { handlerTypeDenominator: "0x1e", interactionData },
                    },
                ],
            }),
        );

    const referrer = await step(
        "wallet 1 registers a passkey and opens its interaction session",
        () => registerWallet("referrer"),
        (w) => `smart wallet ${w.address}`,
    );
    const link = await step(
        "wallet 1 shares a referral link",
        async () => {
            await push(referrer, encodeReferralCreateLink());
            const fCtx = Buffer.from(referrer.address.slice(2), "hex").toString("base64url");
            return `https://${domain}/?fCtx=${fCtx}`;
        },
        (url) => url,
    );
    const referee = await step(
        "wallet 2 registers a passkey and opens its interaction session",
        () => registerWallet("referee"),
        (w) => `smart wallet ${w.address}`,
    );
    await step(
        "wallet 2 arrives through the link: referred, mined on-chain",
        async () => {
            const fCtx = new URL(link).searchParams.get("fCtx") ?? "";
            const from = toHex(Buffer.from(fCtx, "base64url")) as Address;
            await push(referee, encodeReferralReferred(from));
            return eventually("the referral on-chain", async () => {
                const onChain = await chain.publicClient.readContract({
                    address: product.interactionContract,
                    abi: productInteractionAbi,
                    functionName: "referrerOf",
                    args: [referee.address],
                });
                return onChain.toLowerCase() === referrer.address.toLowerCase()
                    ? onChain
                    : undefined;
            });
        },
        (onChain) => `referrerOf(wallet 2) = ${onChain}`,
    );

    // --- Purchase ----------------------------------------------------------------------------
    const order = {
        id: 5_000_000_000 + Math.floor(Math.random() * 1_000_000),
        financial_status: "paid",
        total_price: "40.00",
        currency: "EUR",
        test: false,
        customer: { id: 7_000_000 + Math.floor(Math.random() * 1_000_000) },
        checkout_token: `chk-${randomBytes(8).toString("hex")}`,
        token: `tok-${randomBytes(8).toString("hex")}`,
        line_items: [
            {
                id: 1,
                product_id: 2,
                quantity: 1,
                price: "40.00",
                name: "Running shoe",
                title: "Running shoe",
            },
        ],
    };
    await step(
        "wallet 2 checks out: the SDK links the order to the wallet",
        async () =>
            done(
                "listenForPurchase",
                await referee.sdk.wallet.interactions.listenForPurchase.post({
                    customerId: order.customer.id,
                    orderId: order.id,
                    token: order.checkout_token,
                }),
            ),
        () => `order ${order.id}`,
    );
    await step(
        "Shopify's signed orders/paid webhook arrives",
        async () => {
            // Shopify's servers, not our client: the HMAC covers these exact bytes.
            const body = JSON.stringify(order);
            const response = await fetch(
                `${apiUrl}/ext/products/${product.productId}/webhook/oracle/shopify`,
                {
                    method: "POST",
                    headers: {
                        accept: "application/json",
                        "content-type": "application/json",
                        "x-shopify-topic": "orders/paid",
                        "x-shopify-order-id": String(order.id),
                        "x-shopify-api-version": "2025-01",
                        "x-shopify-hmac-sha256": createHmac("sha256", SHOPIFY_SECRET)
                            .update(body)
                            .digest("base64"),
                    },
                    body,
                },
            );
            if (response.status !== 200) {
                throw new Error(`webhook: HTTP ${response.status} ${await response.text()}`);
            }
            return response.status;
        },
        (status) => `HTTP ${status}`,
    );
    const productIdNumber = BigInt(product.productId);
    await step(
        "the purchase oracle's Merkle root goes on-chain",
        () =>
            eventually("the Merkle root", async () => {
                const root = await chain.publicClient.readContract({
                    address: deployment.purchaseOracle,
                    abi: purchaseOracleAbi,
                    functionName: "getMerkleRoot",
                    args: [productIdNumber],
                });
                return /^0x0+$/.test(root) ? undefined : root;
            }),
        (root) => `root ${short(root)}`,
    );
    await step(
        "the purchase.completed interaction is mined with its proof",
        () =>
            eventually("purchase.completed", async () => {
                const logs = await chain.publicClient.getLogs({
                    address: product.interactionContract,
                    fromBlock: 0n,
                    toBlock: "latest",
                });
                const events = parseEventLogs({ abi: productInteractionAbi, logs });
                const purchase = events.find(
                    (e) =>
                        e.eventName === "PurchaseCompleted" &&
                        e.args.wallet.toLowerCase() === referee.address.toLowerCase(),
                );
                return purchase?.transactionHash;
            }),
        (hash) => `tx ${short(hash)}`,
    );

    // --- Rewards -----------------------------------------------------------------------------
    const claimableOnChain = (wallet: Address) =>
        chain.publicClient.readContract({
            address: product.bank,
            abi: campaignBankAbi,
            functionName: "claimableOf",
            args: [wallet, deployment.tokens.usde],
        });
    await step(
        "both wallets' rewards are on-chain (and in GET /wallet/balance/claimable)",
        async () => {
            const onChain = [
                await claimableOnChain(referrer.address),
                await claimableOnChain(referee.address),
            ];
            if (onChain[0] !== REWARDS.referrer || onChain[1] !== REWARDS.referee) {
                throw new Error(
                    `claimable on-chain: ${onChain.map((v) => formatEther(v)).join(", ")}`,
                );
            }
            const viaApi = await eventually("the reward index", async () => {
                const amounts = [];
                for (const who of [referrer, referee]) {
                    const claimable = ok(
                        "claimable",
                        await who.wallet.wallet.balance.claimable.get(),
                    );
                    amounts.push(claimable.total.amount);
                }
                return amounts.every((amount) => amount > 0) ? amounts : undefined;
            });
            return { onChain, viaApi };
        },
        ({ onChain, viaApi }) =>
            `referrer ${formatEther(onChain[0] ?? 0n)} USDe, referee ${formatEther(onChain[1] ?? 0n)} USDe (API: ${viaApi.join(", ")})`,
    );
    await step(
        "both wallets claim (passkey-signed, relayed) and hold their USDe",
        async () => {
            const balances: bigint[] = [];
            for (const who of [referrer, referee]) {
                const deadline = BigInt(Math.floor(Date.now() / 1000) + 600);
                const data = encodeFunctionData({ abi: campaignBankAbi, functionName: "claim" });
                const nonce = await chain.publicClient.readContract({
                    address: who.address,
                    abi: smartWalletAbi,
                    functionName: "nonce",
                });
                const digest = hashTypedData({
                    domain: {
                        name: "SmartWallet",
                        version: "1",
                        chainId,
                        verifyingContract: who.address,
                    },
                    types: {
                        Execute: [
                            { name: "to", type: "address" },
                            { name: "value", type: "uint256" },
                            { name: "data", type: "bytes" },
                            { name: "nonce", type: "uint256" },
                            { name: "deadline", type: "uint256" },
                        ],
                    },
                    primaryType: "Execute",
                    message: { to: product.bank, value: 0n, data, nonce, deadline },
                });
                await chain.write(relayer, {
                    address: who.address,
                    abi: smartWalletAbi as Abi,
                    functionName: "executeWithSignature",
                    args: [product.bank, 0n, data, deadline, passkeySignature(who.passkey, digest)],
                });
                if ((await claimableOnChain(who.address)) !== 0n)
                    throw new Error("still claimable");
                balances.push(
                    await chain.publicClient.readContract({
                        address: deployment.tokens.usde,
                        abi: erc20Abi,
                        functionName: "balanceOf",
                        args: [who.address],
                    }),
                );
            }
            return balances;
        },
        (balances) => `balances ${balances.map((b) => `${formatEther(b)} USDe`).join(" and ")}`,
    );
}

main().catch((error) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
