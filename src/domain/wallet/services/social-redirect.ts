import { ApiError } from "../../../infrastructure/errors/api-error";

export type SocialExit = { kind: "redirect"; location: string } | { kind: "fake-pdf" };

/** Where `/common/social` may send a visitor: minted products' domains, configured hosts. */
export type SocialRedirectHosts = { allows(hostname: string): Promise<boolean> };

/** The configured host names (exact), then the minted products' domains (and their `www.`). */
export function socialRedirectHosts(
    configured: readonly string[],
    minted: { hasHost(hostname: string): Promise<boolean> },
): SocialRedirectHosts {
    const exact = new Set(configured.map((host) => host.toLowerCase()));
    return {
        allows: async (hostname) => exact.has(hostname.toLowerCase()) || minted.hasHost(hostname),
    };
}

const META_IN_APP = ["instagram", "fban", "fbav", "facebook"];

/**
 * `GET /common/social`: how to get a visitor out of the Instagram / Facebook in-app browser.
 * Outside Meta's browsers, a plain redirect; on iOS, Safari's `x-safari-https` scheme; elsewhere
 * a fake PDF download, which makes Android open the system browser. Only absolute http(s) URLs
 * to an allowed host (a minted product's domain or a configured host) are accepted: 400
 * otherwise, where the seed answered 500 or redirected anywhere (an open redirect on our domain).
 */
export async function socialExitFor(
    target: string,
    userAgent: string | undefined,
    hosts: SocialRedirectHosts,
): Promise<SocialExit> {
    const url = parseTarget(target);
    if (!(await hosts.allows(url.hostname))) {
        throw new ApiError(
            "redirect_host_not_allowed",
            "Invalid url: its host is not a registered product domain",
        );
    }
    const agent = userAgent?.toLowerCase();
    if (!agent || !META_IN_APP.some((marker) => agent.includes(marker))) {
        return { kind: "redirect", location: target };
    }
    if (agent.includes("iphone") || agent.includes("ipad")) {
        return {
            kind: "redirect",
            location: `x-safari-https://${url.host}${url.pathname}${url.search}`,
        };
    }
    return { kind: "fake-pdf" };
}

function parseTarget(target: string): URL {
    // Control characters or spaces would end up in the Location header.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of the check
    if (/[\u0000-\u0020\u007f]/.test(target)) throw invalidUrl();
    let url: URL;
    try {
        url = new URL(target);
    } catch {
        throw invalidUrl();
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidUrl();
    return url;
}

const invalidUrl = () =>
    new ApiError("invalid_url", "Invalid url: an absolute http(s) URL is expected");
