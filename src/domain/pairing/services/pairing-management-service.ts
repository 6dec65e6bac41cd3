import type { Address } from "viem";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Logger } from "../../../infrastructure/logger";
import type { DevicePairingRepository } from "../repositories/device-pairing-repository";
import { PairingCloseCode } from "./messages";
import type { PairingRelay } from "./pairing-relay";

export type PairingInfo = { id: string; originName: string; createdAt: Date };

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
        private readonly logger: Logger,
    ) {}

    /** Public information on a pairing; the code is never returned (the phone scanned it). */
    async find(pairingId: string): Promise<PairingInfo> {
        const pairing = await this.pairings.findByPairingId(pairingId);
        if (!pairing) throw new ApiError(404, "pairing_not_found", "Pairing not found");
        return {
            id: pairing.pairingId,
            originName: pairing.originName,
            createdAt: pairing.createdAt,
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

    /** Deletes the caller's pairing and closes its sockets on every instance. */
    async delete(wallet: Address, pairingId: string): Promise<void> {
        const pairing = await this.pairings.findByPairingId(pairingId);
        if (!pairing) throw new ApiError(404, "pairing_not_found", "Pairing not found");
        if (!pairing.wallet) {
            throw new ApiError(404, "pairing_not_resolved", "Pairing not yet resolved");
        }
        if (pairing.wallet.toLowerCase() !== wallet.toLowerCase()) {
            throw new ApiError(403, "forbidden", "Forbidden");
        }
        if (!(await this.pairings.delete(pairingId))) return;
        try {
            await this.relay.detach(pairingId, PairingCloseCode.pairingNotFound, "Pairing deleted");
        } catch (error) {
            // The row is gone: the desktop's next signature request closes with 4404 anyway.
            this.logger.warn(
                { err: error, pairingId },
                "could not close a deleted pairing's sockets",
            );
        }
    }
}
