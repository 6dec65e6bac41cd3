/**
 * Job names are advisory-lock keys: one runner per job cluster-wide. A renamed job keeps its
 * lock on its former name, so an instance of the previous release (old name) and one of this
 * release (new name) never run it at once. Needs PostgreSQL (PGlite is one process: no locks).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { JobScheduler } from "../../src/infrastructure/jobs";
import { createLogger } from "../../src/infrastructure/logger";
import { type DatabaseHandle, openDatabase } from "../../src/infrastructure/persistence";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const onPostgres = Boolean(process.env.DATABASE_URL);
if (!onPostgres) console.log("job lock tests skipped: they need DATABASE_URL (PostgreSQL)");

let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
    if (!onPostgres) return;
    database = await createTestDatabase();
    handle = await openDatabase(database.config);
});

afterAll(async () => {
    await handle?.close();
    await database?.drop();
});

const never = "0 0 0 1 1 *";

test.skipIf(!onPostgres)(
    "a renamed job's lock stays on its former name; other jobs are not held back",
    async () => {
        const logger = createLogger("silent");
        const previousRelease = new JobScheduler(handle, logger);
        const thisRelease = new JobScheduler(handle, logger);
        let release = () => {};
        const holding = new Promise<void>((resolve) => {
            release = resolve;
        });
        let entered = () => {};
        const oldRunStarted = new Promise<void>((resolve) => {
            entered = resolve;
        });
        const runs = { renamed: 0, other: 0 };
        const oldJob = previousRelease.register({
            name: "forwardLeads",
            schedule: never,
            run: async () => {
                entered();
                await holding;
            },
        });
        const renamed = thisRelease.register({
            name: "wallet.forwardLeads",
            formerName: "forwardLeads",
            schedule: never,
            run: async () => {
                runs.renamed++;
            },
        });
        const other = thisRelease.register({
            name: "wallet.indexRewards",
            schedule: never,
            run: async () => {
                runs.other++;
            },
        });
        expect(renamed.name).toBe("wallet.forwardLeads");

        const oldRun = oldJob.runNow();
        await oldRunStarted;
        await renamed.runNow();
        await other.runNow();
        expect(runs).toEqual({ renamed: 0, other: 1 });

        release();
        await oldRun;
        await renamed.runNow();
        expect(runs).toEqual({ renamed: 1, other: 1 });
        await Promise.all([previousRelease.stop(), thisRelease.stop()]);
    },
);

test.skipIf(!onPostgres)(
    "a wake-up during a run is not run after stop(); an explicit runNow still is",
    async () => {
        const scheduler = new JobScheduler(handle, createLogger("silent"));
        let runs = 0;
        let release = () => {};
        const job = scheduler.register({
            name: "test.stopDuringRun",
            schedule: never,
            run: async () => {
                runs++;
                if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
            },
        });
        const first = job.runNow();
        while (runs === 0) await Bun.sleep(5);
        job.wake(); // an event arrives while the job runs
        const stopped = scheduler.stop();
        release();
        await stopped;
        await first;
        // The shutdown did not wait for (nor start) the run the late event asked for.
        expect(runs).toBe(1);
        // An operator's (or a test's) explicit run is never dropped.
        await job.runNow();
        expect(runs).toBe(2);
    },
);
