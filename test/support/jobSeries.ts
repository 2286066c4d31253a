/**
 * Seed jobs for searches: several runs of one job name (a nightly training), each a copy of a
 * fixture job with its own UUID ARN, status and creation time. Deterministic: the same arguments
 * give the same jobs.
 */
import { createHash } from "node:crypto";
import { fixtureJobs } from "./emulator";

export interface SeriesOptions {
    /** The job name every run has. */
    name: string;
    /** One status per run, oldest first. */
    statuses: string[];
    /** createdAt of the oldest run; each next run one day later. */
    firstCreatedAt?: string;
    /** Hours between runs (default 24). */
    everyHours?: number;
    region?: string;
    device?: string;
}

/** A UUID (v4 form) derived from a text, so a series has stable ARNs. */
export function uuidFrom(text: string): string {
    const h = createHash("sha256").update(text).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The runs of a series, oldest first (the emulator's and the provider's order is newest first). */
export function jobSeries(options: SeriesOptions): Record<string, unknown>[] {
    const base = fixtureJobs().find((j) => j.jobName === "vqe-h2-https-output") as Record<string, unknown>;
    const region = options.region ?? "us-east-1";
    const first = Date.parse(options.firstCreatedAt ?? "2026-11-01T02:00:00Z");
    const step = (options.everyHours ?? 24) * 3_600_000;
    return options.statuses.map((status, i) => {
        const createdAt = new Date(first + i * step).toISOString();
        const arn = `arn:aws:braket:${region}:123456789012:job/${uuidFrom(`${options.name}/${region}/${i}`)}`;
        const terminal = ["COMPLETED", "FAILED", "CANCELLED"].includes(status);
        const job: Record<string, unknown> = {
            ...base,
            jobArn: arn,
            jobName: options.name,
            status,
            createdAt,
            startedAt: status === "QUEUED" ? undefined : new Date(first + i * step + 60_000).toISOString(),
            endedAt: terminal ? new Date(first + i * step + 3_600_000).toISOString() : undefined,
            outputDataConfig: { s3Path: `s3://amzn-braket-results/jobs/${options.name}/${i}` },
            deviceConfig: { device: options.device ?? "arn:aws:braket:::device/quantum-simulator/amazon/sv1" },
            ...(status === "FAILED" ? { failureReason: "AlgorithmError: run failed" } : {}),
        };
        delete job.events;
        return Object.fromEntries(Object.entries(job).filter(([, v]) => v !== undefined));
    });
}
