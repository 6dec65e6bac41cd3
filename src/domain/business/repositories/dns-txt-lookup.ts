import { Resolver } from "node:dns/promises";

/** Answers that mean "this name has no TXT record", as opposed to "the resolver failed". */
const noRecordCodes = new Set(["ENOTFOUND", "ENODATA", "NOTFOUND", "NODATA", "ENONAME"]);

/** The resolver could not answer (timeout, refused, SERVFAIL): not the same as "no record". */
export class DnsUnavailableError extends Error {
    constructor(domain: string, options?: { cause?: unknown }) {
        super(`DNS TXT lookup of ${domain} could not be completed`, options);
        this.name = "DnsUnavailableError";
    }
}

/**
 * TXT records of a name through node:dns, on the configured servers (`DNS_RESOLVER`) or the
 * system resolver. A name without records gives []; a resolver that cannot answer (timeout,
 * refused, SERVFAIL) throws DnsUnavailableError so a merchant is not told their correct record
 * is wrong (the ownership service answers 503).
 */
export class DnsTxtLookup {
    private readonly resolver: Resolver;

    constructor(servers: readonly string[], timeoutMs: number) {
        this.resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
        if (servers.length > 0) this.resolver.setServers([...servers]);
    }

    /**
     * Each record's text: its character-strings joined (RFC 7208 §3.3), and each string alone
     * too, since some resolvers (Bun's) return the strings of one record as separate records.
     */
    async txtRecords(name: string): Promise<string[]> {
        let records: string[][];
        try {
            records = await this.resolver.resolveTxt(name);
        } catch (error) {
            const code = (error as { code?: string }).code;
            if (code && noRecordCodes.has(code)) return [];
            throw new DnsUnavailableError(name, { cause: error });
        }
        return records.flatMap((chunks) =>
            chunks.length > 1 ? [chunks.join(""), ...chunks] : chunks,
        );
    }
}
