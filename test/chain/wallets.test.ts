import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
    type Address,
    bytesToHex,
    concatBytes,
    type Hex,
    hashTypedData,
    keccak256,
    stringToHex,
    toBytes,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
    credentialIdHash,
    ecdsaWalletAddress,
    encodeWebAuthnSignature,
    productInteractionManagerAbi,
    smartWalletAbi,
    walletFactoryAbi,
    webAuthnWalletAddress,
} from "../../src/infrastructure/blockchain";
import { fundedAccount, write } from "./helpers";
import { type ChainFixture, startChainFixture } from "./setup";

let f: ChainFixture;

beforeAll(async () => {
    f = await startChainFixture();
});
afterAll(async () => {
    await f?.anvil.stop();
});

/** A software passkey: a P-256 key that signs WebAuthn assertions like a browser would. */
function softwarePasskey() {
    const secretKey = p256.utils.randomSecretKey();
    const publicKey = p256.getPublicKey(secretKey, false); // 0x04 || x || y
    const x = bytesToHex(publicKey.slice(1, 33));
    const y = bytesToHex(publicKey.slice(33, 65));
    const credentialId = bytesToHex(crypto.getRandomValues(new Uint8Array(16))).slice(2);

    /** ERC-1271 signature of `hash`: abi.encode(WebAuthn.WebAuthnAuth). */
    const sign = (hash: Hex, flags = 0x05): Hex => {
        const challenge = Buffer.from(toBytes(hash)).toString("base64url");
        const clientDataJSON = JSON.stringify({
            type: "webauthn.get",
            challenge,
            origin: "https://wallet.example.com",
            crossOrigin: false,
        });
        const authenticatorData = concatBytes([
            sha256(new TextEncoder().encode("wallet.example.com")), // rpIdHash
            new Uint8Array([flags]), // UP (+UV)
            new Uint8Array([0, 0, 0, 1]), // sign count
        ]);
        const signed = concatBytes([
            authenticatorData,
            sha256(new TextEncoder().encode(clientDataJSON)),
        ]);
        const signature = p256.sign(signed, secretKey); // sha256 prehash, low-s, compact r||s
        // Byte offsets of UTF-8 JSON equal string indexes here (ASCII only).
        return encodeWebAuthnSignature({
            r: bytesToHex(signature.slice(0, 32)),
            s: bytesToHex(signature.slice(32, 64)),
            authenticatorData: bytesToHex(authenticatorData),
            clientDataJSON,
        });
    };
    return { x, y, credentialId, sign };
}

const MAGIC = "0x1626ba7e";

async function deployWebAuthnWallet(passkey: ReturnType<typeof softwarePasskey>) {
    const payer = await fundedAccount(f.clients);
    await write(f.clients, payer, {
        address: f.deployment.walletFactory,
        abi: walletFactoryAbi,
        functionName: "createWebAuthnWallet",
        args: [credentialIdHash(passkey.credentialId), passkey.x, passkey.y],
    });
}

describe("WalletFactory", () => {
    test("passkey wallet: off-chain, factory and deployed addresses agree", async () => {
        const passkey = softwarePasskey();
        const offChain = webAuthnWalletAddress({
            walletFactory: f.deployment.walletFactory,
            credentialId: passkey.credentialId,
            x: passkey.x,
            y: passkey.y,
        });
        const counterfactual = await f.clients.publicClient.readContract({
            address: f.deployment.walletFactory,
            abi: walletFactoryAbi,
            functionName: "getAddressWebAuthn",
            args: [credentialIdHash(passkey.credentialId), passkey.x, passkey.y],
        });
        expect(counterfactual).toBe(offChain);
        expect(await f.clients.publicClient.getCode({ address: offChain })).toBeUndefined();
        const payer = await fundedAccount(f.clients);
        const receipt = await write(f.clients, payer, {
            address: f.deployment.walletFactory,
            abi: walletFactoryAbi,
            functionName: "createWebAuthnWallet",
            args: [credentialIdHash(passkey.credentialId), passkey.x, passkey.y],
        });
        expect(
            receipt.logs.some(
                (l) => l.address.toLowerCase() === f.deployment.walletFactory.toLowerCase(),
            ),
        ).toBe(true);
        expect(await f.clients.publicClient.getCode({ address: offChain })).toMatch(
            /^0x[0-9a-f]+$/,
        );
        expect(
            await f.clients.publicClient.readContract({
                address: offChain,
                abi: smartWalletAbi,
                functionName: "passkeyX",
            }),
        ).toBe(passkey.x);
    });

    test("ECDSA wallet: off-chain, factory and deployed addresses agree", async () => {
        const owner = privateKeyToAccount(generatePrivateKey());
        const offChain = ecdsaWalletAddress({
            walletFactory: f.deployment.walletFactory,
            owner: owner.address,
        });
        const counterfactual = await f.clients.publicClient.readContract({
            address: f.deployment.walletFactory,
            abi: walletFactoryAbi,
            functionName: "getAddressEcdsa",
            args: [owner.address],
        });
        expect(counterfactual).toBe(offChain);
        const payer = await fundedAccount(f.clients);
        await write(f.clients, payer, {
            address: f.deployment.walletFactory,
            abi: walletFactoryAbi,
            functionName: "createEcdsaWallet",
            args: [owner.address],
        });
        expect(
            await f.clients.publicClient.readContract({
                address: offChain,
                abi: smartWalletAbi,
                functionName: "ecdsaOwner",
            }),
        ).toBe(owner.address);

        // ERC-1271 of an ECDSA wallet: raw-hash and personal_sign signatures of the owner.
        const hash = keccak256(stringToHex("hello"));
        const raw = await owner.sign({ hash });
        const personal = await owner.signMessage({ message: { raw: hash } });
        const other = await privateKeyToAccount(generatePrivateKey()).sign({ hash });
        const check = (signature: Hex) =>
            f.clients.publicClient.readContract({
                address: offChain,
                abi: smartWalletAbi,
                functionName: "isValidSignature",
                args: [hash, signature],
            });
        expect(await check(raw)).toBe(MAGIC);
        expect(await check(personal)).toBe(MAGIC);
        expect(await check(other)).toBe("0xffffffff");
    });
});

describe("ERC-1271 with a software passkey", () => {
    test("a WebAuthn P-256 signature is valid; wrong hash, key or flags are not", async () => {
        const passkey = softwarePasskey();
        await deployWebAuthnWallet(passkey);
        const wallet: Address = webAuthnWalletAddress({
            walletFactory: f.deployment.walletFactory,
            credentialId: passkey.credentialId,
            x: passkey.x,
            y: passkey.y,
        });
        const hash = keccak256(stringToHex("sign in to the dashboard"));
        const check = (h: Hex, signature: Hex) =>
            f.clients.publicClient.readContract({
                address: wallet,
                abi: smartWalletAbi,
                functionName: "isValidSignature",
                args: [h, signature],
            });
        expect(await check(hash, passkey.sign(hash))).toBe(MAGIC);
        expect(await check(keccak256(stringToHex("other")), passkey.sign(hash))).toBe("0xffffffff");
        expect(await check(hash, softwarePasskey().sign(hash))).toBe("0xffffffff");
        expect(await check(hash, passkey.sign(hash, 0x04))).toBe("0xffffffff"); // no UP flag
        expect(await check(hash, "0x1234")).toBe("0xffffffff"); // malformed, no revert

        // viem's generic ERC-1271 verification agrees.
        expect(
            await f.clients.publicClient.verifyHash({
                address: wallet,
                hash,
                signature: passkey.sign(hash),
            }),
        ).toBe(true);
    });

    test("a passkey wallet opens an interaction session through a relayer", async () => {
        const passkey = softwarePasskey();
        await deployWebAuthnWallet(passkey);
        const wallet = webAuthnWalletAddress({
            walletFactory: f.deployment.walletFactory,
            credentialId: passkey.credentialId,
            x: passkey.x,
            y: passkey.y,
        });
        const block = await f.clients.publicClient.getBlock();
        const validUntil = Number(block.timestamp) + 3600;
        const nonce = await f.clients.publicClient.readContract({
            address: f.deployment.productInteractionManager,
            abi: productInteractionManagerAbi,
            functionName: "nonces",
            args: [wallet],
        });
        const digest = hashTypedData({
            domain: {
                name: "ProductInteractionManager",
                version: "1",
                chainId: f.anvil.chainId,
                verifyingContract: f.deployment.productInteractionManager,
            },
            types: {
                OpenSession: [
                    { name: "wallet", type: "address" },
                    { name: "validUntil", type: "uint48" },
                    { name: "nonce", type: "uint256" },
                ],
            },
            primaryType: "OpenSession",
            message: { wallet, validUntil, nonce },
        });
        const relayer = await fundedAccount(f.clients);
        await write(f.clients, relayer, {
            address: f.deployment.productInteractionManager,
            abi: productInteractionManagerAbi,
            functionName: "openSessionWithSignature",
            args: [wallet, validUntil, passkey.sign(digest)],
        });
        expect(
            await f.clients.publicClient.readContract({
                address: f.deployment.productInteractionManager,
                abi: productInteractionManagerAbi,
                functionName: "isSessionValid",
                args: [wallet],
            }),
        ).toBe(true);
        // The same signature cannot be replayed (nonce consumed).
        await expect(
            write(f.clients, relayer, {
                address: f.deployment.productInteractionManager,
                abi: productInteractionManagerAbi,
                functionName: "openSessionWithSignature",
                args: [wallet, validUntil, passkey.sign(digest)],
            }),
        ).rejects.toThrow(/InvalidSignature/);
    });
});
