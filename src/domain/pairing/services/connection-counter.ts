/**
 * Open connections per key (wallet, client IP) with a ceiling, in this instance: a socket holds
 * one of this instance's file descriptors, so the bound that protects them is per instance.
 */
export class ConnectionCounter {
    private readonly counts = new Map<string, number>();

    constructor(readonly max: number) {}

    isFull(key: string): boolean {
        return (this.counts.get(key) ?? 0) >= this.max;
    }

    /** Takes a place for `key`; false (nothing taken) when it already holds `max`. */
    tryAcquire(key: string): boolean {
        const count = this.counts.get(key) ?? 0;
        if (count >= this.max) return false;
        this.counts.set(key, count + 1);
        return true;
    }

    release(key: string): void {
        const count = this.counts.get(key) ?? 0;
        if (count <= 1) this.counts.delete(key);
        else this.counts.set(key, count - 1);
    }
}
