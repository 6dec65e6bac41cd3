import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Address, hexToString, zeroAddress } from "viem";
import {
    campaignBankFactoryAbi,
    PRODUCT_ROLES,
    productAdministratorRegistryAbi,
    productInteractionManagerAbi,
    productRegistryAbi,
    SIGNER_LABELS,
} from "../../src/infrastructure/blockchain";
import { readJson } from "../support/test-app";
import {
    type BusinessFixture,
    expectedProductIdOf,
    expectedTxtRecord,
    type Merchant,
    mintRequest,
    newMerchant,
    setupCodeOf,
    startBusinessApp,
} from "./helpers";

let fixture: BusinessFixture;
let merchant: Merchant;
beforeAll(async () => {
    fixture = await startBusinessApp();
    merchant = await newMerchant(fixture.server);
});
afterAll(() => fixture.stop());

const get = (path: string, headers?: Record<string, string>) =>
    fixture.server.request(path, { headers });

const verify = async (domain: string, setupCode?: string, who: Merchant | null = merchant) => {
    const query = new URLSearchParams({ domain, ...(setupCode ? { setupCode } : {}) });
    const response = await get(`/business/product/mint/verify?${query}`, who?.headers);
    expect(response.status).toBe(200);
    return readJson(response);
};

const read = <T>(
    call: Parameters<typeof fixture.server.infra.chain.clients.publicClient.readContract>[0],
) => fixture.server.infra.chain.clients.publicClient.readContract(call) as Promise<T>;

describe("GET /business/product/mint/dnsTxt", () => {
    test("the record for the normalised domain and the session wallet", async () => {
        for (const domain of [
            "shop.example",
            "www.shop.example",
            "https://WWW.Shop.Example:8443/a?b=c",
        ]) {
            const response = await get(
                `/business/product/mint/dnsTxt?domain=${encodeURIComponent(domain)}`,
                merchant.headers,
            );
            expect(response.status).toBe(200);
            expect(await response.text()).toBe(expectedTxtRecord("shop.example", merchant.address));
        }
    });

    test("without a session: 200 with an empty body (seed)", async () => {
        const response = await get("/business/product/mint/dnsTxt?domain=shop.example");
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("");
    });

    test("missing or garbage domain: 422 naming the field", async () => {
        const missing = await get("/business/product/mint/dnsTxt", merchant.headers);
        expect(missing.status).toBe(422);
        expect((await readJson(missing)).property).toBe("/domain");
        for (const garbage of [
            "not a domain",
            "localhost",
            "127.0.0.1",
            "ftp://shop.example",
            "https://",
            "-bad-.example",
        ]) {
            const response = await get(
                `/business/product/mint/dnsTxt?domain=${encodeURIComponent(garbage)}`,
                merchant.headers,
            );
            expect(response.status).toBe(422);
            expect(await readJson(response)).toMatchObject({
                error: "validation",
                property: "/domain",
            });
        }
    });
});

describe("GET /business/product/mint/verify", () => {
    test("DNS TXT: missing record fails, a wrong one fails, the right one passes", async () => {
        const domain = "dns-proof.example";
        expect(await verify(domain)).toEqual({ isDomainValid: false, isAlreadyMinted: false });

        fixture.dns.records.set(domain, ["v=spf1 -all", expectedTxtRecord(domain, zeroAddress)]);
        expect((await verify(domain)).isDomainValid).toBe(false);

        fixture.dns.records.set(domain, [
            "v=spf1 -all",
            expectedTxtRecord(domain, merchant.address),
        ]);
        expect(await verify(domain)).toEqual({ isDomainValid: true, isAlreadyMinted: false });
        // Looked up on the normalised name, whatever the merchant typed.
        fixture.dns.queries.length = 0;
        expect((await verify(`https://www.${domain}/some/page`)).isDomainValid).toBe(true);
        expect(fixture.dns.queries).toEqual([domain]);
    });

    test("a record proves the domain for its owner only", async () => {
        const domain = "owner-only.example";
        fixture.dns.records.set(domain, [expectedTxtRecord(domain, merchant.address)]);
        const other = await newMerchant(fixture.server);
        expect((await verify(domain, undefined, other)).isDomainValid).toBe(false);
    });

    test("setup code: the right one passes without DNS, a wrong or foreign one does not", async () => {
        const domain = "setup-code.example";
        expect((await verify(domain, setupCodeOf(domain, merchant.address))).isDomainValid).toBe(
            true,
        );
        // Upper-case hex is the same code.
        const upper = `0x${setupCodeOf(domain, merchant.address).slice(2).toUpperCase()}`;
        expect((await verify(`www.${domain}`, upper)).isDomainValid).toBe(true);
        expect(
            (await verify(domain, setupCodeOf("other.example", merchant.address))).isDomainValid,
        ).toBe(false);
        expect((await verify(domain, setupCodeOf(domain, zeroAddress))).isDomainValid).toBe(false);
        expect((await verify(domain, "not-hex")).isDomainValid).toBe(false);
    });

    test("without a session: both false, no lookup", async () => {
        fixture.dns.queries.length = 0;
        expect(await verify("shop.example", undefined, null)).toEqual({
            isDomainValid: false,
            isAlreadyMinted: false,
        });
        expect(fixture.dns.queries).toEqual([]);
    });
});

describe("PUT /business/product/mint", () => {
    const body = {
        name: "My\u0007 Shop",
        domain: "https://www.shop.example/path",
        currency: "eure",
        productTypes: ["webshop", "referral", "purchase"],
    };

    test("without a session: 401", async () => {
        const response = await fixture.server.request(
            "/business/product/mint",
            mintRequest(null, body),
        );
        expect(response.status).toBe(401);
        expect((await readJson(response)).error).toBe("unauthorized");
    });

    test("without a DNS record or setup code: 400 with the seed's message", async () => {
        const response = await fixture.server.request(
            "/business/product/mint",
            mintRequest(merchant, { ...body, domain: "unproven.example" }),
        );
        expect(response.status).toBe(400);
        expect(await readJson(response)).toEqual({
            error: "invalid_domain_proof",
            message: "The domain is invalid (either DNS TXT or invalid setup code)",
        });
    });

    test("bad input: 422", async () => {
        const cases = [
            { ...body, currency: "btc" },
            { ...body, productTypes: [] },
            { ...body, productTypes: ["casino"] },
            { ...body, domain: "no spaces.example" },
            { name: body.name, domain: body.domain, currency: body.currency },
        ];
        for (const invalid of cases) {
            const response = await fixture.server.request(
                "/business/product/mint",
                mintRequest(merchant, invalid as never),
            );
            expect(response.status).toBe(422);
        }
    });

    test("www + URL domain proven by DNS: minted end to end on-chain, roles refreshed", async () => {
        const productId = expectedProductIdOf("shop.example");
        fixture.dns.records.set("shop.example", [
            expectedTxtRecord("shop.example", merchant.address),
        ]);
        // Read (and cache) the roles before the mint: the mint must invalidate them.
        const before = await get(`/business/roles?productId=${productId}`, merchant.headers);
        expect((await readJson(before)).isOwner).toBe(false);

        const response = await fixture.server.request(
            "/business/product/mint",
            mintRequest(merchant, body),
        );
        expect(response.status).toBe(200);
        const minted = await readJson(response);
        expect(minted.productId).toBe(productId);
        expect(minted.txHash).toMatch(/^0x[0-9a-f]{64}$/);

        const { deployment, signers, clients } = fixture.server.infra.chain;
        const receipt = await clients.publicClient.getTransactionReceipt({ hash: minted.txHash });
        expect(receipt.status).toBe("success");
        expect(receipt.from.toLowerCase()).toBe(
            signers.address(SIGNER_LABELS.minter).toLowerCase(),
        );

        const id = BigInt(productId);
        const owner = await read<Address>({
            address: deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "ownerOf",
            args: [id],
        });
        expect(owner).toBe(merchant.address);
        const [productTypes, name, domain] = await read<[bigint, `0x${string}`, string]>({
            address: deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "getMetadata",
            args: [id],
        });
        expect(productTypes).toBe((1n << 3n) | (1n << 30n) | (1n << 31n));
        expect(hexToString(name, { size: 32 })).toBe("My Shop");
        expect(domain).toBe("shop.example");

        const interactionContract = await read<Address>({
            address: deployment.productInteractionManager,
            abi: productInteractionManagerAbi,
            functionName: "getInteractionContract",
            args: [id],
        });
        expect(minted.interactionContract).toBe(interactionContract);
        expect(await clients.publicClient.getCode({ address: interactionContract })).not.toBe("0x");

        const bank = await read<Address>({
            address: deployment.campaignBankFactory,
            abi: campaignBankFactoryAbi,
            functionName: "getCampaignBank",
            args: [id, deployment.tokens.eure],
        });
        expect(minted.bankContract).toBe(bank);
        expect((await clients.publicClient.getCode({ address: bank }))?.length).toBeGreaterThan(2);

        // The backend's signers got their roles on the product.
        const rolesOf = (wallet: Address) =>
            read<bigint>({
                address: deployment.productAdministratorRegistry,
                abi: productAdministratorRegistryAbi,
                functionName: "rolesOf",
                args: [id, wallet],
            });
        expect(await rolesOf(signers.address(SIGNER_LABELS.oracleUpdater))).toBe(
            PRODUCT_ROLES.purchaseOracleUpdater,
        );
        expect(await rolesOf(signers.productAccount(id).address)).toBe(
            PRODUCT_ROLES.interactionManager,
        );

        const after = await readJson(
            await get(`/business/roles?productId=${productId}`, merchant.headers),
        );
        expect(after).toMatchObject({ isOwner: true, isAdministrator: true });
        expect(await verify("shop.example")).toEqual({
            isDomainValid: true,
            isAlreadyMinted: true,
        });
    });

    test("the same domain again, however spelled: 400 with the seed's message", async () => {
        for (const domain of ["shop.example", "HTTP://SHOP.EXAMPLE"]) {
            const response = await fixture.server.request(
                "/business/product/mint",
                mintRequest(merchant, { ...body, name: "Again", domain }),
            );
            expect(response.status).toBe(400);
            expect(await readJson(response)).toEqual({
                error: "product_already_exists",
                message: "The product Again already exists for the domain shop.example",
            });
        }
    });

    test("setup code path: minted without any DNS record; concurrent duplicates mint once", async () => {
        const domain = "code-shop.example";
        const request = {
            name: "A name that is much longer than thirty-two bytes",
            domain,
            setupCode: setupCodeOf(domain, merchant.address),
            currency: "usdc",
            productTypes: ["dapp"],
        };
        const responses = await Promise.all(
            [0, 1].map(() =>
                fixture.server.request("/business/product/mint", mintRequest(merchant, request)),
            ),
        );
        const statuses = responses.map((response) => response.status).sort();
        expect(statuses).toEqual([200, 400]);
        const minted = await readJson(
            responses.find((response) => response.status === 200) as Response,
        );
        expect(minted.productId).toBe(expectedProductIdOf(domain));
        const { deployment } = fixture.server.infra.chain;
        const [productTypes, name] = await read<[bigint, `0x${string}`, string]>({
            address: deployment.productRegistry,
            abi: productRegistryAbi,
            functionName: "getMetadata",
            args: [BigInt(minted.productId)],
        });
        expect(productTypes).toBe(1n << 1n);
        expect(hexToString(name, { size: 32 })).toBe("A name that is much longer than ");
        // usdc is our mUSD test token.
        const bank = await read<Address>({
            address: deployment.campaignBankFactory,
            abi: campaignBankFactoryAbi,
            functionName: "getCampaignBank",
            args: [BigInt(minted.productId), deployment.tokens.mUSD],
        });
        expect(minted.bankContract).toBe(bank);
    });
});
