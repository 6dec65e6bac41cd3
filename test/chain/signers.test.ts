import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { parseEther } from "viem";
import {
    createBackendSigners,
    derivePrivateKey,
    productSignerLabel,
    SIGNER_LABELS,
} from "../../src/infrastructure/blockchain";
import { type ChainFixture, setBalance, startChainFixture, TEST_MASTER_KEY } from "./setup";

let f: ChainFixture;

beforeAll(async () => {
    f = await startChainFixture();
});
afterAll(async () => {
    await f?.anvil.stop();
});

describe("derived signers", () => {
    test("key = HMAC-SHA256(master key bytes, utf8 label)", () => {
        const expected = createHmac("sha256", Buffer.from(TEST_MASTER_KEY.slice(2), "hex"))
            .update("oracle-updater", "utf8")
            .digest("hex");
        expect(derivePrivateKey(TEST_MASTER_KEY, "oracle-updater")).toBe(`0x${expected}`);
        // With or without 0x: same key.
        expect(derivePrivateKey(TEST_MASTER_KEY.slice(2), "minter")).toBe(
            derivePrivateKey(TEST_MASTER_KEY, "minter"),
        );
        expect(productSignerLabel(0x0001a2bn)).toBe("0x1a2b");
        expect(() => createBackendSigners({ masterKey: "not hex" })).toThrow();
    });

    test("20 concurrent sends from one account: distinct nonces, all mined", async () => {
        const label = "concurrency-test";
        const from = f.signers.address(label);
        await setBalance(f.clients, from, parseEther("10"));
        const start = await f.clients.publicClient.getTransactionCount({ address: from });
        const nonces: number[] = [];
        const hashes = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
                f.signers.send(label, ({ wallet, nonce }) => {
                    nonces.push(nonce);
                    return wallet.sendTransaction({ to: from, value: BigInt(i), nonce });
                }),
            ),
        );
        const receipts = await Promise.all(hashes.map((hash) => f.clients.waitForReceipt(hash)));
        expect(new Set(hashes).size).toBe(20);
        expect(receipts.every((r) => r.status === "success")).toBe(true);
        expect([...nonces].sort((a, b) => a - b)).toEqual(
            Array.from({ length: 20 }, (_, i) => start + i),
        );
        expect(await f.clients.publicClient.getTransactionCount({ address: from })).toBe(
            start + 20,
        );
    });

    test("a failed send leaves no gap: the nonce is re-read and reused", async () => {
        const label = SIGNER_LABELS.moneriumDev;
        const from = f.signers.address(label);
        const start = await f.clients.publicClient.getTransactionCount({ address: from });
        const results = await Promise.allSettled([
            f.signers.send(label, ({ wallet, nonce }) =>
                wallet.sendTransaction({ to: from, value: 1n, nonce }),
            ),
            f.signers.send(label, async () => {
                throw new Error("simulated RPC failure");
            }),
            f.signers.send(label, ({ wallet, nonce }) =>
                wallet.sendTransaction({ to: from, value: 2n, nonce }),
            ),
            // Spends more than the balance: rejected by the node, must not burn a nonce.
            f.signers.send(label, ({ wallet, nonce }) =>
                wallet.sendTransaction({ to: from, value: parseEther("1000000000"), nonce }),
            ),
            f.signers.send(label, ({ wallet, nonce }) =>
                wallet.sendTransaction({ to: from, value: 3n, nonce }),
            ),
        ]);
        expect(results.map((r) => r.status)).toEqual([
            "fulfilled",
            "rejected",
            "fulfilled",
            "rejected",
            "fulfilled",
        ]);
        for (const r of results) {
            if (r.status === "fulfilled") await f.clients.waitForReceipt(r.value);
        }
        expect(await f.clients.publicClient.getTransactionCount({ address: from })).toBe(start + 3);
    });
});
