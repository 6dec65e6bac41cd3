/**
 * The client's IP address. Behind `trustedProxyHops` reverse proxies, each appends the address it
 * received the request from to `X-Forwarded-For`, so the client is the entry `trustedProxyHops`
 * from the right; anything further left was written by the client and cannot be trusted.
 */
export function clientIp(
    request: Request,
    socketAddress: string | undefined,
    trustedProxyHops: number,
): string {
    if (trustedProxyHops > 0) {
        const forwarded = request.headers.get("x-forwarded-for");
        if (forwarded) {
            const hops = forwarded
                .split(",")
                .map((entry) => entry.trim())
                .filter(Boolean);
            const candidate = hops[hops.length - trustedProxyHops];
            if (candidate) return candidate;
        }
    }
    return socketAddress ?? "unknown";
}
