/**
 * The backend's signer accounts, all derived from one master key:
 *   privateKey(label) = HMAC-SHA256(key = master key bytes, message = UTF-8 label)
 * Fixed labels: `interaction-executor`, `oracle-updater`, `minter`, `monerium-dev`; a product's
 * signer uses the product id as minimal lowercase hex (`0x1a2b`, see productSignerLabel).
 * The master key is hex (with or without 0x) and is hex-decoded to get its bytes.
 *
 * A derived value that is not a valid secp256k1 key (0 or >= n, probability ~2^-128) throws
 * rather than being silently re-derived: changing the derivation would move the address.
 *
 * Every send goes through a per-account nonce lock: sends from one account run one after the
 * other with a locally tracked nonce (so N concurrent sends get N distinct consecutive nonces);
 * after a failed send the nonce is re-read from the chain's pending count, so a failure never
 * leaves a gap.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { LRUCache } from "lru-cache";
import {
    type Account,
    type Address,
    type Chain,
    type Hash,
    type Hex,
    hexToBytes,
    isHex,
    type PrivateKeyAccount,
    type Transport,
    toHex,
    type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ChainClients } from "./client";

export const SIGNER_LABELS = {
    interactionExecutor: "interaction-executor",
    oracleUpdater: "oracle-updater",
    minter: "minter",
    moneriumDev: "monerium-dev",
} as const;

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Label of a product's interaction signer: minimal lowercase hex of the uint256 id. */
export function productSignerLabel(productId: bigint): string {
    return toHex(productId);
}

function masterKeyBytes(masterKey: string): Uint8Array {
    const hex = (masterKey.startsWith("0x") ? masterKey : `0x${masterKey}`) as Hex;
    if (!isHex(hex, { strict: true }) || hex.length < 4 || hex.length % 2 !== 0) {
        throw new Error("master key must be a non-empty even-length hex string");
    }
    return hexToBytes(hex);
}

export function derivePrivateKey(masterKey: string, label: string): Hex {
    const digest = hmac(sha256, masterKeyBytes(masterKey), new TextEncoder().encode(label));
    const key = toHex(digest);
    const value = BigInt(key);
    if (value === 0n || value >= SECP256K1_N) {
        throw new Error(`derived key for "${label}" is not a valid secp256k1 private key`);
    }
    return key;
}

export type SendContext = {
    account: PrivateKeyAccount;
    nonce: number;
    wallet: WalletClient<Transport, Chain, Account>;
};

export type BackendSigners = {
    account: (label: string) => PrivateKeyAccount;
    address: (label: string) => Address;
    productAccount: (productId: bigint) => PrivateKeyAccount;
    /**
     * Runs `submit` under the account's nonce lock with the nonce to use; `submit` must send
     * exactly one transaction with that nonce and return its hash (the lock is released as soon
     * as the hash is known, not when it is mined).
     */
    send: (label: string, submit: (ctx: SendContext) => Promise<Hash>) => Promise<Hash>;
};

type NonceState = { next: number | undefined; queue: Promise<unknown> };

export function createBackendSigners(options: {
    masterKey: string;
    /** Needed for send(); address derivation alone works without a chain. */
    clients?: Pick<ChainClients, "publicClient" | "walletClient">;
}): BackendSigners {
    masterKeyBytes(options.masterKey); // fail fast on a malformed key
    // Bounded: labels can come from a public route (adminWallet?key=...).
    const accounts = new LRUCache<string, PrivateKeyAccount>({ max: 1024 });
    const nonces = new Map<Address, NonceState>();

    const account = (label: string) => {
        let cached = accounts.get(label);
        if (!cached) {
            cached = privateKeyToAccount(derivePrivateKey(options.masterKey, label));
            accounts.set(label, cached);
        }
        return cached;
    };

    const send: BackendSigners["send"] = (label, submit) => {
        const clients = options.clients;
        if (!clients) return Promise.reject(new Error("signers created without a chain client"));
        const signer = account(label);
        let state = nonces.get(signer.address);
        if (!state) {
            state = { next: undefined, queue: Promise.resolve() };
            nonces.set(signer.address, state);
        }
        const current = state;
        const run = current.queue.then(async () => {
            if (current.next === undefined) {
                current.next = await clients.publicClient.getTransactionCount({
                    address: signer.address,
                    blockTag: "pending",
                });
            }
            const nonce = current.next;
            try {
                const hash = await submit({
                    account: signer,
                    nonce,
                    wallet: clients.walletClient(signer),
                });
                current.next = nonce + 1;
                return hash;
            } catch (error) {
                // The tx may or may not have reached the node: re-read the pending count.
                current.next = undefined;
                throw error;
            }
        });
        current.queue = run.catch(() => undefined);
        return run;
    };

    return {
        account,
        address: (label) => account(label).address,
        productAccount: (productId) => account(productSignerLabel(productId)),
        send,
    };
}
