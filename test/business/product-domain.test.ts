import { describe, expect, test } from "bun:test";
import { normaliseProductDomain } from "../../src/domain/business";
import {
    DnsTxtLookup,
    DnsUnavailableError,
} from "../../src/domain/business/repositories/dns-txt-lookup";
import { DomainOwnershipService } from "../../src/domain/business/services/domain-ownership";
import { sanitiseProductName } from "../../src/domain/business/services/product-metadata";
import { ConfigError, loadConfig } from "../../src/infrastructure/config";
import { ApiError } from "../../src/infrastructure/errors/api-error";
import { startTestDnsServer } from "../support/dns-server";

describe("normaliseProductDomain", () => {
    test("what merchants type becomes the bare lower-case host", () => {
        const cases: Array<[string, string]> = [
            ["shop.example", "shop.example"],
            ["www.shop.example", "shop.example"],
            ["https://www.shop.example/path", "shop.example"],
            ["http://Shop.Example:8080/a/b?c=d#e", "shop.example"],
            ["  WWW.SHOP.EXAMPLE.  ", "shop.example"],
            ["shop.example/checkout", "shop.example"],
            ["sub.www.shop.example", "sub.www.shop.example"],
            ["my-shop.co.uk", "my-shop.co.uk"],
            ["bücher.example", "xn--bcher-kva.example"],
        ];
        for (const [input, expected] of cases) expect(normaliseProductDomain(input)).toBe(expected);
    });

    test("garbage is refused", () => {
        const garbage = [
            "",
            "   ",
            "shop",
            "localhost",
            "www.example",
            "10.0.0.1",
            "https://[::1]/",
            "ftp://shop.example",
            "javascript:alert(1)",
            "https://user:pass@shop.example",
            "shop..example",
            "-shop.example",
            "shop_name.example",
            "two words.example",
            `${"a".repeat(64)}.example`,
        ];
        for (const input of garbage) expect(normaliseProductDomain(input)).toBeNull();
    });
});

describe("sanitiseProductName", () => {
    test("control characters stripped, cut to 32 UTF-8 bytes on a character boundary", () => {
        expect(sanitiseProductName("My\u0000 Shop\u0007\n")).toBe("My Shop");
        expect(sanitiseProductName("x".repeat(40))).toBe("x".repeat(32));
        // 31 ASCII bytes + a 2-byte character would be 33 bytes: the character is dropped whole.
        expect(sanitiseProductName(`${"x".repeat(31)}é`)).toBe("x".repeat(31));
        expect(sanitiseProductName("Café ☕")).toBe("Café ☕");
    });
});

describe("DnsTxtLookup", () => {
    test("records of a name; none for an unknown name", async () => {
        const dns = await startTestDnsServer();
        try {
            dns.records.set("shop.example", ["a", "b"]);
            const lookup = new DnsTxtLookup([dns.address], 500);
            expect(await lookup.txtRecords("shop.example")).toEqual(["a", "b"]);
            expect(await lookup.txtRecords("unknown.example")).toEqual([]);
        } finally {
            await dns.stop();
        }
    });

    test("a resolver that does not answer: 503, not 'no record'", async () => {
        const dns = await startTestDnsServer();
        await dns.stop();
        const lookup = new DnsTxtLookup([dns.address], 200);
        const lookupError = await lookup.txtRecords("shop.example").catch((e: unknown) => e);
        expect(lookupError).toBeInstanceOf(DnsUnavailableError);
        const ownership = new DomainOwnershipService(lookup, undefined);
        const owner = "0x0000000000000000000000000000000000000001";
        const error = await ownership.isOwnedBy("shop.example", owner).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status: 503, code: "dns_unavailable" });
    });
});

describe("DNS_RESOLVER", () => {
    test("ip, ip:port and [ipv6]:port lists; anything else names the variable", () => {
        const config = loadConfig({ DNS_RESOLVER: "127.0.0.1:5353, 1.1.1.1,[::1]:53,::1" });
        expect(config.business.dnsResolvers).toEqual([
            "127.0.0.1:5353",
            "1.1.1.1",
            "[::1]:53",
            "::1",
        ]);
        expect(loadConfig({}).business.dnsResolvers).toEqual([]);
        for (const bad of ["dns.google", "127.0.0.1:99999", "1.2.3.4:x"]) {
            expect(() => loadConfig({ DNS_RESOLVER: bad })).toThrow(ConfigError);
            expect(() => loadConfig({ DNS_RESOLVER: bad })).toThrow(/DNS_RESOLVER/);
        }
    });
});
