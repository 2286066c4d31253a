/**
 * lookup-many: read several Amazon Braket hybrid jobs at once (a list of ARNs from stack config,
 * duplicates allowed) and export a table of their states plus a count by status.
 *
 * It creates no cloud resources. The lookups run in the braket provider plugin
 * (pulumi-resource-braket), which reads each job from the region of its ARN (unless the stack sets
 * braket:region), with the braket provider's stack config (braket:profile, braket:endpoint) or else
 * the AWS SDK's usual environment (AWS_PROFILE, AWS_ENDPOINT_URL_BRAKET, ...).
 */
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";

const config = new pulumi.Config();
const jobArns = config.requireObject<string[]>("jobArns");
if (!Array.isArray(jobArns) || jobArns.length === 0 || !jobArns.every((arn) => typeof arn === "string")) {
    throw new Error(`${pulumi.getProject()}:jobArns must be a non-empty list of hybrid job ARNs, got ${JSON.stringify(jobArns)}.`);
}

// One lookup per distinct job, in the order the jobs first appear: a job listed twice costs one
// GetJob request. The braket plugin also sends one request for identical lookups in flight at the
// same time (and reuses a finished read of a terminal job), but under Pulumi's mocks no plugin runs
// and every lookup reaches the mocks' `call`; keying the lookups by ARN makes the program read each
// job once in both, and keeps one row per job in the table.
const lookups = new Map<string, pulumi.Output<braket.GetHybridJobResult>>();
for (const jobArn of jobArns) {
    if (!lookups.has(jobArn)) {
        lookups.set(jobArn, braket.getHybridJobOutput({ jobArn }));
    }
}
const all = pulumi.all([...lookups.values()]);

/** One row of the table. */
export interface JobRow {
    jobArn: string;
    /** The name Braket reports for the job (an ARN ends in a UUID, not the name). */
    jobName: string;
    status: braket.HybridJobStatus;
    /** Where the job writes (or wrote) its results: `<s3Path>/output/model.tar.gz`. */
    resultsS3Uri: string;
    /** When the job ended; null while it has not. */
    endedAt: string | null;
}

/** The order of statuses in the summary: the life of a job. */
const STATUS_ORDER: readonly braket.HybridJobStatus[] = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED"];

/** Each distinct job's state, in the order the jobs first appear in jobArns. */
export const jobs = all.apply((list) =>
    list.map((job): JobRow => ({
        jobArn: job.jobArn,
        jobName: job.jobName,
        status: job.status,
        resultsS3Uri: job.resultsS3Uri,
        endedAt: job.endedAt ?? null,
    })),
);

/** How many distinct jobs are in each status (statuses with no job are left out). */
export const countByStatus = all.apply((list) => {
    const counts: Partial<Record<braket.HybridJobStatus, number>> = {};
    for (const status of STATUS_ORDER) {
        const n = list.filter((job) => job.status === status).length;
        if (n > 0) {
            counts[status] = n;
        }
    }
    return counts;
});

/** True when every job listed has COMPLETED. */
export const allCompleted = all.apply((list) => list.every((job) => job.status === "COMPLETED"));

/** How many ARNs were listed, and how many distinct jobs (and so GetJob requests) that made. */
export const requested = jobArns.length;
export const distinct = lookups.size;
