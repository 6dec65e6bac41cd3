/**
 * Gas per on-chain operation of the core loop, measured on a fresh anvil with our contracts:
 * product mint, interaction batches, a Merkle root update, a purchase with rewards, a claim.
 * Interactions: gas and calldata bytes per simple interaction (a referral-link open) in batches
 * of 1, 50 and 200, on the batched ProductInteraction and on the legacy contract (the baseline)
 * in the same run, both with one referral campaign attached. Target at batch 200: each at most a
 * third of the legacy contract's.
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
    encodeInteractionItems,
    encodePurchaseCompleted,
    encodeReferralCreateLink,
    encodeReferralReferred,
    INTERACTION_TYPE,
    legacyProductInteractionAbi,
    newInteractionId,
    productInteractionAbi,
    productInteractionManagerAbi,
    productRegistryAbi,
    purchaseOracleAbi,
    referralCampaignAbi,
    referralCampaignBytecode,
    SIGNER_LABELS,
    signInteraction,
    signInteractionBatch,
    startAnvil,
} from "../src/infrastructure/blockchain";
import { productNameBytes32 } from "../src/utils/product-id";
import { type MintedProduct, mintProduct } from "../test/support/mint-product";
import type { BenchRow } from "./bench-row";

/** Guards the figures: a silently rejected item would make a batch look cheap. */
function expectEvents(logs: Log[], eventName: string, count: number) {
    const found = parseEventLogs({
        abi: [...productInteractionAbi, ...legacyProductInteractionAbi, ...campaignBankAbi],
        logs,
    }).filter((l) => l.eventName === eventName).length;
    if (found !== count) throw new Error(`expected ${count} ${eventName} events, got ${found}`);
}

const MASTER_KEY = keccak256(stringToHex("gas benchmark master key"));

const BATCH_SIZES = [1, 50, 200] as const;

export type InteractionCost = {
    version: "batched" | "legacy";
    size: number;
    gasPerInteraction: number;
    calldataBytesPerInteraction: number;
};

const size_ = (data: Hex) => (data.length - 2) / 2;

export async function gasBenchmark(): Promise<{
    operations: Array<{ operation: string; gas: bigint }>;
    interactions: InteractionCost[];
}> {
    const interactionCosts: InteractionCost[] = [];
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

        // Two products with the same referral campaign: one on the batched ProductInteraction,
        // one on the legacy contract (the baseline), measured in this same run.
        const setUp = async (legacy: boolean) => {
            const merchantLabel = `bench-merchant-${legacy ? "legacy" : "batched"}`;
            const product = await mintProduct({
                clients,
                signers,
                deployment,
                productTypes: 1n << 31n,
                name: "Bench loop",
                domain: `bench-${legacy ? "legacy" : "batched"}.example.com`,
                owner: signers.address(merchantLabel),
                bankTokens: [deployment.tokens.usde],
                legacyInteractionContract: legacy,
            });
            const bank = product.banks[deployment.tokens.usde]!;
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
            return { product, bank };
        };
        const batched = await setUp(false);
        const legacy = await setUp(true);
        const product = batched.product;
        const bank = batched.bank;

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
        let nextSequence = 0n;
        /** handleInteractions calldata of these items for the product's contract version. */
        const batchCall = async (
            target: MintedProduct,
            isLegacy: boolean,
            items: Array<{ wallet: Address; data: Hex }>,
        ): Promise<Hex> => {
            if (isLegacy) {
                const signed = await Promise.all(
                    items.map(async ({ wallet, data }) => {
                        const id = newInteractionId();
                        const signature = await signInteraction({
                            signers,
                            chainId: anvil.chainId,
                            interactionContract: target.interactionContract,
                            interaction: { id, productId: target.productId, wallet, data },
                        });
                        return { id, wallet, data, signature };
                    }),
                );
                return encodeFunctionData({
                    abi: legacyProductInteractionAbi,
                    functionName: "handleInteractions",
                    args: [signed],
                });
            }
            const packed = encodeInteractionItems(
                items.map((item) => ({ ...item, id: nextSequence++ })),
            );
            const signature = await signInteractionBatch({
                signers,
                chainId: anvil.chainId,
                interactionContract: target.interactionContract,
                productId: target.productId,
                items: packed,
            });
            return encodeFunctionData({
                abi: productInteractionAbi,
                functionName: "handleInteractions",
                args: [packed, signature],
            });
        };
        const referrer = signers.address(walletLabels[0]!);
        // The referrals first (they cost more than a link), outside of the measured batches.
        for (const setup of [
            { target: batched.product, isLegacy: false },
            { target: legacy.product, isLegacy: true },
        ]) {
            const referrals = walletLabels.slice(1).map((label) => ({
                wallet: signers.address(label),
                data: encodeReferralReferred(referrer),
            }));
            const receipt = await send(
                SIGNER_LABELS.interactionExecutor,
                setup.target.interactionContract,
                await batchCall(setup.target, setup.isLegacy, referrals),
            );
            expectEvents(receipt.logs, "InteractionHandled", referrals.length);
        }
        // 2. Simple interactions (referral link opens) in batches of 1, 50 and 200.
        for (const size of BATCH_SIZES) {
            for (const setup of [
                { target: batched.product, isLegacy: false, version: "batched" as const },
                { target: legacy.product, isLegacy: true, version: "legacy" as const },
            ]) {
                const items = Array.from({ length: size }, (_, i) => ({
                    wallet: signers.address(walletLabels[i % 10]!),
                    data: encodeReferralCreateLink(),
                }));
                const data = await batchCall(setup.target, setup.isLegacy, items);
                const receipt = await send(
                    SIGNER_LABELS.interactionExecutor,
                    setup.target.interactionContract,
                    data,
                );
                expectEvents(receipt.logs, "InteractionHandled", size);
                interactionCosts.push({
                    version: setup.version,
                    size,
                    gasPerInteraction: Number(receipt.gasUsed) / size,
                    calldataBytesPerInteraction: size_(data) / size,
                });
            }
        }

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
            await batchCall(product, false, [
                { wallet: referee, data: encodePurchaseCompleted(purchaseId, []) },
            ]),
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
        return { operations: results, interactions: interactionCosts };
    } finally {
        await anvil.stop();
    }
}

/** Rows of the `npm run bench` table. */
export async function runGasBench(): Promise<BenchRow[]> {
    const { operations, interactions } = await gasBenchmark();
    const rows: BenchRow[] = operations.map((row) => ({
        area: "gas",
        metric: row.operation,
        value: `${row.gas.toLocaleString("en-US")} gas`,
    }));
    const costOf = (version: InteractionCost["version"], size: number) =>
        interactions.find((c) => c.version === version && c.size === size) as InteractionCost;
    for (const [metric, key, unit] of [
        ["gas per interaction", "gasPerInteraction", "gas"],
        ["calldata per interaction", "calldataBytesPerInteraction", "bytes"],
    ] as const) {
        for (const size of BATCH_SIZES) {
            const ours = costOf("batched", size)[key];
            const base = costOf("legacy", size)[key];
            rows.push({
                area: "gas",
                metric: `${metric}, batch ${size}`,
                value: `${Math.round(ours).toLocaleString("en-US")} ${unit}`,
                peer: `legacy: ${Math.round(base).toLocaleString("en-US")}`,
                ratio: `${(ours / base).toFixed(3)}x`,
                ...(size === 200 ? { target: "<= 0.333x legacy" } : {}),
            });
        }
    }
    return rows;
}

if (import.meta.main) {
    console.table(await runGasBench());
    process.exit(0);
}
