/**
 * Batches of ProductInteraction (the batched version): the packed item list and its one EIP-712
 * signature by the product's derived signer. The encoding is documented in
 * docs/interaction-batches.md and read on-chain by InteractionBatchCodec.sol:
 *   item = id (uint48, big-endian) | wallet (20 bytes) | length (uint16, big-endian) | data
 * items back to back, no offsets, no padding.
 *   domain  { name: "ProductInteraction", version: "2", chainId, verifyingContract }
 *   InteractionBatch(uint256 productId,bytes items)
 */
import { type Address, bytesToHex, type Hex, hexToBytes } from "viem";
import type { BackendSigners } from "./signers";

export const INTERACTION_BATCH_EIP712_DOMAIN_VERSION = "2";
/** Ids are uint48 in the encoding. */
export const MAX_INTERACTION_SEQUENCE = 2n ** 48n - 1n;
const MAX_DATA_LENGTH = 0xffff;
const ITEM_HEADER = 28;

export type BatchItem = { id: bigint; wallet: Address; data: Hex };

export function encodeInteractionItems(items: readonly BatchItem[]): Hex {
    const payloads = items.map((item) => hexToBytes(item.data));
    const total = payloads.reduce((sum, data) => sum + ITEM_HEADER + data.length, 0);
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    let offset = 0;
    items.forEach((item, i) => {
        const data = payloads[i] as Uint8Array;
        if (item.id < 0n || item.id > MAX_INTERACTION_SEQUENCE) {
            throw new RangeError(`interaction id out of range: ${item.id}`);
        }
        if (data.length > MAX_DATA_LENGTH) {
            throw new RangeError(`interaction data too long: ${data.length} bytes`);
        }
        const wallet = hexToBytes(item.wallet);
        if (wallet.length !== 20) throw new RangeError(`not an address: ${item.wallet}`);
        view.setUint16(offset, Number(item.id >> 32n));
        view.setUint32(offset + 2, Number(item.id & 0xffffffffn));
        out.set(wallet, offset + 6);
        view.setUint16(offset + 26, data.length);
        out.set(data, offset + ITEM_HEADER);
        offset += ITEM_HEADER + data.length;
    });
    return bytesToHex(out);
}

/** The inverse of encodeInteractionItems; throws on a truncated list. */
export function decodeInteractionItems(items: Hex): BatchItem[] {
    const bytes = hexToBytes(items);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const decoded: BatchItem[] = [];
    let offset = 0;
    while (offset < bytes.length) {
        if (bytes.length < offset + ITEM_HEADER) throw new Error("malformed batch: truncated item");
        const id = (BigInt(view.getUint16(offset)) << 32n) | BigInt(view.getUint32(offset + 2));
        const wallet = bytesToHex(bytes.subarray(offset + 6, offset + 26)) as Address;
        const length = view.getUint16(offset + 26);
        const end = offset + ITEM_HEADER + length;
        if (bytes.length < end) throw new Error("malformed batch: truncated data");
        decoded.push({ id, wallet, data: bytesToHex(bytes.subarray(offset + ITEM_HEADER, end)) });
        offset = end;
    }
    return decoded;
}

export function interactionBatchTypedData(params: {
    chainId: number;
    interactionContract: Address;
    productId: bigint;
    items: Hex;
}) {
    return {
        domain: {
            name: "ProductInteraction",
            version: INTERACTION_BATCH_EIP712_DOMAIN_VERSION,
            chainId: params.chainId,
            verifyingContract: params.interactionContract,
        },
        types: {
            InteractionBatch: [
                { name: "productId", type: "uint256" },
                { name: "items", type: "bytes" },
            ],
        },
        primaryType: "InteractionBatch",
        message: { productId: params.productId, items: params.items },
    } as const;
}

/** Signs a packed item list with the product's derived signer: one signature per batch. */
export function signInteractionBatch(params: {
    signers: BackendSigners;
    chainId: number;
    interactionContract: Address;
    productId: bigint;
    items: Hex;
}): Promise<Hex> {
    const account = params.signers.productAccount(params.productId);
    return account.signTypedData(interactionBatchTypedData(params));
}
