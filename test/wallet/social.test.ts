import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readJson, startTestApp, type TestApp } from "../support/test-app";

let app: TestApp;
const target = "https://shop.example.com/products/42?ref=abc";
const social = (u: string | undefined, userAgent?: string) =>
    app.request(u === undefined ? "/common/social" : `/common/social?u=${encodeURIComponent(u)}`, {
        redirect: "manual",
        headers: userAgent === undefined ? {} : { "user-agent": userAgent },
    });

const IOS_INSTAGRAM =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Instagram 300.0";
const ANDROID_FACEBOOK =
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile [FB_IAB/FB4A;FBAV/440.0]";

beforeAll(async () => {
    // shop.example.com stands for an allowed host; minted domains are tested with a real mint in
    // test/seed-clients/sdk-purchase-tracking.test.ts.
    app = await startTestApp({ env: { SOCIAL_REDIRECT_HOSTS: "shop.example.com" } });
});
afterAll(async () => {
    await app?.stop();
});

describe("GET /common/social", () => {
    test("no user agent: 302 to the target", async () => {
        // fetch always sends a user agent unless it is overridden with an empty one.
        const response = await social(target, "");
        expect(response.status).toBe(302);
        expect(response.headers.get("location")).toBe(target);
    });

    test("a browser outside Meta's apps: 302 to the target", async () => {
        const response = await social(target, "Mozilla/5.0 (Macintosh) Safari/605.1.15");
        expect(response.status).toBe(302);
        expect(response.headers.get("location")).toBe(target);
    });

    test("Instagram on iOS (any case): 302 to Safari's x-safari-https scheme", async () => {
        for (const agent of [IOS_INSTAGRAM, IOS_INSTAGRAM.toUpperCase()]) {
            const response = await social(target, agent);
            expect(response.status).toBe(302);
            expect(response.headers.get("location")).toBe(
                "x-safari-https://shop.example.com/products/42?ref=abc",
            );
        }
        const ipad = await social("http://shop.example.com:8080/a", "iPad; FBAN/FBIOS");
        expect(ipad.headers.get("location")).toBe("x-safari-https://shop.example.com:8080/a");
    });

    test("Facebook elsewhere: 200 empty fake PDF", async () => {
        for (const agent of [ANDROID_FACEBOOK, "some FACEBOOK browser", "fban"]) {
            const response = await social(target, agent);
            expect(response.status).toBe(200);
            expect(response.headers.get("content-type")).toBe("application/pdf");
            expect(response.headers.get("content-disposition")).toBe('inline; filename="dummy"');
            expect(response.headers.get("content-transfer-encoding")).toBe("binary");
            expect(response.headers.get("accept-ranges")).toBe("bytes");
            expect(await response.text()).toBe("");
        }
    });

    test("422 without u; 400 (not 500) for an invalid or non-http(s) u, on every branch", async () => {
        expect((await social(undefined)).status).toBe(422);
        for (const bad of [
            "not a url",
            "/relative/path",
            "javascript:alert(1)",
            "ftp://x.example",
        ]) {
            for (const agent of ["", "Safari", IOS_INSTAGRAM, ANDROID_FACEBOOK]) {
                const response = await social(bad, agent);
                expect(response.status).toBe(400);
                expect((await readJson(response)).error).toBe("invalid_url");
            }
        }
    });

    test("an open redirect is refused: a host that is neither configured nor minted gives 400", async () => {
        for (const foreign of [
            "https://evil.example/phish",
            "https://shop.example.com.evil.example/",
            "https://shop.example.com@evil.example/",
            "https://sub.shop.example.com/",
        ]) {
            for (const agent of ["", "Safari", IOS_INSTAGRAM, ANDROID_FACEBOOK]) {
                const response = await social(foreign, agent);
                expect(response.status).toBe(400);
                expect(response.headers.get("location")).toBeNull();
                expect((await readJson(response)).error).toBe("redirect_host_not_allowed");
            }
        }
        // The allowed host itself, any case.
        const allowed = await social("https://SHOP.example.com/x", "Safari");
        expect(allowed.status).toBe(302);
    });
});
