/**
 * Big orders and failing orders (issue 15, item 8): an order with 10,000 line items is stored
 * whole (chunked inserts in the same transaction) instead of "processed: false" with the failed
 * SQL and its parameters in the body; and the log never holds bound parameters.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { createLogger } from "../../src/infrastructure/logger";
import { type OracleFixture, sendShopify, shopifyOrder, startOracleFixture } from "./helpers";

let oracle: OracleFixture;

beforeAll(async () => {
    oracle = await startOracleFixture();
}, 120_000);
afterAll(() => oracle.app.stop());

function rowsOf<Row>(result: unknown): Row[] {
    if (Array.isArray(result)) return result as Row[];
    return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

describe("big and refused orders", () => {
    test("an order with 10,000 line items is stored whole and acknowledged", async () => {
        const lines = Array.from({ length: 10_000 }, (_, index) => ({
            id: 900_000 + index,
            product_id: 700_000 + index,
            quantity: 1,
            price: "1.00",
            name: `Line ${index}`,
            title: `Line ${index}`,
        }));
        const response = await sendShopify(
            oracle,
            shopifyOrder(8001, "paid", { line_items: lines, total_price: "10000.00" }),
        );
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("ok");
        const result = await oracle.app.infra.database.db.execute(
            sql`select count(*)::int as count from product_oracle_purchase_item`,
        );
        expect(rowsOf<{ count: number }>(result)[0]?.count).toBe(10_000);
    }, 120_000);

    test("a logged query error keeps its SQL but never its bound parameters", async () => {
        const lines: string[] = [];
        const logger = createLogger("info", {
            destination: new Writable({
                write(chunk, _encoding, done) {
                    lines.push(String(chunk));
                    done();
                },
            }),
        });
        const secret = "whsec-do-not-log-0123456789";
        const error = await oracle.app.infra.database.db
            .execute(sql`select ${secret}::int as boom`)
            .then(() => undefined)
            .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(Error);
        expect(String((error as Error).message)).toContain(secret);
        logger.warn({ err: error }, "query failed");
        const output = lines.join("");
        expect(output).toContain("select $1::int");
        expect(output).not.toContain(secret);
        expect(output).toContain("[redacted]");
    });
});
