import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
    type Address,
    erc20Abi,
    type Hex,
    type PrivateKeyAccount,
    parseEther,
    parseEventLogs,
    stringToHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    campaignBankAbi,
    decodeRejectionReason,
    encodePurchaseCompleted,
    encodeReferralCreateLink,
    encodeReferralReferred,
    INTERACTION_TYPE,
    interactionTypedData,
    type MintedProduct,
    mintProduct,
    newInteractionId,
    productInteractionAbi,
    productInteractionManagerAbi,
    purchaseOracleAbi,
    referralCampaignAbi,
    referralCampaignBytecode,
    SIGNER_LABELS,
    signInteraction,
    signInteractions,
} from "../../src/infrastructure/blockchain";
import { fundedAccount, merkleRootAndProof, purchaseLeaf, write } from "./helpers";
import { type ChainFixture, increaseTime, startChainFixture } from "./setup";

let f: ChainFixture;
let merchant: PrivateKeyAccount;
let referrer: PrivateKeyAccount;
let referee: PrivateKeyAccount;
let product: MintedProduct;
let bank: Address;
let campaign: Address;

type Item = { id: Hex; wallet: Address; data: Hex; signature: Hex };

async function signed(wallet: Address, data: Hex, id: Hex = newInteractionId()): Promise<Item> {
    const signature = await signInteraction({
        signers: f.signers,
        chainId: f.anvil.chainId,
        interactionContract: product.interactionContract,
        interaction: { id, productId: product.productId, wallet, data },
    });
    return { id, wallet, data, signature };
}

/** Pushes a batch from the interaction-executor, as the backend's job does. */
async function pushBatch(items: Item[]) {
    const hash = await f.signers.send(SIGNER_LABELS.interactionExecutor, ({ wallet, nonce }) =>
        wallet.writeContract({
            address: product.interactionContract,
            abi: productInteractionAbi,
            functionName: "handleInteractions",
            args: [items],
            nonce,
        }),
    );
    const receipt = await f.clients.waitForReceipt(hash);
    const logs = parseEventLogs({ abi: productInteractionAbi, logs: receipt.logs });
    const handled = logs.flatMap((l) => (l.eventName === "InteractionHandled" ? [l.args.id] : []));
    const rejected = Object.fromEntries(
        logs.flatMap((l) =>
            l.eventName === "InteractionRejected"
                ? [[l.args.id, decodeRejectionReason(l.args.reason)]]
                : [],
        ),
    );
    return { receipt, handled, rejected };
}

async function openSession(account: PrivateKeyAccount, seconds: number) {
    const block = await f.clients.publicClient.getBlock();
    await write(f.clients, account, {
        address: f.deployment.productInteractionManager,
        abi: productInteractionManagerAbi,
        functionName: "openSession",
        args: [Number(block.timestamp) + seconds],
    });
}

const isSessionValid = (wallet: Address) =>
    f.clients.publicClient.readContract({
        address: f.deployment.productInteractionManager,
        abi: productInteractionManagerAbi,
        functionName: "isSessionValid",
        args: [wallet],
    });

beforeAll(async () => {
    f = await startChainFixture();
    [merchant, referrer, referee] = await Promise.all([
        fundedAccount(f.clients),
        fundedAccount(f.clients),
        fundedAccount(f.clients),
    ]);
    product = await mintProduct({
        clients: f.clients,
        signers: f.signers,
        deployment: f.deployment,
        productTypes: 1n << 31n,
        name: "Loop shop",
        domain: "loop.example.com",
        owner: merchant.address,
        bankTokens: [f.deployment.tokens.usde],
    });
    bank = product.banks[f.deployment.tokens.usde]!;

    // The merchant sets up a referral campaign paying on purchase.completed.
    const deployHash = await f.clients.walletClient(merchant).deployContract({
        abi: referralCampaignAbi,
        bytecode: referralCampaignBytecode,
        args: [
            product.interactionContract,
            bank,
            f.deployment.productAdministratorRegistry,
            stringToHex("referral", { size: 32 }),
        ],
    });
    campaign = (await f.clients.waitForReceipt(deployHash)).contractAddress!;
    await write(f.clients, merchant, {
        address: campaign,
        abi: referralCampaignAbi,
        functionName: "setTrigger",
        args: [INTERACTION_TYPE.purchaseCompleted, parseEther("10"), parseEther("5")],
    });
    await write(f.clients, merchant, {
        address: bank,
        abi: campaignBankAbi,
        functionName: "setCampaignAllowed",
        args: [campaign, true],
    });
    await write(f.clients, merchant, {
        address: product.interactionContract,
        abi: productInteractionAbi,
        functionName: "attachCampaign",
        args: [campaign],
    });
    // monerium-dev funds the bank with test stablecoins, as the backend's funding flow does.
    const fund = await f.signers.send(SIGNER_LABELS.moneriumDev, ({ wallet, nonce }) =>
        wallet.writeContract({
            address: f.deployment.tokens.usde,
            abi: erc20Abi,
            functionName: "transfer",
            args: [bank, parseEther("100")],
            nonce,
        }),
    );
    await f.clients.waitForReceipt(fund);
});
afterAll(async () => {
    await f?.anvil.stop();
});

describe("interaction sessions", () => {
    test("valid once opened, invalid after expiry", async () => {
        const shortLived = await fundedAccount(f.clients);
        expect(await isSessionValid(shortLived.address)).toBe(false);
        await openSession(shortLived, 100);
        await openSession(referrer, 30 * 86_400);
        await openSession(referee, 30 * 86_400);
        expect(await isSessionValid(shortLived.address)).toBe(true);
        await increaseTime(f.clients, 101);
        expect(await isSessionValid(shortLived.address)).toBe(false);
        expect(await isSessionValid(referee.address)).toBe(true);
        // An interaction for the expired wallet is rejected, not reverted.
        const item = await signed(shortLived.address, encodeReferralCreateLink());
        const { handled, rejected } = await pushBatch([item]);
        expect(handled).toEqual([]);
        expect(rejected[item.id]).toBe("NoValidSession");
    });
});

describe("interaction batches", () => {
    test("valid items are accepted; bad signer, no session and replays are rejected per item", async () => {
        const noSession = privateKeyToAccount(generatePrivateKey());
        const createLink = await signed(referrer.address, encodeReferralCreateLink());
        const referred = await signed(referee.address, encodeReferralReferred(referrer.address));
        const strangerKey = privateKeyToAccount(generatePrivateKey());
        const badSigner: Item = {
            ...(await signed(referrer.address, encodeReferralCreateLink())),
        };
        badSigner.signature = await strangerKey.signTypedData(
            interactionTypedData({
                chainId: f.anvil.chainId,
                interactionContract: product.interactionContract,
                interaction: {
                    id: badSigner.id,
                    productId: product.productId,
                    wallet: badSigner.wallet,
                    data: badSigner.data,
                },
            }),
        );
        const tampered = { ...(await signed(referrer.address, encodeReferralCreateLink())) };
        tampered.wallet = referee.address; // signature no longer matches the struct
        const withoutSession = await signed(noSession.address, encodeReferralCreateLink());
        const duplicateInBatch = { ...createLink };

        const { handled, rejected, receipt } = await pushBatch([
            createLink,
            referred,
            badSigner,
            tampered,
            withoutSession,
            duplicateInBatch,
        ]);
        expect(receipt.status).toBe("success");
        expect(handled).toEqual([createLink.id, referred.id]);
        expect(rejected[badSigner.id]).toBe("SignerNotAllowed");
        expect(rejected[tampered.id]).toBe("SignerNotAllowed");
        expect(rejected[withoutSession.id]).toBe("NoValidSession");
        expect(rejected[createLink.id]).toBe("InteractionAlreadyHandled");

        const typed = parseEventLogs({ abi: productInteractionAbi, logs: receipt.logs });
        expect(typed.some((l) => l.eventName === "ReferralLinkCreated")).toBe(true);
        const userReferred = typed.find((l) => l.eventName === "UserReferred");
        expect(userReferred?.args).toEqual({
            referee: referee.address,
            referrer: referrer.address,
        });
        const recorded = await f.clients.publicClient.readContract({
            address: product.interactionContract,
            abi: productInteractionAbi,
            functionName: "referrerOf",
            args: [referee.address],
        });
        expect(recorded).toBe(referrer.address);

        // Replaying an accepted id in a later batch is rejected, the batch still succeeds.
        const replay = await pushBatch([referred]);
        expect(replay.receipt.status).toBe("success");
        expect(replay.handled).toEqual([]);
        expect(replay.rejected[referred.id]).toBe("InteractionAlreadyHandled");
    });
});

describe("batch simulation and signing", () => {
    test("simulateInteractions judges each item alone and changes nothing", async () => {
        const someone = privateKeyToAccount(generatePrivateKey());
        const other = privateKeyToAccount(generatePrivateKey());
        const ids = [
            newInteractionId(),
            newInteractionId(),
            newInteractionId(),
            newInteractionId(),
        ];
        const wallets = [someone.address, someone.address, someone.address, referee.address];
        const data = [
            encodeReferralReferred(referrer.address),
            // Alone it passes too: the first item's referral is rolled back before it runs.
            encodeReferralReferred(other.address),
            encodeReferralReferred(someone.address), // self-referral
            encodeReferralReferred(other.address), // referee was referred above
        ];
        const { result } = await f.clients.publicClient.simulateContract({
            address: product.interactionContract,
            abi: productInteractionAbi,
            functionName: "simulateInteractions",
            args: [ids, wallets, data],
        });
        expect(result.slice(0, 2)).toEqual(["0x", "0x"]);
        expect(decodeRejectionReason(result[2] as Hex)).toBe("InvalidReferrer");
        expect(decodeRejectionReason(result[3] as Hex)).toBe("AlreadyReferred");

        // Sent as a transaction by anyone, it leaves no trace.
        const hash = await f.clients.walletClient(merchant).writeContract({
            address: product.interactionContract,
            abi: productInteractionAbi,
            functionName: "simulateInteractions",
            args: [ids, wallets, data],
        });
        await f.clients.waitForReceipt(hash);
        for (const id of ids) {
            expect(
                await f.clients.publicClient.readContract({
                    address: product.interactionContract,
                    abi: productInteractionAbi,
                    functionName: "isHandled",
                    args: [id],
                }),
            ).toBe(false);
        }
        expect(
            await f.clients.publicClient.readContract({
                address: product.interactionContract,
                abi: productInteractionAbi,
                functionName: "referrerOf",
                args: [someone.address],
            }),
        ).toBe("0x0000000000000000000000000000000000000000");
    });

    test("signInteractions signs exactly as signInteraction", async () => {
        const items = [
            { id: newInteractionId(), wallet: referrer.address, data: encodeReferralCreateLink() },
            {
                id: newInteractionId(),
                wallet: referee.address.toLowerCase() as Address,
                data: encodeReferralReferred(referrer.address),
            },
        ];
        const batch = await signInteractions({
            signers: f.signers,
            chainId: f.anvil.chainId,
            interactionContract: product.interactionContract,
            productId: product.productId,
            interactions: items,
        });
        const one = await Promise.all(
            items.map((item) => signed(item.wallet, item.data, item.id).then((s) => s.signature)),
        );
        expect(batch).toEqual(one);
    });
});

describe("purchase oracle and referral rewards", () => {
    const purchaseId = 0xabcdefn;
    const otherLeaves = [
        purchaseLeaf(1n, 1),
        purchaseLeaf(2n, 0),
        purchaseLeaf(3n, 1),
        purchaseLeaf(4n, 2),
    ];
    const leaf = purchaseLeaf(purchaseId, 1);
    const { root, proof } = merkleRootAndProof([...otherLeaves, leaf], leaf);

    const verify = (status: number, p: Hex[]) =>
        f.clients.publicClient.readContract({
            address: f.deployment.purchaseOracle,
            abi: purchaseOracleAbi,
            functionName: "verifyPurchase",
            args: [product.productId, purchaseId, status, p],
        });

    test("only the updater (or owner) updates the root; proofs verify", async () => {
        await expect(verify(1, proof)).rejects.toThrow(/MerkleRootNotSet/);
        const stranger = await fundedAccount(f.clients);
        await expect(
            write(f.clients, stranger, {
                address: f.deployment.purchaseOracle,
                abi: purchaseOracleAbi,
                functionName: "updateMerkleRoot",
                args: [product.productId, root],
            }),
        ).rejects.toThrow(/Unauthorized/);

        const hash = await f.signers.send(SIGNER_LABELS.oracleUpdater, ({ wallet, nonce }) =>
            wallet.writeContract({
                address: f.deployment.purchaseOracle,
                abi: purchaseOracleAbi,
                functionName: "updateMerkleRoot",
                args: [product.productId, root],
                nonce,
            }),
        );
        const receipt = await f.clients.waitForReceipt(hash);
        const [updated] = parseEventLogs({
            abi: purchaseOracleAbi,
            logs: receipt.logs,
            eventName: "MerkleRootUpdated",
        });
        expect(updated?.args).toEqual({ productId: product.productId, merkleRoot: root });
        expect(
            await f.clients.publicClient.readContract({
                address: f.deployment.purchaseOracle,
                abi: purchaseOracleAbi,
                functionName: "getMerkleRoot",
                args: [product.productId],
            }),
        ).toBe(root);

        expect(await verify(1, proof)).toBe(true);
        expect(await verify(2, proof)).toBe(false); // tampered status
        expect(await verify(0, proof)).toBe(false);
    });

    test("purchase.completed credits referrer and referee, who then claim", async () => {
        const wrongProof = await signed(
            referee.address,
            encodePurchaseCompleted(purchaseId, proof.slice(1)),
        );
        const purchase = await signed(referee.address, encodePurchaseCompleted(purchaseId, proof));
        const again = await signed(referee.address, encodePurchaseCompleted(purchaseId, proof));
        const { handled, rejected, receipt } = await pushBatch([wrongProof, purchase, again]);
        expect(rejected[wrongProof.id]).toBe("InvalidPurchaseProof");
        expect(handled).toEqual([purchase.id]);
        expect(rejected[again.id]).toBe("PurchaseAlreadyProcessed");

        const added = parseEventLogs({
            abi: campaignBankAbi,
            logs: receipt.logs,
            eventName: "RewardAdded",
        });
        expect(added.map((l) => [l.args.wallet, l.args.amount])).toEqual([
            [referrer.address, parseEther("10")],
            [referee.address, parseEther("5")],
        ]);
        const claimable = (wallet: Address) =>
            f.clients.publicClient.readContract({
                address: bank,
                abi: campaignBankAbi,
                functionName: "claimableOf",
                args: [wallet, f.deployment.tokens.usde],
            });
        expect(await claimable(referrer.address)).toBe(parseEther("10"));
        expect(await claimable(referee.address)).toBe(parseEther("5"));

        const balance = (wallet: Address) =>
            f.clients.publicClient.readContract({
                address: f.deployment.tokens.usde,
                abi: erc20Abi,
                functionName: "balanceOf",
                args: [wallet],
            });
        const claim = await write(f.clients, referee, {
            address: bank,
            abi: campaignBankAbi,
            functionName: "claim",
            args: [],
        });
        const [claimed] = parseEventLogs({
            abi: campaignBankAbi,
            logs: claim.logs,
            eventName: "RewardClaimed",
        });
        expect(claimed?.args).toEqual({
            wallet: referee.address,
            token: f.deployment.tokens.usde,
            amount: parseEther("5"),
        });
        // A relayer may claim on the referrer's behalf; funds still go to the referrer.
        await write(f.clients, merchant, {
            address: bank,
            abi: campaignBankAbi,
            functionName: "claimFor",
            args: [referrer.address],
        });
        expect(await balance(referee.address)).toBe(parseEther("5"));
        expect(await balance(referrer.address)).toBe(parseEther("10"));
        expect(await claimable(referee.address)).toBe(0n);
        expect(await balance(bank)).toBe(parseEther("85"));

        const [token, types, triggers] = await f.clients.publicClient.readContract({
            address: campaign,
            abi: referralCampaignAbi,
            functionName: "getTriggers",
        });
        expect(token).toBe(f.deployment.tokens.usde);
        expect(types).toEqual([INTERACTION_TYPE.purchaseCompleted]);
        expect(triggers).toEqual([
            { referrerAmount: parseEther("10"), refereeAmount: parseEther("5") },
        ]);
    });
});
