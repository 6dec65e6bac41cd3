import { Cron } from "croner";
import { keccak256, toBytes } from "viem";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import type { DatabaseHandle } from "../persistence";

export type JobDefinition<R = unknown> = {
    /**
     * Unique name, `<domain>.<verb phrase>` (`oracle.updateMerkleRoot`): the metrics' and logs'
     * `job` label, and the advisory lock's key (hashed), so one runner per name cluster-wide.
     */
    name: string;
    /**
     * The name a renamed job had before: its lock stays keyed on that name, so an instance still
     * running the previous release and one running this release never run the job at once.
     * Remove once no instance of the previous release runs.
     */
    formerName?: string;
    /** croner pattern (6 fields = with seconds), e.g. every 30 s: `* /30 * * * * *` without the space. */
    schedule: string;
    /** One run; what it returns is its report (logged with the run, returned by `runNow`). */
    run(): Promise<R>;
};

export type Job<R = unknown> = {
    readonly name: string;
    /** Asks for a run soon: events only wake jobs early, the database stays the queue. */
    wake(): void;
    /**
     * Runs now and resolves when this run (or the one in progress plus a re-run) is done, with
     * the report of the last run; undefined when another instance held the job's lock or the
     * run failed (logged). An explicit run still happens after `stop()`: only the schedules and
     * the wake-ups end there (an operator's or a test's run is never dropped silently).
     */
    runNow(): Promise<R | undefined>;
};

/**
 * Schedules jobs in this process. Each run takes a PostgreSQL advisory lock named after the job,
 * so any number of instances may schedule the same job while only one runs it at a time; an
 * in-process flag collapses wake-ups that arrive during a run into one follow-up run.
 */
export class JobScheduler {
    private readonly crons: Cron[] = [];
    private readonly schedules: Array<{ name: string; pattern: string; run: () => void }> = [];
    private readonly running = new Set<Promise<unknown>>();
    private stopped = false;

    constructor(
        private readonly database: DatabaseHandle,
        private readonly logger: Logger,
        private readonly metrics?: Metrics,
    ) {}

    register<R>(definition: JobDefinition<R>): Job<R> {
        const lockName = definition.formerName ?? definition.name;
        const lockKey = BigInt.asIntN(64, BigInt(keccak256(toBytes(`job:${lockName}`))));
        let current: Promise<R | undefined> | null = null;
        let rerunRequested = false;

        const execute = async (): Promise<R | undefined> => {
            const startedAt = performance.now();
            let report: R | undefined;
            try {
                const ran = await this.database.withAdvisoryLock(lockKey, async () => {
                    report = await definition.run();
                });
                this.metrics?.jobRuns.inc({
                    job: definition.name,
                    outcome: ran ? "ran" : "skipped",
                });
                if (ran) {
                    this.metrics?.jobDuration.observe(
                        { job: definition.name },
                        (performance.now() - startedAt) / 1000,
                    );
                    this.logger.debug(
                        {
                            job: definition.name,
                            ms: Math.round(performance.now() - startedAt),
                            report,
                        },
                        "job run",
                    );
                }
                return report;
            } catch (error) {
                this.metrics?.jobRuns.inc({ job: definition.name, outcome: "failed" });
                this.logger.error({ job: definition.name, err: error }, "job failed");
                return undefined;
            }
        };
        // A wake-up during a run asks for one more run; after stop() only an explicit runNow
        // still gets it (a shutdown must not wait for a run that a late event asked for).
        let explicitRerun = false;
        const request = (explicit: boolean): Promise<R | undefined> => {
            if (current) {
                rerunRequested = true;
                explicitRerun ||= explicit;
                return current;
            }
            current = (async () => {
                let report: R | undefined;
                do {
                    rerunRequested = false;
                    explicitRerun = false;
                    report = await execute();
                } while (rerunRequested && (explicitRerun || !this.stopped));
                return report;
            })().finally(() => {
                if (current) this.running.delete(current);
                current = null;
            });
            this.running.add(current);
            return current;
        };

        const runNow = () => request(true);
        const wake = () => {
            if (!this.stopped) void request(false);
        };
        this.schedules.push({ name: definition.name, pattern: definition.schedule, run: wake });
        return { name: definition.name, wake, runNow };
    }

    /** The registered jobs' names, in registration order (the start-up log lists them). */
    get names(): string[] {
        return this.schedules.map((schedule) => schedule.name);
    }

    /** Starts the schedules (the service does; tests usually run jobs with `runNow`). */
    start(): void {
        for (const { pattern, run } of this.schedules) {
            this.crons.push(new Cron(pattern, { protect: true }, run));
        }
    }

    /** Stops the schedules and the wake-ups, and waits for runs in progress. */
    async stop(): Promise<void> {
        this.stopped = true;
        for (const cron of this.crons) cron.stop();
        await Promise.allSettled([...this.running]);
    }
}
