/** Small helpers of the chain tests: funded test accounts, write-and-wait, a Merkle tree. */
import {
    type Abi,
    type Address,
    type ContractFunctionArgs,
    type ContractFunctionName,
    concatHex,
    encodeFunctionData,
    encodePacked,
    type Hex,
    keccak256,
    type PrivateKeyAccount,
    parseEther,
    type TransactionReceipt,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    type BackendSigners,
    type BatchItem,
    type ChainClients,
    encodeInteractionItems,
    interactionBatchTypedData,
    productInteractionAbi,
    signInteractionBatch,
} from "../../src/infrastructure/blockchain";
import { setBalance } from "./setup";

export async function fundedAccount(clients: ChainClients): Promise<PrivateKeyAccount> {
    const account = privateKeyToAccount(generatePrivateKey());
    await setBalance(clients, account.address, parseEther("100"));
    return account;
}

/** Simulates (so a revert throws with the decoded error), sends, and waits for the receipt. */
export async function write<
    const abi extends Abi,
    functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
>(
    clients: ChainClients,
    account: PrivateKeyAccount,
    call: {
        address: Address;
        abi: abi;
        functionName: functionName;
        args: ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>;
    },
): Promise<TransactionReceipt> {
    // The generic call is checked at the call site; viem's overloads cannot follow it here.
    const { request } = await clients.publicClient.simulateContract({
        ...call,
        account,
    } as never);
    const hash = await clients.walletClient(account).writeContract(request as never);
    return clients.waitForReceipt(hash);
}

/** Purchase leaf as the backend stores it: encodePacked(uint256 purchaseId, uint8 status). */
export function purchaseLeaf(purchaseId: bigint, status: number): Hex {
    return keccak256(encodePacked(["uint256", "uint8"], [purchaseId, status]));
}

const hashPair = (a: Hex, b: Hex): Hex =>
    keccak256(a.toLowerCase() < b.toLowerCase() ? concatHex([a, b]) : concatHex([b, a]));

/**
 * Sorted-pair keccak tree over already-hashed leaves (leaves sorted, pairs sorted, an odd node
 * carried up unchanged), returning the root and the proof of one leaf.
 */
export function merkleRootAndProof(leaves: Hex[], leaf: Hex): { root: Hex; proof: Hex[] } {
    let level = [...leaves].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    let index = level.indexOf(leaf);
    if (index < 0) throw new Error("leaf not in tree");
    const proof: Hex[] = [];
    while (level.length > 1) {
        const next: Hex[] = [];
        for (let i = 0; i < level.length; i += 2) {
            const left = level[i]!;
            const right = level[i + 1];
            next.push(right === undefined ? left : hashPair(left, right));
        }
        const sibling = index % 2 === 0 ? level[index + 1] : level[index - 1];
        if (sibling !== undefined) proof.push(sibling);
        index = Math.floor(index / 2);
        level = next;
    }
    return { root: level[0]!, proof };
}

/**
 * Calldata of ProductInteraction.handleInteractions for these items, signed as one batch by
 * `signer` (default: the product's derived signer, as the executor signs).
 */
export async function signedBatchCall(params: {
    signers: BackendSigners;
    chainId: number;
    product: { productId: bigint; interactionContract: Address };
    items: BatchItem[];
    signer?: PrivateKeyAccount;
}): Promise<Hex> {
    const items = encodeInteractionItems(params.items);
    const typedData = interactionBatchTypedData({
        chainId: params.chainId,
        interactionContract: params.product.interactionContract,
        productId: params.product.productId,
        items,
    });
    const signature = params.signer
        ? await params.signer.signTypedData(typedData)
        : await signInteractionBatch({
              signers: params.signers,
              chainId: params.chainId,
              interactionContract: params.product.interactionContract,
              productId: params.product.productId,
              items,
          });
    return encodeFunctionData({
        abi: productInteractionAbi,
        functionName: "handleInteractions",
        args: [items, signature],
    });
}
