import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Address, pad, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { productAdministratorRegistryAbi } from "../../src/infrastructure/blockchain";
import { readJson } from "../support/test-app";
import {
    type BusinessFixture,
    type Merchant,
    mintRequest,
    newMerchant,
    setupCodeOf,
    startBusinessApp,
} from "./helpers";

let fixture: BusinessFixture;
let owner: Merchant;
let productId: `0x${string}`;
beforeAll(async () => {
    fixture = await startBusinessApp();
    owner = await newMerchant(fixture.server);
    const domain = "roles.example";
    const response = await fixture.server.request(
        "/business/product/mint",
        mintRequest(owner, {
            name: "Roles",
            domain,
            setupCode: setupCodeOf(domain, owner.address),
            currency: "usde",
            productTypes: ["webshop"],
        }),
    );
    expect(response.status).toBe(200);
    productId = (await readJson(response)).productId;
});
afterAll(() => fixture.stop());

/** A fresh wallet given `roles` on the product by its owner, on-chain. */
async function walletWithRoles(roles: bigint): Promise<Address> {
    const wallet = privateKeyToAccount(generatePrivateKey()).address;
    if (roles === 0n) return wallet;
    const { clients, deployment } = fixture.server.infra.chain;
    const hash = await clients.walletClient(owner.account).writeContract({
        address: deployment.productAdministratorRegistry,
        abi: productAdministratorRegistryAbi,
        functionName: "grantRoles",
        args: [BigInt(productId), wallet, roles],
    });
    await clients.waitForReceipt(hash);
    return wallet;
}

/** `who`: the caller's session headers, null for none. */
const roles = async (query: string, who: Record<string, string> | null = owner.headers) => {
    const response = await fixture.server.request(`/business/roles${query}`, {
        headers: who ?? undefined,
    });
    return { status: response.status, body: await readJson(response) };
};

describe("GET /business/roles", () => {
    test("the owner (the session wallet by default) holds every role", async () => {
        expect(await roles(`?productId=${productId}`)).toEqual({
            status: 200,
            body: {
                roles: "0x0",
                isOwner: true,
                isAdministrator: true,
                isInteractionManager: true,
                isCampaignManager: true,
            },
        });
    });

    test("single and combined roles granted on-chain", async () => {
        const cases: Array<[bigint, string, [boolean, boolean, boolean]]> = [
            [0n, "0x0", [false, false, false]],
            [1n, "0x1", [true, true, true]],
            [2n, "0x2", [false, true, false]],
            [4n, "0x4", [false, false, true]],
            [6n, "0x6", [false, true, true]],
            [7n, "0x7", [true, true, true]],
            [8n, "0x8", [false, false, false]],
        ];
        for (const [granted, hex, [admin, interactions, campaigns]] of cases) {
            const wallet = await walletWithRoles(granted);
            const { status, body } = await roles(`?productId=${productId}&wallet=${wallet}`);
            expect(status).toBe(200);
            expect(body).toEqual({
                roles: hex,
                isOwner: false,
                isAdministrator: admin,
                isInteractionManager: interactions,
                isCampaignManager: campaigns,
            });
        }
    });

    test("the product id in any hex form; an unknown product gives no roles", async () => {
        const minimal = toHex(BigInt(productId));
        expect((await roles(`?productId=${minimal}`)).body.isOwner).toBe(true);
        const unknown = pad("0x1234", { size: 32 });
        expect((await roles(`?productId=${unknown}`)).body).toMatchObject({
            roles: "0x0",
            isOwner: false,
        });
    });

    test("seed's order: no product id 400 (even without a session), then 401", async () => {
        const invalid = { error: "invalid_product_id", message: "Invalid product id" };
        expect(await roles("", null)).toEqual({ status: 400, body: invalid });
        expect(await roles("")).toEqual({ status: 400, body: invalid });
        expect(await roles("?productId=0x")).toEqual({ status: 400, body: invalid });
        expect(await roles(`?productId=0x${"f".repeat(65)}`)).toEqual({
            status: 400,
            body: invalid,
        });
        const noSession = await roles(`?productId=${productId}`, null);
        expect(noSession.status).toBe(401);
        expect(noSession.body.error).toBe("unauthorized");
    });

    test("bad query: 422 naming the field", async () => {
        expect((await roles("?productId=shop")).body.property).toBe("/productId");
        const badWallet = await roles(`?productId=${productId}&wallet=0x1234`);
        expect(badWallet.status).toBe(422);
        expect(badWallet.body.property).toBe("/wallet");
    });
});
