import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
    type Address,
    type BaseError,
    decodeErrorResult,
    encodeFunctionData,
    erc20Abi,
    type Hex,
    type PrivateKeyAccount,
    parseEther,
    parseEventLogs,
    stringToHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    type BatchItem,
    campaignBankAbi,
    decodeInteractionItems,
    decodeRejectionReason,
    encodeInteractionItems,
    encodePurchaseCompleted,
    encodeReferralCreateLink,
    encodeReferralReferred,
    INTERACTION_TYPE,
    MAX_INTERACTION_SEQUENCE,
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
import { type MintedProduct, mintProduct } from "../support/mint-product";
import { fundedAccount, merkleRootAndProof, purchaseLeaf, signedBatchCall, write } from "./helpers";
import { type ChainFixture, increaseTime, startChainFixture } from "./setup";

let f: ChainFixture;
let merchant: PrivateKeyAccount;
let referrer: PrivateKeyAccount;
let referee: PrivateKeyAccount;
let product: MintedProduct;
let bank: Address;
let campaign: Address;

let nextId = 1n;
/** An item with the next sequential id, as the executor gives them. */
function item(wallet: Address, data: Hex, id: bigint = nextId++): BatchItem {
    return { id, wallet, data };
}

/** Sends calldata to the product's contract from the interaction-executor (fixed gas: no estimate). */
async function sendCall(data: Hex) {
    const hash = await f.signers.send(SIGNER_LABELS.interactionExecutor, ({ wallet, nonce }) =>
        wallet.sendTransaction({ to: product.interactionContract, data, nonce, gas: 8_000_000n }),
    );
    // Not waitForReceipt: it throws on a reverted transaction, which some tests expect.
    const receipt = await f.clients.publicClient.waitForTransactionReceipt({ hash });
    const logs = parseEventLogs({ abi: productInteractionAbi, logs: receipt.logs });
    const handled = logs.flatMap((l) => (l.eventName === "InteractionHandled" ? [l.args.id] : []));
    const rejected = Object.fromEntries(
        logs.flatMap((l) =>
            l.eventName === "InteractionRejected"
                ? [[String(l.args.id), decodeRejectionReason(l.args.reason)]]
                : [],
        ),
    ) as Record<string, string>;
    return { receipt, handled, rejected };
}

/** Pushes a batch signed by the product's signer, as the backend's job does. */
async function pushBatch(items: BatchItem[]) {
    return sendCall(
        await signedBatchCall({ signers: f.signers, chainId: f.anvil.chainId, product, items }),
    );
}

/** The custom error a call to the product's contract reverts with. */
async function revertOf(data: Hex): Promise<string> {
    try {
        await f.clients.publicClient.call({ to: product.interactionContract, data });
    } catch (error) {
        const raw = (error as BaseError).walk(
            (e) => typeof (e as { data?: unknown }).data === "string",
        ) as {
            data?: Hex;
        } | null;
        return decodeErrorResult({ abi: productInteractionAbi, data: raw?.data as Hex }).errorName;
    }
    return "no revert";
}

const isHandled = (id: bigint) =>
    f.clients.publicClient.readContract({
        address: product.interactionContract,
        abi: productInteractionAbi,
        functionName: "isHandled",
        args: [id],
    });

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
        const expired = item(shortLived.address, encodeReferralCreateLink());
        const { handled, rejected } = await pushBatch([expired]);
        expect(handled).toEqual([]);
        expect(rejected[String(expired.id)]).toBe("NoValidSession");
        // Rejected ids are not consumed: the same id is accepted once the wallet has a session.
        expect(await isHandled(expired.id)).toBe(false);
    });
});

describe("interaction batches", () => {
    test("valid items are accepted; a reverted item, no session and a duplicate are rejected per item", async () => {
        const noSession = privateKeyToAccount(generatePrivateKey());
        const createLink = item(referrer.address, encodeReferralCreateLink());
        const referred = item(referee.address, encodeReferralReferred(referrer.address));
        // Reverts inside its own call (self-referral): rolled back alone.
        const selfReferral = item(referrer.address, encodeReferralReferred(referrer.address));
        const withoutSession = item(noSession.address, encodeReferralCreateLink());
        const duplicateInBatch = { ...createLink };
        const last = item(referrer.address, encodeReferralCreateLink());

        const { handled, rejected, receipt } = await pushBatch([
            createLink,
            referred,
            selfReferral,
            withoutSession,
            duplicateInBatch,
            last,
        ]);
        expect(receipt.status).toBe("success");
        expect(handled).toEqual([createLink.id, referred.id, last.id]);
        expect(rejected[String(selfReferral.id)]).toBe("InvalidReferrer");
        expect(rejected[String(withoutSession.id)]).toBe("NoValidSession");
        expect(rejected[String(createLink.id)]).toBe("InteractionAlreadyHandled");
        expect(await isHandled(selfReferral.id)).toBe(false);

        const typed = parseEventLogs({ abi: productInteractionAbi, logs: receipt.logs });
        const createdLink = typed.find(
            (l) => l.eventName === "InteractionHandled" && l.args.id === createLink.id,
        );
        expect(createdLink?.args).toEqual({
            id: createLink.id,
            wallet: referrer.address,
            interactionType: INTERACTION_TYPE.referralCreateLink,
        });
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
        const fresh = item(referrer.address, encodeReferralCreateLink());
        const replay = await pushBatch([referred, fresh]);
        expect(replay.receipt.status).toBe("success");
        expect(replay.handled).toEqual([fresh.id]);
        expect(replay.rejected[String(referred.id)]).toBe("InteractionAlreadyHandled");
        // The very same signed transaction data again: every id refused.
        const again = await pushBatch([fresh]);
        expect(again.handled).toEqual([]);
        expect(again.rejected[String(fresh.id)]).toBe("InteractionAlreadyHandled");
    });

    test("ids anywhere in the bitmap, across slots, are each accepted once", async () => {
        const ids = [255n, 256n, 257n, 1000n, MAX_INTERACTION_SEQUENCE];
        const items = ids.map((id) => item(referrer.address, encodeReferralCreateLink(), id));
        const first = await pushBatch(items);
        expect(first.handled).toEqual(ids);
        for (const id of ids) expect(await isHandled(id)).toBe(true);
        expect(await isHandled(258n)).toBe(false);
        const word = await f.clients.publicClient.readContract({
            address: product.interactionContract,
            abi: productInteractionAbi,
            functionName: "handledWord",
            args: [1n],
        });
        expect(word & 0b11n).toBe(0b11n); // ids 256 and 257: bits 0 and 1 of slot 1
        const second = await pushBatch(items);
        expect(second.handled).toEqual([]);
        expect(Object.values(second.rejected)).toEqual(ids.map(() => "InteractionAlreadyHandled"));
    });

    test("a batch signed by a non-signer is refused as a whole", async () => {
        const stranger = privateKeyToAccount(generatePrivateKey());
        const items = [item(referrer.address, encodeReferralCreateLink())];
        const call = await signedBatchCall({
            signers: f.signers,
            chainId: f.anvil.chainId,
            product,
            items,
            signer: stranger,
        });
        expect(await revertOf(call)).toBe("SignerNotAllowed");
        const { receipt, handled } = await sendCall(call);
        expect(receipt.status).toBe("reverted");
        expect(handled).toEqual([]);
        expect(await isHandled(items[0]?.id as bigint)).toBe(false);
        // Nor is a signature of the same items for another product's contract accepted here.
        const elsewhere = await signedBatchCall({
            signers: f.signers,
            chainId: f.anvil.chainId,
            product: { ...product, interactionContract: f.deployment.productInteractionManager },
            items,
        });
        expect((await sendCall(elsewhere)).receipt.status).toBe("reverted");
    });

    test("a tampered item voids the batch's signature: refused as a whole", async () => {
        const honest = item(referrer.address, encodeReferralCreateLink());
        const target = item(referee.address, encodeReferralCreateLink());
        const signed = await signedBatchCall({
            signers: f.signers,
            chainId: f.anvil.chainId,
            product,
            items: [honest, target],
        });
        const stranger = privateKeyToAccount(generatePrivateKey());
        // Same signature, the second item's wallet swapped for another one.
        const swapped = signed.replace(
            referee.address.slice(2).toLowerCase(),
            stranger.address.slice(2).toLowerCase(),
        ) as Hex;
        expect(swapped).not.toBe(signed);
        // The signature now recovers to some other address, which holds no role.
        expect(await revertOf(swapped)).toBe("SignerNotAllowed");
        const { receipt } = await sendCall(swapped);
        expect(receipt.status).toBe("reverted");
        expect(await isHandled(honest.id)).toBe(false);
        expect(await isHandled(target.id)).toBe(false);
        // The untouched batch goes through.
        expect((await sendCall(signed)).handled).toEqual([honest.id, target.id]);
    });
});

describe("packed encoding", () => {
    const items: BatchItem[] = [
        { id: 0n, wallet: "0x00000000000000000000000000000000000000aa", data: "0xb2c0f17c" },
        {
            id: 0x0102030405n,
            wallet: "0x1111111111111111111111111111111111111111",
            data: encodeReferralReferred("0x2222222222222222222222222222222222222222"),
        },
        {
            id: MAX_INTERACTION_SEQUENCE,
            wallet: "0x3333333333333333333333333333333333333333",
            data: encodePurchaseCompleted(7n, [`0x${"ab".repeat(32)}`]),
        },
    ];

    test("TypeScript: byte layout and round trip", () => {
        const packed = encodeInteractionItems(items);
        // id (6) | wallet (20) | length (2) | data
        expect(packed.slice(0, 2 + 2 * 32)).toBe(`0x000000000000${"00".repeat(19)}aa0004b2c0f17c`);
        expect(packed.length).toBe(2 + 2 * (3 * 28 + 4 + 36 + 4 + 32 * 4));
        expect(decodeInteractionItems(packed)).toEqual(items);
        expect(() => decodeInteractionItems(packed.slice(0, -2) as Hex)).toThrow(/truncated/);
        expect(() =>
            encodeInteractionItems([
                { ...items[0], id: MAX_INTERACTION_SEQUENCE + 1n } as BatchItem,
            ]),
        ).toThrow(RangeError);
    });

    test("Solidity: the contract decodes what the backend encodes, and refuses a truncated list", async () => {
        const packed = encodeInteractionItems(items);
        const [ids, wallets, data] = await f.clients.publicClient.readContract({
            address: product.interactionContract,
            abi: productInteractionAbi,
            functionName: "decodeItems",
            args: [packed],
        });
        expect(ids).toEqual(items.map((i) => i.id));
        expect(wallets.map((w) => w.toLowerCase())).toEqual(items.map((i) => i.wallet));
        expect(data).toEqual(items.map((i) => i.data));
        await expect(
            f.clients.publicClient.readContract({
                address: product.interactionContract,
                abi: productInteractionAbi,
                functionName: "decodeItems",
                args: [packed.slice(0, -2) as Hex],
            }),
        ).rejects.toThrow(/MalformedBatch/);
    });
});

describe("batch simulation and signing", () => {
    test("simulateInteractions judges each item of a packed list alone and changes nothing", async () => {
        const someone = privateKeyToAccount(generatePrivateKey());
        const other = privateKeyToAccount(generatePrivateKey());
        const items = [
            item(someone.address, encodeReferralReferred(referrer.address)),
            // Alone it passes too: the first item's referral is rolled back before it runs.
            item(someone.address, encodeReferralReferred(other.address)),
            item(someone.address, encodeReferralReferred(someone.address)), // self-referral
            item(referee.address, encodeReferralReferred(other.address)), // already referred
        ];
        const packed = encodeInteractionItems(items);
        const { result } = await f.clients.publicClient.simulateContract({
            address: product.interactionContract,
            abi: productInteractionAbi,
            functionName: "simulateInteractions",
            args: [packed],
        });
        expect(result.slice(0, 2)).toEqual(["0x", "0x"]);
        expect(decodeRejectionReason(result[2] as Hex)).toBe("InvalidReferrer");
        expect(decodeRejectionReason(result[3] as Hex)).toBe("AlreadyReferred");

        // Sent as a transaction by anyone, it leaves no trace.
        const hash = await f.clients.walletClient(merchant).sendTransaction({
            to: product.interactionContract,
            data: encodeFunctionData({
                abi: productInteractionAbi,
                functionName: "simulateInteractions",
                args: [packed],
            }),
        });
        await f.clients.waitForReceipt(hash);
        for (const { id } of items) expect(await isHandled(id)).toBe(false);
        expect(
            await f.clients.publicClient.readContract({
                address: product.interactionContract,
                abi: productInteractionAbi,
                functionName: "referrerOf",
                args: [someone.address],
            }),
        ).toBe("0x0000000000000000000000000000000000000000");
    });

    test("legacy contract: signInteractions signs exactly as signInteraction", async () => {
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
            items.map((i) =>
                signInteraction({
                    signers: f.signers,
                    chainId: f.anvil.chainId,
                    interactionContract: product.interactionContract,
                    interaction: { ...i, productId: product.productId },
                }),
            ),
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
        const wrongProof = item(
            referee.address,
            encodePurchaseCompleted(purchaseId, proof.slice(1)),
        );
        const purchase = item(referee.address, encodePurchaseCompleted(purchaseId, proof));
        const again = item(referee.address, encodePurchaseCompleted(purchaseId, proof));
        const { handled, rejected, receipt } = await pushBatch([wrongProof, purchase, again]);
        expect(rejected[String(wrongProof.id)]).toBe("InvalidPurchaseProof");
        expect(handled).toEqual([purchase.id]);
        expect(rejected[String(again.id)]).toBe("PurchaseAlreadyProcessed");

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
