import { createSocket, type RemoteInfo } from "node:dgram";
import { isIP } from "node:net";

/**
 * A tiny authoritative DNS server over UDP for tests: answers TXT queries from `records`
 * (name -> TXT strings) and A / AAAA queries from `addresses` (name -> IPv4 and IPv6 literals),
 * NXDOMAIN for unknown names, an empty NOERROR answer for other types. Both maps are live: tests
 * add and remove entries while the server runs.
 */
export type TestDnsServer = {
    /** `127.0.0.1:<port>`, the value of DNS_RESOLVER. */
    address: string;
    records: Map<string, string[]>;
    addresses: Map<string, string[]>;
    /** Names queried so far (lower-case), to assert which name was looked up. */
    queries: string[];
    stop(): Promise<void>;
};

const TYPE_A = 1;
const TYPE_TXT = 16;
const TYPE_AAAA = 28;
const RCODE_NXDOMAIN = 3;

export async function startTestDnsServer(): Promise<TestDnsServer> {
    const records = new Map<string, string[]>();
    const addresses = new Map<string, string[]>();
    const queries: string[] = [];
    const socket = createSocket("udp4");
    socket.on("message", (message: Buffer, remote: RemoteInfo) => {
        const reply = answer(message, records, addresses, queries);
        if (reply) socket.send(reply, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    return {
        address: `127.0.0.1:${socket.address().port}`,
        records,
        addresses,
        queries,
        stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
    };
}

function answer(
    query: Buffer,
    records: Map<string, string[]>,
    addresses: Map<string, string[]>,
    queries: string[],
): Buffer | null {
    if (query.length < 12 || query.readUInt16BE(4) !== 1) return null;
    // Question: length-prefixed labels up to a zero byte, then QTYPE and QCLASS.
    const labels: string[] = [];
    let offset = 12;
    while (offset < query.length && query[offset] !== 0) {
        const length = query[offset] as number;
        labels.push(query.toString("latin1", offset + 1, offset + 1 + length));
        offset += 1 + length;
    }
    const questionEnd = offset + 5;
    if (questionEnd > query.length) return null;
    const name = labels.join(".").toLowerCase();
    const type = query.readUInt16BE(offset + 1);
    queries.push(name);
    const texts = records.get(name);
    const ips = addresses.get(name);
    const answers =
        texts && type === TYPE_TXT
            ? texts.map(txtRecord)
            : ips && (type === TYPE_A || type === TYPE_AAAA)
              ? ips.flatMap((ip) => addressRecord(ip, type))
              : [];

    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0); // id
    // QR=1, opcode 0, AA=1, RD copied; RA=1; rcode.
    const rd = query[2]! & 0x01;
    header[2] = 0x84 | rd;
    header[3] = 0x80 | (texts || ips ? 0 : RCODE_NXDOMAIN);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

/** One TXT answer: a pointer to the question name (offset 12), TTL 0, the text in 255-byte strings. */
function txtRecord(text: string): Buffer {
    const bytes = Buffer.from(text, "utf8");
    const chunks: Buffer[] = [];
    for (let i = 0; i === 0 || i < bytes.length; i += 255) {
        const chunk = bytes.subarray(i, i + 255);
        chunks.push(Buffer.from([chunk.length]), chunk);
    }
    const data = Buffer.concat(chunks);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // name: pointer to the question
    fixed.writeUInt16BE(TYPE_TXT, 2);
    fixed.writeUInt16BE(1, 4); // class IN
    fixed.writeUInt32BE(0, 6); // TTL 0: resolvers must not cache what tests change
    fixed.writeUInt16BE(data.length, 10);
    return Buffer.concat([fixed, data]);
}

/** One A or AAAA answer for an address of the matching family (others are left out). */
function addressRecord(ip: string, type: number): Buffer[] {
    const family = isIP(ip);
    if ((type === TYPE_A && family !== 4) || (type === TYPE_AAAA && family !== 6)) return [];
    const data = family === 4 ? Buffer.from(ip.split(".").map(Number)) : ipv6Bytes(ip);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0);
    fixed.writeUInt16BE(type, 2);
    fixed.writeUInt16BE(1, 4);
    fixed.writeUInt32BE(0, 6);
    fixed.writeUInt16BE(data.length, 10);
    return [Buffer.concat([fixed, data])];
}

function ipv6Bytes(ip: string): Buffer {
    const [head = "", tail = ""] = ip.split("::");
    const left = head ? head.split(":") : [];
    const right = ip.includes("::") && tail ? tail.split(":") : [];
    const groups = ip.includes("::")
        ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
        : left;
    const bytes = Buffer.alloc(16);
    for (const [i, group] of groups.entries()) {
        bytes.writeUInt16BE(Number.parseInt(group, 16), i * 2);
    }
    return bytes;
}
