/**
 * The merchant dashboard's mint pages, replayed as its code calls them: an Eden Treaty client
 * (`treaty<App>(url, { fetch: { credentials: "include" }, headers })` with `x-business-auth`),
 * `const { data, error } = await api.product.mint.put(body); if (error) throw error;` and the
 * page renders `error.message`, which Eden builds as `value + ""`. The errors must read as the
 * seed's messages, not "[object Object]"; our own typed client still gets the JSON model.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { treaty } from "@elysiajs/eden";
import type { App } from "../../src/app";
import {
    type BusinessFixture,
    expectedTxtRecord,
    type Merchant,
    newMerchant,
    startBusinessApp,
} from "../business/helpers";
import { apiClient } from "../support/api-client";

let fixture: BusinessFixture;
let merchant: Merchant;
let token: string | undefined;

type EdenResult = {
    data: { productId: string } | null;
    error: { status: number; value: unknown } | null;
};
/** The body as the dashboard sends it (its types come from the seed's App, not ours). */
type MintPut = (body: Record<string, unknown>) => Promise<EdenResult>;

/** The dashboard's `authenticatedBackendApi` (apps/business/src/context/api/backendClient.ts). */
const dashboardMint = (): MintPut => dashboardClient().product.mint.put as unknown as MintPut;
const dashboardClient = () =>
    treaty<App>(fixture.server.url, {
        fetch: { credentials: "include" },
        headers(_path, options) {
            const headers = new Headers(options.headers);
            if (token && !headers.has("x-business-auth")) headers.append("x-business-auth", token);
            return headers;
        },
    }).business;

/** `useMintMyProduct`'s call, up to the thrown error the page shows. */
async function mintAsTheDashboard(body: {
    name: string;
    domain: string;
    setupCode: string;
    productTypes: ("press" | "purchase" | "referral")[];
    currency?: "usdc" | "eure" | "gbpe" | "usde";
}) {
    const { data, error } = await dashboardMint()({
        currency: "usdc",
        ...body,
    });
    if (error) throw error;
    return data as { productId: string };
}

const shownMessage = (error: unknown) => (error as Error).message;

beforeAll(async () => {
    fixture = await startBusinessApp();
    merchant = await newMerchant(fixture.server);
    token = merchant.headers["x-business-auth"];
});
afterAll(() => fixture.stop());

describe("the dashboard's mint page shows the seed's messages", () => {
    test("a domain without its proof: the seed's 400 text", async () => {
        const error = await mintAsTheDashboard({
            name: "Unproven",
            domain: "unproven.example",
            setupCode: "",
            productTypes: ["referral"],
        }).catch((e: unknown) => e);
        expect((error as { status: number }).status).toBe(400);
        expect(shownMessage(error)).toBe(
            "The domain is invalid (either DNS TXT or invalid setup code)",
        );
        expect(String((error as { value: unknown }).value)).not.toContain("[object");
    });

    test("a domain minted twice: 'already exists' as text", async () => {
        const domain = "twice.example";
        fixture.dns.records.set(domain, [expectedTxtRecord(domain, merchant.address)]);
        const first = await mintAsTheDashboard({
            name: "Twice",
            domain,
            setupCode: "",
            productTypes: ["referral"],
        });
        expect(first.productId).toMatch(/^0x[0-9a-f]{64}$/);
        const error = await mintAsTheDashboard({
            name: "Twice",
            domain,
            setupCode: "",
            productTypes: ["referral"],
        }).catch((e: unknown) => e);
        expect((error as { status: number }).status).toBe(400);
        expect(shownMessage(error)).toBe(
            "The product Twice already exists for the domain twice.example",
        );
    });

    test("no session: 401 with a readable message", async () => {
        const saved = token;
        token = undefined;
        try {
            const error = await mintAsTheDashboard({
                name: "Anon",
                domain: "anon.example",
                setupCode: "",
                productTypes: ["referral"],
            }).catch((e: unknown) => e);
            expect((error as { status: number }).status).toBe(401);
            expect(shownMessage(error)).toBe("Unauthorized");
        } finally {
            token = saved;
        }
    });

    test("a bad field: 422 naming it, readable", async () => {
        const { error } = await dashboardMint()({
            name: "Bad",
            domain: "bad.example",
            setupCode: "",
            productTypes: ["referral"],
            currency: "doge",
        });
        expect(error?.status).toBe(422);
        expect(String(error?.value)).toContain("/currency");
        expect(String(error?.value)).not.toContain("[object");
    });

    test("our typed client (Accept: application/json) gets the JSON error model", async () => {
        const api = apiClient(fixture.server, { business: token });
        const put = api.business.product.mint.put as unknown as MintPut;
        const { error } = await put({
            name: "Unproven",
            domain: "unproven.example",
            setupCode: "",
            productTypes: ["referral"],
            currency: "usdc",
        });
        expect(error?.status).toBe(400);
        expect(error?.value).toEqual({
            error: "invalid_domain_proof",
            message: "The domain is invalid (either DNS TXT or invalid setup code)",
        });
    });
});
