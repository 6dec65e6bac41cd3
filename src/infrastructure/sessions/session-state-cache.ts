import { LRUCache } from "lru-cache";
import type { Logger } from "../logger";
import type { PubSub, Unsubscribe } from "../pubsub";

/** A recorded session as the revocation check sees it. */
export type SessionState = { active: boolean; expiresAt: number };

/**
 * How long an "active" answer from the database is trusted without asking again. Revocations on
 * this instance apply at once and other instances hear of them over pub/sub, so this only bounds
 * how long a lost pub/sub message (Redis unreachable) can leave a revoked token accepted.
 */
export const sessionStateTtlMs = 5_000;
const revokedTopic = "sessions:revoked";
const maxAnnouncedKeys = 10_000;

type Entry = { active: boolean; expiresAt: number; checkedAt: number };

/**
 * Answers "is this recorded session still usable?" with one primary-key read per session every
 * few seconds instead of one per request, and learns of revocations made by other instances
 * through pub/sub. The database stays the source of truth: a revoked entry is never turned back
 * into an active one, and an active one is read again once it is older than the TTL.
 */
export class SessionStateCache {
    private readonly entries = new LRUCache<string, Entry>({ max: 200_000 });
    private readonly loading = new Map<string, Promise<boolean>>();
    private unsubscribe: Unsubscribe | null = null;
    private readonly revokedListeners = new Set<(keys: string[]) => void>();

    constructor(
        private readonly pubsub: PubSub | null,
        private readonly logger?: Logger,
        private readonly ttlMs = sessionStateTtlMs,
    ) {}

    /** Subscribes to the revocations announced by the other instances. */
    async start(): Promise<void> {
        if (!this.pubsub || this.unsubscribe) return;
        this.unsubscribe = await this.pubsub.subscribe(revokedTopic, (message) =>
            this.onAnnouncement(message),
        );
    }

    async stop(): Promise<void> {
        const unsubscribe = this.unsubscribe;
        this.unsubscribe = null;
        await unsubscribe?.().catch(() => {});
    }

    /** Called with the keys of every revocation this instance makes or hears of. */
    onRevoked(listener: (keys: string[]) => void): () => void {
        this.revokedListeners.add(listener);
        return () => this.revokedListeners.delete(listener);
    }

    /** `key` names the kind and the JWT id (e.g. `wallet:<jti>`); `load` reads the database. */
    isActive(key: string, load: () => Promise<SessionState | null>): Promise<boolean> {
        const now = Date.now();
        const cached = this.entries.get(key);
        if (cached) {
            if (!cached.active || cached.expiresAt <= now) return Promise.resolve(false);
            if (now - cached.checkedAt < this.ttlMs) return Promise.resolve(true);
        }
        const pending = this.loading.get(key);
        if (pending) return pending;
        const loaded = this.load(key, load).finally(() => this.loading.delete(key));
        this.loading.set(key, loaded);
        return loaded;
    }

    /** Revoked here (already committed): forget them now and tell the other instances. */
    async announceRevoked(keys: string[]): Promise<void> {
        if (keys.length === 0) return;
        this.markRevoked(keys);
        if (!this.pubsub) return;
        for (let start = 0; start < keys.length; start += maxAnnouncedKeys) {
            const batch = keys.slice(start, start + maxAnnouncedKeys);
            await this.pubsub.publish(revokedTopic, JSON.stringify(batch)).catch((error) => {
                // Other instances still stop accepting them within the TTL.
                this.logger?.warn({ err: error }, "could not announce revoked sessions");
            });
        }
    }

    private async load(key: string, load: () => Promise<SessionState | null>): Promise<boolean> {
        const state = await load();
        const now = Date.now();
        // A revocation heard while the database answered wins over the (older) answer.
        if (this.entries.get(key)?.active === false) return false;
        const entry: Entry = state
            ? { ...state, checkedAt: now }
            : { active: false, expiresAt: Number.POSITIVE_INFINITY, checkedAt: now };
        this.entries.set(key, entry);
        return entry.active && entry.expiresAt > now;
    }

    private markRevoked(keys: string[]): void {
        const now = Date.now();
        for (const key of keys) {
            this.entries.set(key, {
                active: false,
                expiresAt: Number.POSITIVE_INFINITY,
                checkedAt: now,
            });
        }
        for (const listener of this.revokedListeners) {
            try {
                listener(keys);
            } catch (error) {
                this.logger?.error({ err: error }, "revoked-sessions listener failed");
            }
        }
    }

    private onAnnouncement(message: string): void {
        try {
            const keys: unknown = JSON.parse(message);
            if (!Array.isArray(keys)) return;
            this.markRevoked(keys.filter((key): key is string => typeof key === "string"));
        } catch {
            this.logger?.warn("ignored a malformed revoked-sessions message");
        }
    }
}
