import type { Address, Hex } from "viem";

/** A registered passkey: what login needs to verify its assertions and find its wallet. */
export type StoredAuthenticator = {
    /** Credential id, base64url as the browser reports it. */
    credentialId: string;
    /** The wallet this passkey controls (its own counterfactual wallet or a previous one). */
    smartWalletAddress: Address | null;
    userAgent: string;
    /** P-256 coordinates as registered; `prefix` is kept when the client sent it. */
    publicKey: { x: Hex; y: Hex; prefix?: number };
    /** COSE public key from the attestation. */
    credentialPublicKey: Uint8Array;
    counter: number;
    credentialDeviceType: string;
    credentialBackedUp: boolean;
    transports?: string[];
};

/**
 * Where authenticators live. Two implementations keep the same contract (one test suite runs
 * against both): our PostgreSQL table, and the seed's MongoDB collection for operators migrating
 * with their existing credentials.
 */
export interface AuthenticatorRepository {
    findById(credentialId: string): Promise<StoredAuthenticator | null>;
    findByWallet(wallet: Address): Promise<StoredAuthenticator[]>;
    /** Inserts a new authenticator; false (and nothing written) when the id already exists. */
    insert(authenticator: StoredAuthenticator): Promise<boolean>;
    /**
     * Stores a newer signature counter, only if it is strictly greater than the stored one (a
     * concurrent login with a higher counter wins); false when nothing was updated.
     */
    advanceCounter(credentialId: string, counter: number): Promise<boolean>;
    close(): Promise<void>;
}
