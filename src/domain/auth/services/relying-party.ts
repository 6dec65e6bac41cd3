import { createHash } from "node:crypto";

/**
 * The WebAuthn relying party we answer for: allowed RP ids (checked through the rpIdHash of
 * authenticator data) and allowed origins (checked in clientDataJSON). An origin pattern ending
 * in `:*` accepts any port, e.g. `http://localhost:*` for local development. User verification
 * is required by default (`WEBAUTHN_USER_VERIFICATION=preferred` relaxes it).
 */
export class RelyingParty {
    private readonly rpIdByHash: Map<string, string>;

    constructor(
        readonly rpIds: readonly string[],
        readonly origins: readonly string[],
        /** The UV flag is required in assertions and attestations unless the operator relaxed it. */
        readonly requireUserVerification = true,
    ) {
        this.rpIdByHash = new Map(
            rpIds.map((rpId) => [createHash("sha256").update(rpId).digest("hex"), rpId]),
        );
    }

    isAllowedOrigin(origin: string): boolean {
        return this.origins.some((pattern) => {
            if (!pattern.endsWith(":*")) return pattern === origin;
            const prefix = pattern.slice(0, -2);
            if (origin === prefix) return true;
            return (
                origin.startsWith(`${prefix}:`) && /^\d{1,5}$/.test(origin.slice(prefix.length + 1))
            );
        });
    }

    /** The allowed RP id whose SHA-256 is `rpIdHash`, if any. */
    rpIdOfHash(rpIdHash: Uint8Array): string | undefined {
        return this.rpIdByHash.get(Buffer.from(rpIdHash).toString("hex"));
    }
}
