import type { TokenService } from "../../../infrastructure/sessions";

/** Ending a merchant (SIWE) session before its 7 days are up. */
export class BusinessSessionService {
    constructor(private readonly tokens: TokenService) {}

    /** Revokes the session of `token` if it is one of ours; logging out twice is harmless. */
    async logout(token: string | undefined): Promise<{ revoked: boolean }> {
        return { revoked: token ? await this.tokens.revokeBusiness(token) : false };
    }
}
