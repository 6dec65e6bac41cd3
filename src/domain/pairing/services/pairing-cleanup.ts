import type { Logger } from "../../../infrastructure/logger";
import type { TokenService } from "../../../infrastructure/sessions";
import type { DevicePairingRepository } from "../repositories/device-pairing-repository";
import type { SignatureRequestRepository } from "../repositories/signature-request-repository";
import { PairingCloseCode } from "./messages";
import type { PairingRelay } from "./pairing-relay";

const tenMinutesMs = 10 * 60_000;
const sevenDaysMs = 7 * 86_400_000;

/**
 * The seed's retention (`cleanupPairings`): unresolved pairings after 10 minutes, idle ones after
 * 7 days; unsigned requests after 10 minutes, answered ones 7 days after the answer. The desktop
 * sessions of deleted pairings are revoked with them (same transaction). Sockets still open on a
 * deleted pairing are closed, so a desktop showing an expired code starts a new one.
 */
export class PairingCleanup {
    constructor(
        private readonly pairings: DevicePairingRepository,
        private readonly requests: SignatureRequestRepository,
        private readonly relay: PairingRelay,
        private readonly tokens: TokenService,
        private readonly logger: Logger,
    ) {}

    async run(now = new Date()): Promise<{ pairings: number; requests: number }> {
        const { deletedPairings, revoked } = await this.pairings.inTransaction(async (tx) => {
            const deleted = await this.pairings.deleteExpired(
                {
                    unresolvedBefore: new Date(now.getTime() - tenMinutesMs),
                    inactiveBefore: new Date(now.getTime() - sevenDaysMs),
                },
                tx,
            );
            return {
                deletedPairings: deleted,
                revoked: await this.tokens.revokePairingSessions(tx, deleted),
            };
        });
        // Sockets are told their pairing is gone (4404) before the revocation (4401) reaches them.
        const detached = await Promise.allSettled(
            deletedPairings.map((pairingId) =>
                this.relay.detach(pairingId, PairingCloseCode.pairingNotFound, "Pairing expired"),
            ),
        );
        if (detached.some((result) => result.status === "rejected")) {
            this.logger.warn("could not close the sockets of some expired pairings");
        }
        await revoked.announce();
        const deletedRequests = await this.requests.deleteExpired({
            unsignedBefore: new Date(now.getTime() - tenMinutesMs),
            processedBefore: new Date(now.getTime() - sevenDaysMs),
        });
        if (deletedPairings.length > 0 || deletedRequests > 0) {
            this.logger.info(
                {
                    pairings: deletedPairings.length,
                    requests: deletedRequests,
                    sessions: revoked.count,
                },
                "expired pairings cleaned up",
            );
        }
        return { pairings: deletedPairings.length, requests: deletedRequests };
    }
}
