/** Shared set-up of the business tests: an app with a local DNS server, merchants' keys. */
import {
    type Address,
    concatHex,
    type Hex,
    keccak256,
    type PrivateKeyAccount,
    parseEther,
    stringToHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server";
import { jsonHeaders, startTestApp, type TestApp } from "../support/test-app";

export const SETUP_CODE_SALT = "test-setup-code-salt";

export type BusinessFixture = { server: TestApp; dns: TestDnsServer; stop(): Promise<void> };

export async function startBusinessApp(env: Record<string, string> = {}): Promise<BusinessFixture> {
    const dns = await startTestDnsServer();
    const server = await startTestApp({
        env: {
            DNS_RESOLVER: dns.address,
            DNS_TIMEOUT_MS: "500",
            PRODUCT_SETUP_CODE_SALT: SETUP_CODE_SALT,
            ...env,
        },
    });
    return {
        server,
        dns,
        async stop() {
            await server.stop();
            await dns.stop();
        },
    };
}

/** A merchant: a key the test controls (with gas) and a business session for it. */
export type Merchant = {
    account: PrivateKeyAccount;
    address: Address;
    headers: Record<string, string>;
};

export async function newMerchant(server: TestApp): Promise<Merchant> {
    const account = privateKeyToAccount(generatePrivateKey());
    await server.infra.chain.clients.publicClient.request({
        method: "anvil_setBalance",
        params: [account.address, `0x${parseEther("10").toString(16)}`],
    } as never);
    const { token } = await server.infra.tokens.signBusiness(account.address);
    return {
        account,
        address: account.address,
        headers: { ...jsonHeaders, "x-business-auth": token },
    };
}

/** The seed's formulas, computed independently of the code under test. */
export const expectedTxtRecord = (domain: string, owner: Address) =>
    `frak-business; hash=${keccak256(concatHex([stringToHex(domain), owner]))}`;

export const setupCodeOf = (domain: string, owner: Address): Hex =>
    keccak256(concatHex([stringToHex(domain), owner, stringToHex(SETUP_CODE_SALT)]));

/**
 * The product id a mint must give, computed here (keccak256 of the domain) rather than by
 * src/utils/product-id, so the mint tests check our rule against the contract's, not against itself.
 */
export const expectedProductIdOf = (domain: string): Hex => keccak256(stringToHex(domain));

export type MintBody = {
    name: string;
    domain: string;
    setupCode?: string;
    currency: string;
    productTypes: string[];
};

export function mintRequest(merchant: Merchant | null, body: MintBody): RequestInit {
    return {
        method: "PUT",
        headers: merchant ? merchant.headers : jsonHeaders,
        body: JSON.stringify(body),
    };
}
