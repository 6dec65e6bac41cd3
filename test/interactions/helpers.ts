/** Fixtures of the interactions tests: a minted product, wallets with sessions, SDK tokens. */
import { isNotNull, sql } from "drizzle-orm";
import {
    type Address,
    encodeFunctionData,
    erc20Abi,
    type Hex,
    type PrivateKeyAccount,
    parseEther,
    parseEventLogs,
    stringToHex,
    toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { interactionsPendingTable } from "../../src/domain/interactions/db/schema";
import {
    campaignBankAbi,
    INTERACTION_TYPE,
    productInteractionAbi,
    productInteractionManagerAbi,
    referralCampaignAbi,
    referralCampaignBytecode,
    SIGNER_LABELS,
} from "../../src/infrastructure/blockchain";
import type { Chain } from "../../src/infrastructure/chain";
import type { Database } from "../../src/infrastructure/persistence";
import { requireCanonicalProductId } from "../../src/utils/product-id";
import { type MintedProduct, mintProduct } from "../support/mint-product";

let domainCounter = 0;

export async function fundedAccount(chain: Chain): Promise<PrivateKeyAccount> {
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.clients.publicClient.request({
        method: "anvil_setBalance",
        params: [account.address, toHex(parseEther("100"))],
    } as never);
    return account;
}

export async function send(chain: Chain, account: PrivateKeyAccount, to: Address, data: Hex) {
    const hash = await chain.clients.walletClient(account).sendTransaction({ to, data });
    return chain.clients.waitForReceipt(hash);
}

export type TestProduct = MintedProduct & { productIdHex: Hex; owner: PrivateKeyAccount };

export async function mintTestProduct(
    chain: Chain,
    bankTokens: Address[] = [],
    options: { legacyInteractionContract?: boolean } = {},
): Promise<TestProduct> {
    const owner = await fundedAccount(chain);
    const minted = await mintProduct({
        clients: chain.clients,
        signers: chain.signers,
        deployment: chain.deployment,
        productTypes: (1n << 30n) | (1n << 31n),
        name: "Test shop",
        domain: `shop-${process.pid}-${++domainCounter}-${Date.now()}.example.com`,
        owner: owner.address,
        bankTokens,
        legacyInteractionContract: options.legacyInteractionContract,
    });
    return { ...minted, owner, productIdHex: requireCanonicalProductId(minted.productId) };
}

/** A referral campaign paying `referrer` / `referee` (raw units) on purchase.completed. */
export async function attachReferralCampaign(
    chain: Chain,
    product: TestProduct,
    token: Address,
    amounts: { referrer: bigint; referee: bigint; funding: bigint },
): Promise<{ campaign: Address; bank: Address }> {
    const bank = product.banks[token] as Address;
    const { owner } = product;
    const deployHash = await chain.clients.walletClient(owner).deployContract({
        abi: referralCampaignAbi,
        bytecode: referralCampaignBytecode,
        args: [
            product.interactionContract,
            bank,
            chain.deployment.productAdministratorRegistry,
            stringToHex("referral", { size: 32 }),
        ],
    });
    const campaign = (await chain.clients.waitForReceipt(deployHash)).contractAddress as Address;
    await send(
        chain,
        owner,
        campaign,
        encodeFunctionData({
            abi: referralCampaignAbi,
            functionName: "setTrigger",
            args: [INTERACTION_TYPE.purchaseCompleted, amounts.referrer, amounts.referee],
        }),
    );
    await send(
        chain,
        owner,
        bank,
        encodeFunctionData({
            abi: campaignBankAbi,
            functionName: "setCampaignAllowed",
            args: [campaign, true],
        }),
    );
    await send(
        chain,
        owner,
        product.interactionContract,
        encodeFunctionData({
            abi: productInteractionAbi,
            functionName: "attachCampaign",
            args: [campaign],
        }),
    );
    const fund = await chain.signers.send(SIGNER_LABELS.moneriumDev, ({ wallet, nonce }) =>
        wallet.writeContract({
            address: token,
            abi: erc20Abi,
            functionName: "transfer",
            args: [bank, amounts.funding],
            nonce,
        }),
    );
    await chain.clients.waitForReceipt(fund);
    return { campaign, bank };
}

/** A wallet (an EOA here: sessions are opened by the wallet itself) with an open session. */
export async function walletWithSession(
    chain: Chain,
    seconds = 30 * 86_400,
): Promise<PrivateKeyAccount> {
    const wallet = await fundedAccount(chain);
    const block = await chain.clients.publicClient.getBlock();
    await send(
        chain,
        wallet,
        chain.deployment.productInteractionManager,
        encodeFunctionData({
            abi: productInteractionManagerAbi,
            functionName: "openSession",
            args: [Number(block.timestamp) + seconds],
        }),
    );
    return wallet;
}

/** Every InteractionHandled event of a product's contract, by interaction id. */
export async function handledEvents(chain: Chain, contract: Address) {
    const logs = await chain.clients.publicClient.getLogs({
        address: contract,
        fromBlock: 0n,
        toBlock: "latest",
    });
    return parseEventLogs({ abi: productInteractionAbi, logs }).flatMap((log) =>
        log.eventName === "InteractionHandled" ? [log.args] : [],
    );
}

export const sdkHeaders = (token: string) => ({
    "content-type": "application/json",
    "x-wallet-sdk-auth": token,
});

/** The env a second instance needs to use the same chain and contracts. */
export function chainEnvOf(chain: Chain): Record<string, string> {
    const d = chain.deployment;
    return {
        RPC_URL: chain.rpcUrl,
        CHAIN_ID: String(chain.clients.chain.id),
        PRODUCT_REGISTRY_ADDRESS: d.productRegistry,
        PRODUCT_ADMINISTRATOR_REGISTRY_ADDRESS: d.productAdministratorRegistry,
        PURCHASE_ORACLE_ADDRESS: d.purchaseOracle,
        PRODUCT_INTERACTION_MANAGER_ADDRESS: d.productInteractionManager,
        CAMPAIGN_BANK_FACTORY_ADDRESS: d.campaignBankFactory,
        WALLET_FACTORY_ADDRESS: d.walletFactory,
        MUSD_TOKEN_ADDRESS: d.tokens.mUSD,
        EURE_TOKEN_ADDRESS: d.tokens.eure,
        GBPE_TOKEN_ADDRESS: d.tokens.gbpe,
        USDE_TOKEN_ADDRESS: d.tokens.usde,
    };
}

/** Pushes `count` referral.createLink interactions spread over `wallets`, 50 per request. */
export async function pushMany(
    request: (path: string, init?: RequestInit) => Promise<Response>,
    tokens: { signSdk(address: Address): Promise<{ token: string }> },
    wallets: Address[],
    productId: Hex,
    count: number,
): Promise<void> {
    const perWallet = new Map<Address, number>();
    for (let i = 0; i < count; i++) {
        const wallet = wallets[i % wallets.length] as Address;
        perWallet.set(wallet, (perWallet.get(wallet) ?? 0) + 1);
    }
    await Promise.all(
        [...perWallet].map(async ([wallet, n]) => {
            const { token } = await tokens.signSdk(wallet);
            for (let sent = 0; sent < n; sent += 50) {
                const size = Math.min(50, n - sent);
                const response = await request("/wallet/interactions/push", {
                    method: "POST",
                    headers: sdkHeaders(token),
                    body: JSON.stringify({
                        interactions: Array.from({ length: size }, () => ({
                            wallet,
                            productId,
                            interaction: {
                                handlerTypeDenominator: "0x1e",
                                interactionData: "0xb2c0f17c",
                            },
                        })),
                    }),
                });
                if (response.status !== 200) throw new Error(`push failed: ${response.status}`);
            }
        }),
    );
}

/**
 * `hours` pass for the retry schedule: every scheduled retry comes that much sooner, so the
 * retry job, run at the real time, sees what it would see `hours` from now.
 */
export async function retriesComeSooner(db: Database, hours: number): Promise<void> {
    const pending = interactionsPendingTable;
    await db
        .update(pending)
        .set({ nextRetryAt: sql`${pending.nextRetryAt} - make_interval(hours => ${hours}::int)` })
        .where(isNotNull(pending.nextRetryAt));
}
