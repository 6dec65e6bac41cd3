/**
 * Gas per on-chain operation of the core loop, measured on a fresh anvil with our contracts:
 * product mint, a batch of 50 interactions, a Merkle root update, a reward claim.
 * Run directly (`bun bench/gas.ts`) to print a table; bench/index.ts imports gasBenchmark().
 */

import {
    type Address,
    encodeFunctionData,
    erc20Abi,
    type Hex,
    keccak256,
    type Log,
    parseEther,
    parseEventLogs,
    stringToHex,
    toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    ANVIL_DEFAULT_PRIVATE_KEY,
    campaignBankAbi,
    createBackendSigners,
    createChainClients,
    deployContracts,
    encodePurchaseCompleted,
    encodeReferralCreateLink,
    encodeReferralReferred,
    INTERACTION_TYPE,
    mintProduct,
    productInteractionAbi,
    productInteractionManagerAbi,
    productNameBytes32,
    productRegistryAbi,
    purchaseOracleAbi,
    referralCampaignAbi,
    referralCampaignBytecode,
    SIGNER_LABELS,
    signInteraction,
    startAnvil,
} from "../src/infrastructure/blockchain";
import type { BenchRow } from "./bench-row";

/** Guards the figures: a silently rejected item would make a batch look cheap. */
function expectEvents(logs: Log[], eventName: string, count: number) {
    const found = parseEventLogs({
        abi: [...productInteractionAbi, ...campaignBankAbi],
        logs,
    }).filter((l) => l.eventName === eventName).length;
    if (found !== count) throw new Error(`expected ${count} ${eventName} events, got ${found}`);
}

const MASTER_KEY = keccak256(stringToHex("gas benchmark master key"));

export async function gasBenchmark(): Promise<Array<{ operation: string; gas: bigint }>> {
    const anvil = await startAnvil();
    try {
        const deployment = await deployContracts({
            rpcUrl: anvil.rpcUrl,
            deployerPrivateKey: ANVIL_DEFAULT_PRIVATE_KEY,
            masterKey: MASTER_KEY,
        });
        const clients = await createChainClients({
            rpcUrl: anvil.rpcUrl,
            chainId: anvil.chainId,
            pollingIntervalMs: 20,
        });
        const signers = createBackendSigners({ masterKey: MASTER_KEY, clients });
        const send = async (label: string, to: Address, data: Hex) => {
            const hash = await signers.send(label, ({ wallet, nonce }) =>
                wallet.sendTransaction({ to, data, nonce }),
            );
            return clients.waitForReceipt(hash);
        };
        const results: Array<{ operation: string; gas: bigint }> = [];

        // 1. A bare product mint (registry only), then the full backend mint flow for the loop.
        const merchant = privateKeyToAccount(generatePrivateKey());
        const mint = await send(
            SIGNER_LABELS.minter,
            deployment.productRegistry,
            encodeFunctionData({
                abi: productRegistryAbi,
                functionName: "mint",
                args: [1n, productNameBytes32("Bench"), "bench-mint.example.com", merchant.address],
            }),
        );
        results.push({ operation: "product mint", gas: mint.gasUsed });

        const product = await mintProduct({
            clients,
            signers,
            deployment,
            productTypes: 1n << 31n,
            name: "Bench loop",
            domain: "bench.example.com",
            owner: signers.address("bench-merchant"),
            bankTokens: [deployment.tokens.usde],
        });
        const bank = product.banks[deployment.tokens.usde]!;
        const merchantLabel = "bench-merchant";
        await clients.publicClient.request({
            method: "anvil_setBalance",
            params: [signers.address(merchantLabel), toHex(parseEther("100"))],
        } as never);
        const deployHash = await signers.send(merchantLabel, ({ wallet, nonce }) =>
            wallet.deployContract({
                abi: referralCampaignAbi,
                bytecode: referralCampaignBytecode,
                args: [
                    product.interactionContract,
                    bank,
                    deployment.productAdministratorRegistry,
                    stringToHex("bench", { size: 32 }),
                ],
                nonce,
            }),
        );
        const campaign = (await clients.waitForReceipt(deployHash)).contractAddress!;
        await send(
            merchantLabel,
            campaign,
            encodeFunctionData({
                abi: referralCampaignAbi,
                functionName: "setTrigger",
                args: [INTERACTION_TYPE.purchaseCompleted, parseEther("10"), parseEther("5")],
            }),
        );
        await send(
            merchantLabel,
            bank,
            encodeFunctionData({
                abi: campaignBankAbi,
                functionName: "setCampaignAllowed",
                args: [campaign, true],
            }),
        );
        await send(
            merchantLabel,
            product.interactionContract,
            encodeFunctionData({
                abi: productInteractionAbi,
                functionName: "attachCampaign",
                args: [campaign],
            }),
        );
        await send(
            SIGNER_LABELS.moneriumDev,
            deployment.tokens.usde,
            encodeFunctionData({
                abi: erc20Abi,
                functionName: "transfer",
                args: [bank, parseEther("1000")],
            }),
        );

        // Ten wallets with sessions; wallet 0 refers the nine others.
        const walletLabels = Array.from({ length: 10 }, (_, i) => `bench-wallet-${i}`);
        const block = await clients.publicClient.getBlock();
        for (const label of walletLabels) {
            await clients.publicClient.request({
                method: "anvil_setBalance",
                params: [signers.address(label), toHex(parseEther("1"))],
            } as never);
            await send(
                label,
                deployment.productInteractionManager,
                encodeFunctionData({
                    abi: productInteractionManagerAbi,
                    functionName: "openSession",
                    args: [Number(block.timestamp) + 86_400],
                }),
            );
        }
        const sign = async (wallet: Address, data: Hex) => {
            const id = keccak256(stringToHex(`${wallet}-${data}-${Math.random()}`));
            const signature = await signInteraction({
                signers,
                chainId: anvil.chainId,
                interactionContract: product.interactionContract,
                interaction: { id, productId: product.productId, wallet, data },
            });
            return { id, wallet, data, signature };
        };
        const referrer = signers.address(walletLabels[0]!);
        const items = [];
        for (let i = 0; i < 50; i++) {
            const wallet = signers.address(walletLabels[i % 10]!);
            const data =
                i % 10 !== 0 && i < 10
                    ? encodeReferralReferred(referrer)
                    : encodeReferralCreateLink();
            items.push(await sign(wallet, data));
        }
        const batch = await send(
            SIGNER_LABELS.interactionExecutor,
            product.interactionContract,
            encodeFunctionData({
                abi: productInteractionAbi,
                functionName: "handleInteractions",
                args: [items],
            }),
        );
        expectEvents(batch.logs, "InteractionHandled", 50);
        results.push({ operation: "interaction batch (50)", gas: batch.gasUsed });

        // 3. Root update: a one-leaf tree (root = leaf) of a completed purchase.
        const purchaseId = 42n;
        const root = keccak256(`0x${purchaseId.toString(16).padStart(64, "0")}01`);
        const update = await send(
            SIGNER_LABELS.oracleUpdater,
            deployment.purchaseOracle,
            encodeFunctionData({
                abi: purchaseOracleAbi,
                functionName: "updateMerkleRoot",
                args: [product.productId, root],
            }),
        );
        results.push({ operation: "merkle root update", gas: update.gasUsed });

        // 4. A purchase rewards referee 1 and its referrer, who then claims.
        const referee = signers.address(walletLabels[1]!);
        const purchase = await send(
            SIGNER_LABELS.interactionExecutor,
            product.interactionContract,
            encodeFunctionData({
                abi: productInteractionAbi,
                functionName: "handleInteractions",
                args: [[await sign(referee, encodePurchaseCompleted(purchaseId, []))]],
            }),
        );
        expectEvents(purchase.logs, "RewardAdded", 2);
        results.push({ operation: "purchase.completed + rewards (1)", gas: purchase.gasUsed });
        const claim = await send(
            walletLabels[1]!,
            bank,
            encodeFunctionData({ abi: campaignBankAbi, functionName: "claim" }),
        );
        expectEvents(claim.logs, "RewardClaimed", 1);
        results.push({ operation: "reward claim", gas: claim.gasUsed });
        return results;
    } finally {
        await anvil.stop();
    }
}

/** Rows of the `npm run bench` table. */
export async function runGasBench(): Promise<BenchRow[]> {
    const rows = await gasBenchmark();
    return rows.map((row) => ({
        area: "gas",
        metric: row.operation,
        value: `${row.gas.toLocaleString("en-US")} gas`,
    }));
}

if (import.meta.main) {
    const rows = await gasBenchmark();
    const width = Math.max(...rows.map((r) => r.operation.length));
    console.log(`${"operation".padEnd(width)}  gas`);
    for (const row of rows) console.log(`${row.operation.padEnd(width)}  ${row.gas}`);
}
