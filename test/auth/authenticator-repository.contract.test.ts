/**
 * One contract, two stores: the PostgreSQL table (default) and the seed's MongoDB collection.
 * The MongoDB run needs MONGODB_URL (no MongoDB server can run on this machine kind); without it
 * the suite says so and is skipped.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { MongoClient } from "mongodb";
import { getAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type {
    AuthenticatorRepository,
    StoredAuthenticator,
} from "../../src/domain/auth/repositories/authenticator-repository";
import { MongoAuthenticatorRepository } from "../../src/domain/auth/repositories/mongo-authenticator-repository";
import { PostgresAuthenticatorRepository } from "../../src/domain/auth/repositories/postgres-authenticator-repository";
import { openDatabase } from "../../src/infrastructure/persistence";
import { createTestDatabase } from "../support/test-database";

type Store = { repository: AuthenticatorRepository; dispose(): Promise<void> };

const mongoUrl = process.env.MONGODB_URL;
if (!mongoUrl) {
    console.warn(
        "[authenticator-repository] MongoDB contract run skipped: set MONGODB_URL to run it against a MongoDB server",
    );
}

const stores: Array<{ name: string; enabled: boolean; open(): Promise<Store> }> = [
    {
        name: "PostgreSQL",
        enabled: true,
        async open() {
            const database = await createTestDatabase();
            const handle = await openDatabase(database.config);
            await handle.migrate();
            return {
                repository: new PostgresAuthenticatorRepository(handle.db),
                async dispose() {
                    await handle.close();
                    await database.drop();
                },
            };
        },
    },
    {
        name: "MongoDB",
        enabled: Boolean(mongoUrl),
        async open() {
            const url = mongoUrl as string;
            const collection = `authenticators_test_${randomBytes(4).toString("hex")}`;
            const repository = new MongoAuthenticatorRepository(url, { collection });
            return {
                repository,
                async dispose() {
                    await repository.close();
                    const admin = new MongoClient(url);
                    const name = new URL(url).pathname.replace(/^\//, "") || "nexus";
                    await admin
                        .db(name)
                        .collection(collection)
                        .drop()
                        .catch(() => {});
                    await admin.close();
                },
            };
        },
    },
];

function anAuthenticator(overrides: Partial<StoredAuthenticator> = {}): StoredAuthenticator {
    const hex = (size: number) => `0x${randomBytes(size).toString("hex")}` as Hex;
    return {
        credentialId: randomBytes(16).toString("base64url"),
        smartWalletAddress: privateKeyToAccount(generatePrivateKey()).address,
        userAgent: "Mozilla/5.0 test",
        publicKey: { x: hex(32), y: hex(32), prefix: 4 },
        credentialPublicKey: new Uint8Array(randomBytes(77)),
        counter: 0,
        credentialDeviceType: "multiDevice",
        credentialBackedUp: true,
        transports: ["internal", "hybrid"],
        ...overrides,
    };
}

for (const store of stores) {
    describe.skipIf(!store.enabled)(`AuthenticatorRepository on ${store.name}`, () => {
        let opened: Store;
        let repository: AuthenticatorRepository;
        beforeAll(async () => {
            opened = await store.open();
            repository = opened.repository;
        });
        afterAll(async () => {
            await opened?.dispose();
        });

        test("insert then find by id returns the same authenticator", async () => {
            const authenticator = anAuthenticator();
            expect(await repository.insert(authenticator)).toBe(true);
            const found = await repository.findById(authenticator.credentialId);
            expect(found).toEqual({
                ...authenticator,
                credentialPublicKey: expect.any(Uint8Array),
            });
            expect(Buffer.from(found?.credentialPublicKey ?? [])).toEqual(
                Buffer.from(authenticator.credentialPublicKey),
            );
            expect(await repository.findById("unknown-credential")).toBeNull();
        });

        test("optional fields may be absent", async () => {
            const { transports: _, ...withoutTransports } = anAuthenticator({
                smartWalletAddress: null,
            });
            expect(await repository.insert(withoutTransports)).toBe(true);
            const found = await repository.findById(withoutTransports.credentialId);
            expect(found?.smartWalletAddress).toBeNull();
            expect(found?.transports).toBeUndefined();
        });

        test("a second insert of the same id is refused and changes nothing", async () => {
            const authenticator = anAuthenticator();
            expect(await repository.insert(authenticator)).toBe(true);
            const duplicate = { ...anAuthenticator(), credentialId: authenticator.credentialId };
            expect(await repository.insert(duplicate)).toBe(false);
            const found = await repository.findById(authenticator.credentialId);
            expect(found?.publicKey).toEqual(authenticator.publicKey);
        });

        test("find by wallet, whatever the address case", async () => {
            const wallet = privateKeyToAccount(generatePrivateKey()).address;
            const first = anAuthenticator({ smartWalletAddress: wallet });
            const second = anAuthenticator({ smartWalletAddress: wallet });
            await repository.insert(first);
            await repository.insert(second);
            await repository.insert(anAuthenticator());
            for (const spelling of [wallet, wallet.toLowerCase() as Hex]) {
                const found = await repository.findByWallet(spelling);
                expect(found.map((a) => a.credentialId).sort()).toEqual(
                    [first.credentialId, second.credentialId].sort(),
                );
                expect(found[0]?.smartWalletAddress).toBe(getAddress(wallet));
            }
        });

        test("the counter only moves forward", async () => {
            const authenticator = anAuthenticator({ counter: 3 });
            await repository.insert(authenticator);
            expect(await repository.advanceCounter(authenticator.credentialId, 3)).toBe(false);
            expect(await repository.advanceCounter(authenticator.credentialId, 2)).toBe(false);
            expect(await repository.advanceCounter(authenticator.credentialId, 9)).toBe(true);
            expect((await repository.findById(authenticator.credentialId))?.counter).toBe(9);
            expect(await repository.advanceCounter("unknown-credential", 100)).toBe(false);
        });

        test("two concurrent updates to the same counter: exactly one wins", async () => {
            const authenticator = anAuthenticator();
            await repository.insert(authenticator);
            const results = await Promise.all([
                repository.advanceCounter(authenticator.credentialId, 5),
                repository.advanceCounter(authenticator.credentialId, 5),
            ]);
            expect(results.filter(Boolean)).toHaveLength(1);
        });
    });
}
