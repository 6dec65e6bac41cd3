import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getAddress, type Hex, pad } from "viem";
import {
    interactionsPendingTable,
    interactionsPushedTable,
} from "../../src/domain/interactions/db/schema";
import { startTestApp, type TestApp } from "../support/test-app";

const productA = pad("0xa", { size: 32 });
const productB = pad("0xb", { size: 32 });
const alice = getAddress("0x00000000000000000000000000000000000a11ce");
const bob = getAddress("0x0000000000000000000000000000000000000b0b");
const carol = getAddress("0x00000000000000000000000000000000000ca201");

let t: TestApp;
let counter = 0;
const nextId = () => pad(`0x${(++counter).toString(16)}`, { size: 32 });

beforeAll(async () => {
    t = await startTestApp();
    const db = t.infra.database.db;
    const row = (wallet: Hex, productId: Hex, createdAt: Date) => ({
        interactionId: nextId(),
        wallet: wallet.toLowerCase() as Hex,
        productId,
        typeDenominator: "0x1e" as Hex,
        interactionData: "0xb2c0f17c" as Hex,
        createdAt,
    });
    // alice: 2 pushed + 1 pending on A, first at t=1000 s; bob: 1 pending on A at 5000 s;
    // carol: 1 pushed on B.
    await db.insert(interactionsPushedTable).values([
        {
            ...row(alice, productA, new Date(1_000_000)),
            signature: "0x01",
            txHash: "0x02",
            blockNumber: 1n,
        },
        {
            ...row(alice, productA, new Date(2_000_000)),
            signature: "0x01",
            txHash: "0x02",
            blockNumber: 1n,
        },
        {
            ...row(carol, productB, new Date(3_000_000)),
            signature: "0x01",
            txHash: "0x02",
            blockNumber: 1n,
        },
    ]);
    await db
        .insert(interactionsPendingTable)
        .values([
            row(alice, productA, new Date(4_000_000)),
            row(bob, productA, new Date(5_000_000)),
        ]);
}, 60_000);
afterAll(() => t?.stop());

describe("audience (read API for notifications)", () => {
    test("wallets that interacted with products, pushed or pending", async () => {
        const { audience } = t.domains.interactions;
        expect((await audience.walletsInteractedWith([productA])).sort()).toEqual(
            [alice, bob].sort(),
        );
        expect(await audience.walletsInteractedWith(["0xb"])).toEqual([carol]);
        expect(await audience.walletsInteractedWith([])).toEqual([]);
    });

    test("filters on interaction count and first interaction time (seconds)", async () => {
        const { audience } = t.domains.interactions;
        expect(
            await audience.walletsInteractedWith([productA], { interactions: { min: 2 } }),
        ).toEqual([alice]);
        expect(
            await audience.walletsInteractedWith([productA], { interactions: { max: 1 } }),
        ).toEqual([bob]);
        expect(
            await audience.walletsInteractedWith([productA], {
                firstInteractionTimestamp: { min: 2000 },
            }),
        ).toEqual([bob]);
        expect(
            await audience.walletsInteractedWith([productA, productB], {
                firstInteractionTimestamp: { max: 3000 },
            }),
        ).toEqual(expect.arrayContaining([alice, carol]));
    });

    test("walletsAmong keeps the given wallets that interacted", async () => {
        const { audience } = t.domains.interactions;
        expect(await audience.walletsAmong([bob, carol], [productA])).toEqual([bob]);
        expect(
            (
                await audience.walletsAmong([alice.toLowerCase() as Hex, carol] as never, [
                    productA,
                    productB,
                ])
            ).sort(),
        ).toEqual([alice, carol].sort());
    });
});
