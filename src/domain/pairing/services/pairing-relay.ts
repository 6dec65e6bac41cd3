import type { PubSub, Unsubscribe } from "../../../infrastructure/pubsub";
import type { PairingServerMessage } from "./messages";

export type PairingSide = "origin" | "target";

/** What travels on a pairing topic between instances. */
export type RelayEvent =
    /** A message for the sockets listening on that side. */
    | { kind: "deliver"; message: PairingServerMessage }
    /** The pairing is gone (deleted, invalidated, expired): its sockets drop it. */
    | { kind: "detach"; pairingId: string; code: number; reason: string };

/** `pairing:<id>:origin` is where the desktop listens, `pairing:<id>:target` the phone. */
export const pairingTopic = (pairingId: string, side: PairingSide) =>
    `pairing:${pairingId}:${side}`;

/**
 * Sends pairing messages to the sockets of one side of a pairing, on whichever instance they are
 * connected, through the pub/sub adapter.
 */
export class PairingRelay {
    constructor(private readonly pubsub: PubSub) {}

    deliver(pairingId: string, side: PairingSide, message: PairingServerMessage): Promise<void> {
        return this.publish(pairingId, side, { kind: "deliver", message });
    }

    /** Tells every socket of the pairing, on both sides, that it no longer exists. */
    async detach(pairingId: string, code: number, reason: string): Promise<void> {
        const event: RelayEvent = { kind: "detach", pairingId, code, reason };
        await Promise.all([
            this.publish(pairingId, "origin", event),
            this.publish(pairingId, "target", event),
        ]);
    }

    listen(
        pairingId: string,
        side: PairingSide,
        onEvent: (event: RelayEvent) => void,
    ): Promise<Unsubscribe> {
        return this.pubsub.subscribe(pairingTopic(pairingId, side), (raw) => {
            onEvent(JSON.parse(raw) as RelayEvent);
        });
    }

    private publish(pairingId: string, side: PairingSide, event: RelayEvent): Promise<void> {
        return this.pubsub.publish(pairingTopic(pairingId, side), JSON.stringify(event));
    }
}
