const schemePattern = /^([a-z][a-z0-9+.-]*):\/\//i;
const labelPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The domain a product is minted for, from what a merchant types: `shop.example`,
 * `www.shop.example`, `https://www.shop.example:8443/path?x` all give `shop.example`.
 * Scheme (http or https only), credentials-free, port, path, a trailing dot and one leading
 * `www.` are dropped; the host is lower-cased (IDN hosts become punycode, as URL does).
 * Returns null when the input is not a public host name (IP addresses, single labels, garbage).
 *
 * The product id is keccak256 of this string, and it is also the string given to
 * ProductRegistry.mint, so the id computed here is the id the contract assigns.
 */
export function normaliseProductDomain(input: string): string | null {
    const trimmed = input.trim();
    if (trimmed === "" || trimmed.length > 2048 || /\s/.test(trimmed)) return null;
    const scheme = schemePattern.exec(trimmed)?.[1]?.toLowerCase();
    if (scheme !== undefined && scheme !== "http" && scheme !== "https") return null;
    let url: URL;
    try {
        url = new URL(scheme ? trimmed : `https://${trimmed}`);
    } catch {
        return null;
    }
    if (url.username || url.password) return null;
    let host = url.hostname.toLowerCase().replace(/\.$/, "");
    if (host.startsWith("www.")) host = host.slice(4);
    if (host.length > 253) return null;
    const labels = host.split(".");
    if (labels.length < 2 || !labels.every((label) => labelPattern.test(label))) return null;
    // An all-numeric last label is an IPv4 address, not a domain.
    if (!/[a-z]/.test(labels[labels.length - 1] as string)) return null;
    return host;
}
