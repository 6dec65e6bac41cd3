import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hexToString, type PrivateKeyAccount, parseEventLogs, zeroAddress } from "viem";
import {
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
    productRegistryAbi,
    SIGNER_LABELS,
} from "../../src/infrastructure/blockchain";
import { productIdOfDomain, productNameBytes32 } from "../../src/utils/product-id";
import { mintProduct } from "../support/mint-product";
import { fundedAccount, write } from "./helpers";
import { type ChainFixture, startChainFixture } from "./setup";

let f: ChainFixture;
let merchant: PrivateKeyAccount;
let stranger: PrivateKeyAccount;

beforeAll(async () => {
    f = await startChainFixture();
    merchant = await fundedAccount(f.clients);
    stranger = await fundedAccount(f.clients);
});
afterAll(async () => {
    await f?.anvil.stop();
});

describe("ProductRegistry", () => {
    test("mint gives id = keccak256(domain), metadata and owner", async () => {
        const domain = "shop.example.com";
        const receipt = await write(f.clients, f.signers.account(SIGNER_LABELS.minter), {
            address: f.deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "mint",
            args: [3n, productNameBytes32("My shop"), domain, merchant.address],
        });
        const id = productIdOfDomain(domain);
        const [minted] = parseEventLogs({
            abi: productRegistryAbi,
            logs: receipt.logs,
            eventName: "ProductMinted",
        });
        expect(minted?.args.productId).toBe(id);
        expect(minted?.args.domain).toBe(domain);

        const [productTypes, name, storedDomain] = await f.clients.publicClient.readContract({
            address: f.deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "getMetadata",
            args: [id],
        });
        expect(productTypes).toBe(3n);
        expect(hexToString(name, { size: 32 })).toBe("My shop");
        expect(storedDomain).toBe(domain);
        const owner = await f.clients.publicClient.readContract({
            address: f.deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "ownerOf",
            args: [id],
        });
        expect(owner).toBe(merchant.address);
    });

    test("a duplicate domain is refused", async () => {
        await expect(
            write(f.clients, f.signers.account(SIGNER_LABELS.minter), {
                address: f.deployment.productRegistry,
                abi: productRegistryAbi,
                functionName: "mint",
                args: [1n, productNameBytes32("Again"), "shop.example.com", stranger.address],
            }),
        ).rejects.toThrow(/ProductAlreadyExists/);
    });

    test("only a minter can mint", async () => {
        await expect(
            write(f.clients, stranger, {
                address: f.deployment.productRegistry,
                abi: productRegistryAbi,
                functionName: "mint",
                args: [1n, productNameBytes32("Nope"), "nope.example.com", stranger.address],
            }),
        ).rejects.toThrow(/NotMinter/);
    });

    test("an unknown product has empty metadata and no owner", async () => {
        const [productTypes] = await f.clients.publicClient.readContract({
            address: f.deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "getMetadata",
            args: [productIdOfDomain("unknown.example.com")],
        });
        expect(productTypes).toBe(0n);
        const owner = await f.clients.publicClient.readContract({
            address: f.deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "productOwner",
            args: [productIdOfDomain("unknown.example.com")],
        });
        expect(owner).toBe(zeroAddress);
    });
});

describe("ProductAdministratorRegistry", () => {
    const hasAll = (productId: bigint, wallet: `0x${string}`, roles: bigint) =>
        f.clients.publicClient.readContract({
            address: f.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "hasAllRolesOrAdmin",
            args: [productId, wallet, roles],
        });

    test("owner passes every check; granted roles are checked bit by bit", async () => {
        const id = productIdOfDomain("shop.example.com");
        for (const roles of [1n, 2n, 4n, 8n, 15n]) {
            expect(await hasAll(id, merchant.address, roles)).toBe(true);
            expect(await hasAll(id, stranger.address, roles)).toBe(false);
        }
        const receipt = await write(f.clients, merchant, {
            address: f.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "grantRoles",
            args: [
                id,
                stranger.address,
                PRODUCT_ROLES.campaignManager | PRODUCT_ROLES.interactionManager,
            ],
        });
        const [updated] = parseEventLogs({
            abi: productAdministratorRegistryAbi,
            logs: receipt.logs,
            eventName: "ProductRolesUpdated",
        });
        expect(updated?.args).toEqual({ productId: id, wallet: stranger.address, roles: 6n });
        expect(await hasAll(id, stranger.address, 4n)).toBe(true);
        expect(await hasAll(id, stranger.address, 6n)).toBe(true);
        expect(await hasAll(id, stranger.address, 8n)).toBe(false);
        expect(await hasAll(id, stranger.address, 12n)).toBe(false);

        // A non-admin cannot grant, even to itself.
        await expect(
            write(f.clients, stranger, {
                address: f.deployment.productAdministratorRegistry,
                abi: productAdministratorRegistryAbi,
                functionName: "grantRoles",
                args: [id, stranger.address, PRODUCT_ROLES.admin],
            }),
        ).rejects.toThrow(/Unauthorized/);

        await write(f.clients, merchant, {
            address: f.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "revokeRoles",
            args: [id, stranger.address, PRODUCT_ROLES.campaignManager],
        });
        const roles = await f.clients.publicClient.readContract({
            address: f.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "rolesOf",
            args: [id, stranger.address],
        });
        expect(roles).toBe(PRODUCT_ROLES.interactionManager);
    });

    test("the admin bit passes every check and can grant", async () => {
        const id = productIdOfDomain("shop.example.com");
        const admin = await fundedAccount(f.clients);
        await write(f.clients, merchant, {
            address: f.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "grantRoles",
            args: [id, admin.address, PRODUCT_ROLES.admin],
        });
        expect(await hasAll(id, admin.address, 15n)).toBe(true);
        await write(f.clients, admin, {
            address: f.deployment.productAdministratorRegistry,
            abi: productAdministratorRegistryAbi,
            functionName: "grantRoles",
            args: [id, stranger.address, PRODUCT_ROLES.purchaseOracleUpdater],
        });
        expect(await hasAll(id, stranger.address, 8n)).toBe(true);
    });

    test("mintProduct bootstraps the backend signers' roles, once", async () => {
        const minted = await mintProduct({
            clients: f.clients,
            signers: f.signers,
            deployment: f.deployment,
            productTypes: 1n << 31n,
            name: "Boot",
            domain: "boot.example.com",
            owner: merchant.address,
            bankTokens: [f.deployment.tokens.usde],
        });
        const oracleUpdater = f.signers.address(SIGNER_LABELS.oracleUpdater);
        const productSigner = f.signers.productAccount(minted.productId).address;
        expect(
            await hasAll(minted.productId, oracleUpdater, PRODUCT_ROLES.purchaseOracleUpdater),
        ).toBe(true);
        expect(
            await hasAll(minted.productId, productSigner, PRODUCT_ROLES.interactionManager),
        ).toBe(true);
        expect(await hasAll(minted.productId, oracleUpdater, PRODUCT_ROLES.admin)).toBe(false);
        expect(minted.banks[f.deployment.tokens.usde]).toMatch(/^0x[0-9a-fA-F]{40}$/);
        await expect(
            write(f.clients, f.signers.account(SIGNER_LABELS.minter), {
                address: f.deployment.productAdministratorRegistry,
                abi: productAdministratorRegistryAbi,
                functionName: "bootstrapRoles",
                args: [
                    minted.productId,
                    [f.signers.address(SIGNER_LABELS.minter)],
                    [PRODUCT_ROLES.admin],
                ],
            }),
        ).rejects.toThrow(/AlreadyBootstrapped/);
    });
});
