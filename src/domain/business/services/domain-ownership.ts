import { timingSafeEqual } from "node:crypto";
import { type Address, concatHex, type Hex, hexToBytes, isHex, keccak256, stringToHex } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import { type DnsTxtLookup, DnsUnavailableError } from "../repositories/dns-txt-lookup";

/**
 * Proof that a merchant controls a domain, either:
 *  - a DNS TXT record on the domain equal to `frak-business; hash=keccak256(utf8(domain) ++ owner)`,
 *  - or a setup code `keccak256(utf8(domain) ++ owner ++ utf8(PRODUCT_SETUP_CODE_SALT))` handed
 *    out by the operator (off when no salt is configured).
 * The DNS check always runs: there is no "any domain passes outside production" shortcut.
 */
export class DomainOwnershipService {
    constructor(
        private readonly dns: Pick<DnsTxtLookup, "txtRecords">,
        private readonly setupCodeSalt: string | undefined,
    ) {}

    /** The TXT record the merchant publishes on `domain` (already normalised). */
    dnsTxtRecord(domain: string, owner: Address): string {
        return `frak-business; hash=${keccak256(concatHex([stringToHex(domain), owner]))}`;
    }

    setupCodeOf(domain: string, owner: Address): Hex | undefined {
        if (!this.setupCodeSalt) return undefined;
        return keccak256(concatHex([stringToHex(domain), owner, stringToHex(this.setupCodeSalt)]));
    }

    async isOwnedBy(domain: string, owner: Address, setupCode?: string): Promise<boolean> {
        if (setupCode !== undefined && this.isValidSetupCode(domain, owner, setupCode)) return true;
        const expected = this.dnsTxtRecord(domain, owner);
        const records = await this.txtRecords(domain);
        return records.some((record) => record.trim() === expected);
    }

    private async txtRecords(domain: string): Promise<string[]> {
        try {
            return await this.dns.txtRecords(domain);
        } catch (error) {
            if (!(error instanceof DnsUnavailableError)) throw error;
            throw new ApiError(
                "dns_unavailable",
                "The DNS TXT check could not be completed, retry later",
            );
        }
    }

    private isValidSetupCode(domain: string, owner: Address, setupCode: string): boolean {
        const expected = this.setupCodeOf(domain, owner);
        if (!expected || !isHex(setupCode, { strict: true }) || setupCode.length !== 66) {
            return false;
        }
        return timingSafeEqual(hexToBytes(expected), hexToBytes(setupCode.toLowerCase() as Hex));
    }
}
