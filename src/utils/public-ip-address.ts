import { isIP } from "node:net";

/** IPv4 ranges that are not the public Internet (RFC 6890 special-purpose registry). */
const nonPublicIpv4: Array<[base: string, prefix: number]> = [
    ["0.0.0.0", 8], // "this network"
    ["10.0.0.0", 8], // private
    ["100.64.0.0", 10], // carrier-grade NAT
    ["127.0.0.0", 8], // loopback
    ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
    ["172.16.0.0", 12], // private
    ["192.0.0.0", 24], // IETF protocol assignments
    ["192.0.2.0", 24], // documentation
    ["192.88.99.0", 24], // 6to4 relay anycast
    ["192.168.0.0", 16], // private
    ["198.18.0.0", 15], // benchmarking
    ["198.51.100.0", 24], // documentation
    ["203.0.113.0", 24], // documentation
    ["224.0.0.0", 4], // multicast
    ["240.0.0.0", 4], // reserved, broadcast
];

/** IPv6 ranges that are not the public Internet (those embedding IPv4 are unwrapped first). */
const nonPublicIpv6: Array<[base: string, prefix: number]> = [
    ["::", 128], // unspecified
    ["::1", 128], // loopback
    ["100::", 64], // discard
    ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID, ...)
    ["2001:db8::", 32], // documentation
    ["fc00::", 7], // unique local
    ["fe80::", 10], // link-local
    ["fec0::", 10], // site-local (deprecated)
    ["ff00::", 8], // multicast
];

function ipv4ToBigInt(ip: string): bigint {
    return ip.split(".").reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

/** The 128-bit value of an IPv6 literal (with `::` and a dotted IPv4 tail allowed). */
function ipv6ToBigInt(ip: string): bigint {
    let text = ip.toLowerCase().replace(/%.*$/, "");
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (dotted?.[1]) {
        const v4 = ipv4ToBigInt(dotted[1]);
        text = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
    }
    const [head = "", tail] = text.split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const groups =
        tail === undefined
            ? left
            : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
    return groups.reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

const inRange = (value: bigint, base: bigint, prefix: number, bits: number) =>
    value >> BigInt(bits - prefix) === base >> BigInt(bits - prefix);

function isPublicIpv4(ip: string): boolean {
    const value = ipv4ToBigInt(ip);
    return !nonPublicIpv4.some(([base, prefix]) => inRange(value, ipv4ToBigInt(base), prefix, 32));
}

/**
 * Whether an IP literal is a public Internet address. IPv6 forms that carry an IPv4 address
 * (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
 * `2002::/16`) are judged by that IPv4 address, so `::ffff:127.0.0.1` is loopback.
 */
export function isPublicIpAddress(ip: string): boolean {
    const family = isIP(ip.replace(/%.*$/, ""));
    if (family === 4) return isPublicIpv4(ip);
    if (family !== 6) return false;
    const value = ipv6ToBigInt(ip);
    const embedded = (v4: bigint) =>
        isPublicIpv4([24n, 16n, 8n, 0n].map((shift) => String((v4 >> shift) & 0xffn)).join("."));
    if (value >> 32n === 0xffffn) return embedded(value & 0xffffffffn); // ::ffff:a.b.c.d
    if (value >> 32n === 0n && value > 1n) return embedded(value & 0xffffffffn); // ::a.b.c.d
    if (value >> 32n === 0x0064ff9b0000000000000000n) return embedded(value & 0xffffffffn);
    if (value >> 112n === 0x2002n) return embedded((value >> 80n) & 0xffffffffn);
    return !nonPublicIpv6.some(([base, prefix]) => inRange(value, ipv6ToBigInt(base), prefix, 128));
}
