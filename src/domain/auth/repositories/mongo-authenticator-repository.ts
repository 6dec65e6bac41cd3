import { Binary, type Collection, MongoClient, MongoServerError } from "mongodb";
import { type Address, getAddress, type Hex } from "viem";
import type { AuthenticatorRepository, StoredAuthenticator } from "./authenticator-repository";

/** The seed's document in `nexus.authenticators` (kept as the seed stores it, so an existing collection is read as is). */
type AuthenticatorDocument = {
    _id: string;
    smartWalletAddress?: string;
    userAgent: string;
    publicKey: { x: string; y: string; prefix?: number };
    credentialPublicKey: Binary;
    counter: number;
    credentialDeviceType: string;
    credentialBackedUp: boolean;
    transports?: string[];
};

const duplicateKeyCode = 11000;

/**
 * Authenticators in the seed's MongoDB collection (`AUTHENTICATOR_STORE=mongo`), so an operator
 * can switch to this backend and keep every registered passkey. The database is the one named in
 * the URL, `nexus` (the seed's) when the URL names none.
 */
export class MongoAuthenticatorRepository implements AuthenticatorRepository {
    private readonly client: MongoClient;
    private readonly collection: Collection<AuthenticatorDocument>;

    constructor(url: string, options: { collection?: string } = {}) {
        // The driver connects on first use; short timeouts turn an unreachable server into an error.
        this.client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
        const databaseName = new URL(url).pathname.replace(/^\//, "") || "nexus";
        this.collection = this.client
            .db(databaseName)
            .collection<AuthenticatorDocument>(options.collection ?? "authenticators");
    }

    async findById(credentialId: string): Promise<StoredAuthenticator | null> {
        const document = await this.collection.findOne({ _id: credentialId });
        return document ? toAuthenticator(document) : null;
    }

    async findByWallet(wallet: Address): Promise<StoredAuthenticator[]> {
        // The seed stored addresses as sent (usually checksummed): match both usual spellings.
        const spellings = [getAddress(wallet), wallet.toLowerCase()];
        const documents = await this.collection
            .find({ smartWalletAddress: { $in: spellings } })
            .toArray();
        return documents.map(toAuthenticator);
    }

    async insert(authenticator: StoredAuthenticator): Promise<boolean> {
        try {
            await this.collection.insertOne({
                _id: authenticator.credentialId,
                ...(authenticator.smartWalletAddress
                    ? { smartWalletAddress: authenticator.smartWalletAddress }
                    : {}),
                userAgent: authenticator.userAgent,
                publicKey: authenticator.publicKey,
                credentialPublicKey: new Binary(authenticator.credentialPublicKey),
                counter: authenticator.counter,
                credentialDeviceType: authenticator.credentialDeviceType,
                credentialBackedUp: authenticator.credentialBackedUp,
                ...(authenticator.transports ? { transports: authenticator.transports } : {}),
            });
            return true;
        } catch (error) {
            // The implicit unique `_id` index makes the insert atomic (the seed checked first).
            if (error instanceof MongoServerError && error.code === duplicateKeyCode) return false;
            throw error;
        }
    }

    async advanceCounter(credentialId: string, counter: number): Promise<boolean> {
        const result = await this.collection.updateOne(
            { _id: credentialId, counter: { $lt: counter } },
            { $set: { counter } },
        );
        return result.modifiedCount > 0;
    }

    close(): Promise<void> {
        return this.client.close();
    }
}

function toAuthenticator(document: AuthenticatorDocument): StoredAuthenticator {
    return {
        credentialId: document._id,
        smartWalletAddress: document.smartWalletAddress
            ? getAddress(document.smartWalletAddress)
            : null,
        userAgent: document.userAgent,
        publicKey: document.publicKey as StoredAuthenticator["publicKey"] & { x: Hex; y: Hex },
        credentialPublicKey: new Uint8Array(document.credentialPublicKey.buffer),
        counter: document.counter ?? 0,
        credentialDeviceType: document.credentialDeviceType,
        credentialBackedUp: document.credentialBackedUp,
        ...(document.transports ? { transports: document.transports } : {}),
    };
}
