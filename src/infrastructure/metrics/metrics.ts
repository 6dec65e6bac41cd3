import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The service's Prometheus metrics, one registry per app instance (tests run several apps in one
 * process). Domains add their queue depths with `queueDepth`, read at scrape time.
 */
export class Metrics {
    readonly registry = new Registry();

    readonly httpRequests = new Counter({
        name: "http_requests_total",
        help: "HTTP requests by method, matched route and status",
        labelNames: ["method", "route", "status"] as const,
        registers: [this.registry],
    });

    readonly httpDuration = new Histogram({
        name: "http_request_duration_seconds",
        help: "HTTP request latency by method and matched route",
        labelNames: ["method", "route"] as const,
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [this.registry],
    });

    readonly jobRuns = new Counter({
        name: "job_runs_total",
        help: "Job runs by job and outcome (ran, skipped: another instance held the lock, failed)",
        labelNames: ["job", "outcome"] as const,
        registers: [this.registry],
    });

    readonly jobDuration = new Histogram({
        name: "job_run_duration_seconds",
        help: "Duration of job runs",
        labelNames: ["job"] as const,
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
        registers: [this.registry],
    });

    readonly batchSize = new Histogram({
        name: "job_batch_size",
        help: "Items handled per job batch (interactions per on-chain batch, leaves per root, ...)",
        labelNames: ["job"] as const,
        buckets: [1, 5, 10, 25, 50, 100, 200, 500, 1000],
        registers: [this.registry],
    });

    readonly webhookDeliveries = new Counter({
        name: "webhook_deliveries_total",
        help: "Inbound webhook deliveries by source and outcome",
        labelNames: ["source", "outcome"] as const,
        registers: [this.registry],
    });

    constructor() {
        collectDefaultMetrics({ register: this.registry });
    }

    /** A gauge computed when scraped (e.g. pending interactions counted in the database). */
    queueDepth(name: string, help: string, read: () => Promise<number>): void {
        // Wiring the domains again on the same infrastructure replaces the gauge.
        this.registry.removeSingleMetric(name);
        new Gauge({
            name,
            help,
            registers: [this.registry],
            async collect() {
                try {
                    this.set(await read());
                } catch {
                    // A scrape during a database outage reports no value rather than failing.
                    this.reset();
                }
            },
        });
    }
}
