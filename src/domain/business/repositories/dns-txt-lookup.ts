import { Resolver } from "node:dns/promises";
import { ApiError } from "../../../infrastructure/http";

/** Answers that mean "this name has no TXT record", as opposed to "the resolver failed". */
const noRecordCodes = new Set(["ENOTFOUND", "ENODATA", "NOTFOUND", "NODATA", "ENONAME"]);

/**
 * TXT records of a name through node:dns, on the configured servers (`DNS_RESOLVER`) or the
 * system resolver. A name without records gives []; a resolver that cannot answer (timeout,
 * refused, SERVFAIL) gives 503 so a merchant is not told their correct record is wrong.
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
            throw new ApiError(
                503,
                "dns_unavailable",
                "The DNS TXT check could not be completed, retry later",
            );
        }
        return records.flatMap((chunks) =>
            chunks.length > 1 ? [chunks.join(""), ...chunks] : chunks,
        );
    }
}
