import { lookup, Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { isPublicIpAddress } from "../../../utils/public-ip-address";

export type EndpointVerdict =
    | { ok: true }
    /** Never deliverable (not https, or a non-public address): refuse it, or drop the row. */
    | { ok: false; kind: "refused"; reason: string }
    /** The name did not resolve now: maybe later. */
    | { ok: false; kind: "unresolved"; reason: string };

export type PushEndpointPolicyOptions = {
    /** `host` or `host:port` entries (lower-case) exempt from the checks. */
    allowlist: readonly string[];
    /** DNS servers (`ip` / `ip:port`); empty: the system resolver. */
    dnsServers: readonly string[];
    dnsTimeoutMs: number;
};

/**
 * Where we agree to send Web Push requests: `https` endpoints whose host resolves only to public
 * addresses, so a subscription cannot make us call loopback, cloud metadata (169.254.169.254) or
 * a private network. Checked when a subscription is registered and again before each send (a
 * name may be re-pointed after registration: DNS rebinding). Hosts on the allow-list (tests, a
 * push service inside a private deployment) skip both rules.
 */
export class PushEndpointPolicy {
    private readonly allowlist: ReadonlySet<string>;
    private readonly resolver: Resolver | undefined;

    constructor(options: PushEndpointPolicyOptions) {
        this.allowlist = new Set(options.allowlist);
        if (options.dnsServers.length > 0) {
            this.resolver = new Resolver({ timeout: options.dnsTimeoutMs, tries: 2 });
            this.resolver.setServers([...options.dnsServers]);
        }
    }

    async check(endpoint: string): Promise<EndpointVerdict> {
        let url: URL;
        try {
            url = new URL(endpoint);
        } catch {
            return { ok: false, kind: "refused", reason: "not a URL" };
        }
        const host = url.hostname.toLowerCase();
        if (this.allowlist.has(host) || this.allowlist.has(url.host.toLowerCase())) {
            return { ok: true };
        }
        if (url.protocol !== "https:") return { ok: false, kind: "refused", reason: "not https" };
        if (url.username || url.password) {
            return { ok: false, kind: "refused", reason: "credentials in the URL" };
        }
        const literal = host.startsWith("[") ? host.slice(1, -1) : host;
        let addresses: string[];
        if (isIP(literal)) addresses = [literal];
        else {
            try {
                addresses = await this.resolve(literal);
            } catch {
                return { ok: false, kind: "unresolved", reason: "host does not resolve" };
            }
            if (addresses.length === 0) {
                return { ok: false, kind: "unresolved", reason: "host does not resolve" };
            }
        }
        // Every address must be public: the HTTP client may pick any of them.
        if (!addresses.every(isPublicIpAddress)) {
            return { ok: false, kind: "refused", reason: "host is not a public address" };
        }
        return { ok: true };
    }

    private async resolve(host: string): Promise<string[]> {
        if (!this.resolver) {
            return (await lookup(host, { all: true, verbatim: true })).map(
                (entry) => entry.address,
            );
        }
        const resolver = this.resolver;
        const settled = await Promise.allSettled([
            resolver.resolve4(host),
            resolver.resolve6(host),
        ]);
        const found = settled.flatMap((result) =>
            result.status === "fulfilled" ? result.value : [],
        );
        if (found.length === 0 && settled.every((result) => result.status === "rejected")) {
            throw (settled[0] as PromiseRejectedResult).reason;
        }
        return found;
    }
}
