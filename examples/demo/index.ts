/**
 * The pulumi-braket demo (the repository's root Pulumi.yaml; `npm start` runs it against a local
 * Braket endpoint, see start.sh).
 *
 * It reads three hybrid jobs named in stack config: one that COMPLETED, one still RUNNING, one that
 * FAILED. `getHybridJobOutput` reads each job inside the program (during `pulumi preview` too); a
 * `HybridJobCompletion` gate makes `pulumi up` wait until the running job has finished. The failed
 * job is only read, so the update succeeds; set `gateFailedJob: true` to gate on it as well and see
 * a FAILED job fail the update with its failureReason. It also lists the region's newest jobs
 * (`getHybridJobsOutput`), for when no ARN is at hand.
 */
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";

const config = new pulumi.Config();
const completedJobArn = config.require("completedJobArn");
const runningJobArn = config.require("runningJobArn");
const failedJobArn = config.require("failedJobArn");
const gateFailedJob = config.getBoolean("gateFailedJob") ?? false;
const gateTimeoutSeconds = config.getNumber("gateTimeoutSeconds") ?? 300;

/** What the demo shows of a job: where it writes, and how it stands. */
function describe(job: pulumi.Output<braket.GetHybridJobResult>) {
    return job.apply((j) => ({
        jobName: j.jobName,
        status: j.status,
        failureReason: j.failureReason ?? null,
        outputS3Path: j.outputS3Path,
        resultsS3Uri: j.resultsS3Uri,
        checkpointS3Uri: j.checkpointS3Uri ?? null,
    }));
}

// 1. Read the jobs. Each lookup is one GetJob request, made while the program runs (so `pulumi
//    preview` shows these values too).
const completedJob = braket.getHybridJobOutput({ jobArn: completedJobArn });
export const completed = describe(completedJob);
/** The running job as it was when the program started. */
export const running = describe(braket.getHybridJobOutput({ jobArn: runningJobArn }));
export const failed = describe(braket.getHybridJobOutput({ jobArn: failedJobArn }));

// 2. Find jobs without their ARN: the newest jobs of the completed job's region (SearchJobs, every
//    page, newest first). A name lookup works the same way: getHybridJobOutput({ jobName, mostRecent: true }).
export const recentJobs = braket
    .getHybridJobsOutput({ region: completedJob.region, maxResults: 5 })
    .apply((list) => list.jobs.map((j) => `${j.createdAt} ${j.status.padEnd(9)} ${j.jobName}`));

// 3. Gate on the running job: `pulumi up` waits here until it is terminal (polling every 1-2 s,
//    for the demo; the default backs off up to a minute). `pulumi preview` never waits, and once the
//    gate exists an unchanged jobArn does not wait again.
const polling = { initialIntervalSeconds: 1, maxIntervalSeconds: 2, timeoutSeconds: gateTimeoutSeconds };
const training = new braket.HybridJobCompletion("training", { jobArn: runningJobArn, ...polling });

/** The gate's result: the job as it was when it finished. */
export const gate = pulumi
    .all([training.jobName, training.status, training.endedAt, training.resultsS3Uri, training.checkpointS3Uri])
    .apply(([jobName, status, endedAt, resultsS3Uri, checkpointS3Uri]) => ({
        jobName,
        status,
        endedAt: endedAt ?? null,
        resultsS3Uri,
        checkpointS3Uri: checkpointS3Uri ?? null,
    }));

// 4. Optionally gate on the failed job too: the update then fails with the job's name, ARN, status
//    and failureReason, and nothing that depends on this gate is deployed.
if (gateFailedJob) {
    new braket.HybridJobCompletion("failed-training", { jobArn: failedJobArn, ...polling });
}
