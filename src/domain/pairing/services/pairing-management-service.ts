import type { Address } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Logger } from "../../../infrastructure/logger";
import type { TokenService } from "../../../infrastructure/sessions";
import type { DevicePairingRepository } from "../repositories/device-pairing-repository";
import { PairingCloseCode } from "./messages";
import type { PairingRelay } from "./pairing-relay";

export type PairingInfo = {
    id: string;
    originName: string;
    createdAt: Date;
    /** Only for a phone's own (`webauthn`) session: the code it shows and joins with. */
    pairingCode?: string;
};

export type PairingListItem = {
    pairingId: string;
    originName: string;
    targetName: string;
    createdAt: Date;
    lastActiveAt: Date;
};

/** The HTTP side of pairings: look one up, list a wallet's, delete one. */
export class PairingManagementService {
    constructor(
        private readonly pairings: DevicePairingRepository,
        private readonly relay: PairingRelay,
        private readonly tokens: TokenService,
        private readonly logger: Logger,
    ) {}

    /**
     * What the phone's pairing page shows. The code is a visual confirmation shown on both
     * screens, so it goes only to a phone's own session (`withCode`), never to a caller without
     * one, a desktop or an SDK token; guessing stays bounded by the five-attempt rule of join.
     */
    async find(pairingId: string, options: { withCode: boolean }): Promise<PairingInfo> {
        const pairing = await this.pairings.findByPairingId(pairingId);
        if (!pairing) throw new ApiError("pairing_not_found", "Pairing not found");
        return {
            id: pairing.pairingId,
            originName: pairing.originName,
            createdAt: pairing.createdAt,
            // A resolved pairing can no longer be joined: its code is of no use to anyone.
            ...(options.withCode && !pairing.resolvedAt
                ? { pairingCode: pairing.pairingCode }
                : {}),
        };
    }

    async list(wallet: Address): Promise<PairingListItem[]> {
        const pairings = await this.pairings.findByWallet(wallet);
        return pairings.map((pairing) => ({
            pairingId: pairing.pairingId,
            originName: pairing.originName,
            targetName: pairing.targetName ?? "Unknown",
            createdAt: pairing.createdAt,
            lastActiveAt: pairing.lastActiveAt,
        }));
    }

    /**
     * Deletes the caller's pairing, revokes the desktop session issued through it (and the SDK
     * tokens minted from that session) in the same transaction, and closes its sockets on every
     * instance.
     */
    async delete(wallet: Address, pairingId: string): Promise<void> {
        const pairing = await this.pairings.findByPairingId(pairingId);
        if (!pairing) throw new ApiError("pairing_not_found", "Pairing not found");
        if (!pairing.wallet) {
            throw new ApiError("pairing_not_resolved", "Pairing not yet resolved");
        }
        if (pairing.wallet.toLowerCase() !== wallet.toLowerCase()) {
            throw new ApiError("forbidden", "Forbidden");
        }
        const revoked = await this.pairings.inTransaction(async (tx) => {
            if (!(await this.pairings.delete(pairingId, tx))) return null;
            return this.tokens.revokePairingSessions(tx, [pairingId]);
        });
        if (!revoked) return;
        // The pairing's own close first: 4404 tells the desktop to start a new pairing, where the
        // revocation's 4401 (its backstop) would only say that the session ended.
        try {
            await this.relay.detach(pairingId, PairingCloseCode.pairingNotFound, "Pairing deleted");
        } catch (error) {
            // The row is gone: the desktop's next signature request closes with 4404 anyway.
            this.logger.warn(
                { err: error, pairingId },
                "could not close a deleted pairing's sockets",
            );
        }
        await revoked.announce();
    }
}
