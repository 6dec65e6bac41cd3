/**
 * The subscribers of one domain event (e.g. "a Merkle root reached the chain"). A domain emits
 * its own events and never knows who listens: the orchestrators in src/orchestration/ subscribe.
 * A failing listener is reported and does not stop the others nor the emitter.
 */
export class Listeners<T> {
    private readonly listeners = new Set<(event: T) => void>();

    constructor(private readonly onListenerError: (error: unknown) => void) {}

    /** Adds a listener; returns its unsubscribe. */
    subscribe(listener: (event: T) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    emit(event: T): void {
        for (const listener of this.listeners) {
            try {
                listener(event);
            } catch (error) {
                this.onListenerError(error);
            }
        }
    }
}
