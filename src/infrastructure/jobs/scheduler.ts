import { Cron } from "croner";
import { keccak256, toBytes } from "viem";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import type { DatabaseHandle } from "../persistence";

export type JobDefinition = {
    /** Unique name; also the advisory lock's key (hashed), so one runner per name cluster-wide. */
    name: string;
    /** croner pattern (6 fields = with seconds), e.g. every 30 s: `* /30 * * * * *` without the space. */
    schedule: string;
    run(): Promise<void>;
};

export type Job = {
    readonly name: string;
    /** Asks for a run soon: events only wake jobs early, the database stays the queue. */
    wake(): void;
    /** Runs now and resolves when this run (or the one in progress plus a re-run) is done. */
    runNow(): Promise<void>;
};

/**
 * Schedules jobs in this process. Each run takes a PostgreSQL advisory lock named after the job,
 * so any number of instances may schedule the same job while only one runs it at a time; an
 * in-process flag collapses wake-ups that arrive during a run into one follow-up run.
 */
export class JobScheduler {
    private readonly crons: Cron[] = [];
    private readonly schedules: Array<{ name: string; pattern: string; run: () => void }> = [];
    private readonly running = new Set<Promise<void>>();
    private stopped = false;

    constructor(
        private readonly database: DatabaseHandle,
        private readonly logger: Logger,
        private readonly metrics?: Metrics,
    ) {}

    register(definition: JobDefinition): Job {
        const lockKey = BigInt.asIntN(64, BigInt(keccak256(toBytes(`job:${definition.name}`))));
        let current: Promise<void> | null = null;
        let rerunRequested = false;

        const execute = async () => {
            const startedAt = performance.now();
            try {
                const ran = await this.database.withAdvisoryLock(lockKey, definition.run);
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
                        { job: definition.name, ms: Math.round(performance.now() - startedAt) },
                        "job run",
                    );
                }
            } catch (error) {
                this.metrics?.jobRuns.inc({ job: definition.name, outcome: "failed" });
                this.logger.error({ job: definition.name, err: error }, "job failed");
            }
        };
        const runNow = (): Promise<void> => {
            if (this.stopped) return Promise.resolve();
            if (current) {
                rerunRequested = true;
                return current;
            }
            current = (async () => {
                do {
                    rerunRequested = false;
                    await execute();
                } while (rerunRequested && !this.stopped);
            })().finally(() => {
                if (current) this.running.delete(current);
                current = null;
            });
            this.running.add(current);
            return current;
        };

        this.schedules.push({
            name: definition.name,
            pattern: definition.schedule,
            run: () => void runNow(),
        });
        return { name: definition.name, wake: () => void runNow(), runNow };
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

    /** Stops the schedules and waits for runs in progress. */
    async stop(): Promise<void> {
        this.stopped = true;
        for (const cron of this.crons) cron.stop();
        await Promise.allSettled([...this.running]);
    }
}
