/**
 * The merchant dashboard hosts a SIWE message may name (`BUSINESS_SIWE_DOMAINS`): `host` or
 * `host:port` exactly, or `host:*` for that host on any port (local development). Compared
 * lower-case, as EIP-4361 `domain` is an RFC 3986 authority.
 */
export class DashboardHosts {
    private readonly exact: Set<string>;
    private readonly anyPort: Set<string>;

    constructor(patterns: readonly string[]) {
        const lower = patterns.map((pattern) => pattern.toLowerCase());
        this.exact = new Set(lower.filter((pattern) => !pattern.endsWith(":*")));
        this.anyPort = new Set(
            lower
                .filter((pattern) => pattern.endsWith(":*"))
                .map((pattern) => pattern.slice(0, -2)),
        );
    }

    /** Whether `authority` (`host` or `host:port`, no user info) is one of ours. */
    allows(authority: string): boolean {
        const lower = authority.toLowerCase();
        if (this.exact.has(lower)) return true;
        const match = /^([^:@/]+)(?::(\d{1,5}))?$/.exec(lower);
        return Boolean(match?.[1] && this.anyPort.has(match[1]));
    }
}
