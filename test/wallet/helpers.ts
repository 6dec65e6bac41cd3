/** Helpers of the wallet tests: sessions, test-token mints and a referral paid by a campaign. */
import {
    type Address,
    erc20Abi,
    type Hex,
    type PrivateKeyAccount,
    parseEther,
    stringToHex,
} from "viem";
import {
    campaignBankAbi,
    encodePurchaseCompleted,
    encodeReferralReferred,
    INTERACTION_TYPE,
    productInteractionAbi,
    productInteractionManagerAbi,
    purchaseOracleAbi,
    referralCampaignAbi,
    referralCampaignBytecode,
    SIGNER_LABELS,
    testStablecoinAbi,
} from "../../src/infrastructure/blockchain";
import type { Chain } from "../../src/infrastructure/chain";
import {
    fundedAccount,
    merkleRootAndProof,
    purchaseLeaf,
    signedBatchCall,
    write,
} from "../chain/helpers";
import { type MintedProduct, mintProduct } from "../support/mint-product";
import type { TestApp } from "../support/test-app";

/** A wallet JWT for `address` (ecdsa session), as login issues it. */
export async function walletAuth(app: TestApp, address: Address) {
    const { token } = await app.infra.tokens.signWallet({
        type: "ecdsa",
        address,
        authenticatorId: `ecdsa-${address}`,
        publicKey: address,
    });
    return { "x-wallet-auth": token };
}

/** The `minter` derived signer mints test stablecoins. */
export async function mintTestToken(chain: Chain, token: Address, to: Address, amount: bigint) {
    const hash = await chain.signers.send(SIGNER_LABELS.minter, ({ wallet, nonce }) =>
        wallet.writeContract({
            address: token,
            abi: testStablecoinAbi,
            functionName: "mint",
            args: [to, amount],
            nonce,
        }),
    );
    await chain.clients.waitForReceipt(hash);
}

export type Referral = {
    product: MintedProduct;
    bank: Address;
    campaign: Address;
    merchant: PrivateKeyAccount;
    referrer: PrivateKeyAccount;
    referee: PrivateKeyAccount;
    /** Pushes one purchase.completed of the referee: pays referrer 10 and referee 5 usde. */
    purchase(purchaseId: bigint): Promise<void>;
};

/**
 * A product with a referral campaign on a usde bank paying on purchase.completed (as the chain
 * tests drive it), a referrer and a referred referee with interaction sessions.
 */
export async function setUpReferral(chain: Chain, domain: string): Promise<Referral> {
    const { clients, signers, deployment } = chain;
    const [merchant, referrer, referee] = await Promise.all([
        fundedAccount(clients),
        fundedAccount(clients),
        fundedAccount(clients),
    ]);
    const product = await mintProduct({
        clients,
        signers,
        deployment,
        productTypes: 1n << 31n,
        name: domain,
        domain,
        owner: merchant.address,
        bankTokens: [deployment.tokens.usde],
    });
    const bank = product.banks[deployment.tokens.usde] as Address;
    const deployHash = await clients.walletClient(merchant).deployContract({
        abi: referralCampaignAbi,
        bytecode: referralCampaignBytecode,
        args: [
            product.interactionContract,
            bank,
            deployment.productAdministratorRegistry,
            stringToHex("referral", { size: 32 }),
        ],
    });
    const campaign = (await clients.waitForReceipt(deployHash)).contractAddress as Address;
    await write(clients, merchant, {
        address: campaign,
        abi: referralCampaignAbi,
        functionName: "setTrigger",
        args: [INTERACTION_TYPE.purchaseCompleted, parseEther("10"), parseEther("5")],
    });
    await write(clients, merchant, {
        address: bank,
        abi: campaignBankAbi,
        functionName: "setCampaignAllowed",
        args: [campaign, true],
    });
    await write(clients, merchant, {
        address: product.interactionContract,
        abi: productInteractionAbi,
        functionName: "attachCampaign",
        args: [campaign],
    });
    const fund = await signers.send(SIGNER_LABELS.moneriumDev, ({ wallet, nonce }) =>
        wallet.writeContract({
            address: deployment.tokens.usde,
            abi: erc20Abi,
            functionName: "transfer",
            args: [bank, parseEther("1000")],
            nonce,
        }),
    );
    await clients.waitForReceipt(fund);
    const block = await clients.publicClient.getBlock();
    for (const account of [referrer, referee]) {
        await write(clients, account, {
            address: deployment.productInteractionManager,
            abi: productInteractionManagerAbi,
            functionName: "openSession",
            args: [Number(block.timestamp) + 30 * 86_400],
        });
    }

    let nextId = 0n;
    const push = async (wallet: Address, data: Hex) => {
        const call = await signedBatchCall({
            signers,
            chainId: clients.chain.id,
            product,
            items: [{ id: nextId++, wallet, data }],
        });
        const hash = await signers.send(SIGNER_LABELS.interactionExecutor, ({ wallet: w, nonce }) =>
            w.sendTransaction({ to: product.interactionContract, data: call, nonce }),
        );
        await clients.waitForReceipt(hash);
    };
    await push(referee.address, encodeReferralReferred(referrer.address));

    const purchased: bigint[] = [];
    return {
        product,
        bank,
        campaign,
        merchant,
        referrer,
        referee,
        async purchase(purchaseId) {
            purchased.push(purchaseId);
            const leaves = purchased.map((id) => purchaseLeaf(id, 1));
            const leaf = purchaseLeaf(purchaseId, 1);
            // A single-leaf tree has an empty proof; pad with a dummy leaf to keep it realistic.
            const { root, proof } = merkleRootAndProof([...leaves, purchaseLeaf(0n, 0)], leaf);
            const hash = await signers.send(SIGNER_LABELS.oracleUpdater, ({ wallet, nonce }) =>
                wallet.writeContract({
                    address: deployment.purchaseOracle,
                    abi: purchaseOracleAbi,
                    functionName: "updateMerkleRoot",
                    args: [product.productId, root],
                    nonce,
                }),
            );
            await clients.waitForReceipt(hash);
            await push(referee.address, encodePurchaseCompleted(purchaseId, proof));
        },
    };
}

/** Claims the wallet's rewards from the bank (the wallet pays the gas). */
export async function claim(chain: Chain, account: PrivateKeyAccount, bank: Address) {
    await write(chain.clients, account, {
        address: bank,
        abi: campaignBankAbi,
        functionName: "claim",
        args: [],
    });
}
