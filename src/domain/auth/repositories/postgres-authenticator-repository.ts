import { and, eq, lt } from "drizzle-orm";
import { type Address, getAddress, type Hex } from "viem";
import type { Database } from "../../../infrastructure/persistence";
import { authenticatorsTable } from "../db/schema";
import type { AuthenticatorRepository, StoredAuthenticator } from "./authenticator-repository";

type AuthenticatorRow = typeof authenticatorsTable.$inferSelect;

/** Authenticators in our PostgreSQL `authenticators` table (the default store). */
export class PostgresAuthenticatorRepository implements AuthenticatorRepository {
    constructor(private readonly db: Database) {}

    async findById(credentialId: string): Promise<StoredAuthenticator | null> {
        const [row] = await this.db
            .select()
            .from(authenticatorsTable)
            .where(eq(authenticatorsTable.credentialId, credentialId))
            .limit(1);
        return row ? toAuthenticator(row) : null;
    }

    async findByWallet(wallet: Address): Promise<StoredAuthenticator[]> {
        const rows = await this.db
            .select()
            .from(authenticatorsTable)
            .where(eq(authenticatorsTable.smartWalletAddress, wallet.toLowerCase() as Hex));
        return rows.map(toAuthenticator);
    }

    async insert(authenticator: StoredAuthenticator): Promise<boolean> {
        const inserted = await this.db
            .insert(authenticatorsTable)
            .values({
                credentialId: authenticator.credentialId,
                smartWalletAddress: authenticator.smartWalletAddress
                    ? (authenticator.smartWalletAddress.toLowerCase() as Hex)
                    : null,
                userAgent: authenticator.userAgent,
                publicKey: authenticator.publicKey,
                credentialPublicKey: bytesToHexString(authenticator.credentialPublicKey),
                counter: authenticator.counter,
                credentialDeviceType: authenticator.credentialDeviceType,
                credentialBackedUp: authenticator.credentialBackedUp,
                transports: authenticator.transports ?? null,
            })
            .onConflictDoNothing({ target: authenticatorsTable.credentialId })
            .returning({ credentialId: authenticatorsTable.credentialId });
        return inserted.length > 0;
    }

    async advanceCounter(credentialId: string, counter: number): Promise<boolean> {
        const updated = await this.db
            .update(authenticatorsTable)
            .set({ counter, updatedAt: new Date() })
            .where(
                and(
                    eq(authenticatorsTable.credentialId, credentialId),
                    lt(authenticatorsTable.counter, counter),
                ),
            )
            .returning({ credentialId: authenticatorsTable.credentialId });
        return updated.length > 0;
    }

    async close(): Promise<void> {}
}

function toAuthenticator(row: AuthenticatorRow): StoredAuthenticator {
    return {
        credentialId: row.credentialId,
        smartWalletAddress: row.smartWalletAddress ? getAddress(row.smartWalletAddress) : null,
        userAgent: row.userAgent,
        publicKey: row.publicKey as StoredAuthenticator["publicKey"],
        credentialPublicKey: Buffer.from(row.credentialPublicKey.slice(2), "hex"),
        counter: row.counter,
        credentialDeviceType: row.credentialDeviceType,
        credentialBackedUp: row.credentialBackedUp,
        ...(row.transports ? { transports: row.transports } : {}),
    };
}

function bytesToHexString(bytes: Uint8Array): Hex {
    return `0x${Buffer.from(bytes).toString("hex")}`;
}
