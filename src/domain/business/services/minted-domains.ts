import type { Logger } from "pino";

/** How long an instance trusts its copy of the minted domains before reading them again. */
export const MINTED_DOMAINS_TTL_MS = 60_000;
/** After a failed read, the old copy is kept and the read retried this much later. */
const RETRY_AFTER_FAILURE_MS = 5_000;

export type MintedDomainsSource = { allDomains(): Promise<string[]> };

/**
 * The normalised domains of the products we minted, read from the database and kept in memory
 * (one query per minute per instance, whatever the traffic). A mint on this instance adds its
 * domain at once (after its row is committed); other instances see it within
 * `MINTED_DOMAINS_TTL_MS`. An operator removing a row withdraws the domain the same way.
 */
export class MintedDomains {
    private domains = new Set<string>();
    private freshUntil = 0;
    private loading: Promise<void> | undefined;

    constructor(
        private readonly source: MintedDomainsSource,
        private readonly logger: Logger,
        private readonly ttlMs = MINTED_DOMAINS_TTL_MS,
        private readonly now: () => number = Date.now,
    ) {}

    /**
     * Is `hostname` (no port) a minted domain, or its `www.` form? Compared as the SDK computes
     * a product id from the page: lower-case host, one leading `www.` dropped.
     */
    async hasHost(hostname: string): Promise<boolean> {
        if (this.now() >= this.freshUntil) await this.refresh();
        let host = hostname.toLowerCase().replace(/\.$/, "");
        if (host.startsWith("www.")) host = host.slice(4);
        return this.domains.has(host);
    }

    /** A product was just minted here: its domain is allowed without waiting for the TTL. */
    added(domain: string): void {
        this.domains.add(domain);
    }

    private refresh(): Promise<void> {
        // One read at a time: concurrent requests wait for the same query.
        this.loading ??= this.source
            .allDomains()
            .then((domains) => {
                this.domains = new Set(domains);
                this.freshUntil = this.now() + this.ttlMs;
            })
            .catch((error: unknown) => {
                this.logger.warn(
                    { err: error },
                    "minted domains: read failed, keeping the last copy",
                );
                this.freshUntil = this.now() + RETRY_AFTER_FAILURE_MS;
            })
            .finally(() => {
                this.loading = undefined;
            });
        return this.loading;
    }
}
