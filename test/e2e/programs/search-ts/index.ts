/**
 * Test program of test/e2e/search.test.ts (not an example; examples/yaml-search is the same in
 * Pulumi YAML): hybrid jobs found by their name, SearchJobs then GetJob, without an ARN in config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";

const config = new pulumi.Config();
const jobName = config.require("jobName");

// The newest COMPLETED run of the name: a RUNNING or FAILED newer run is skipped.
const latest = braket.getHybridJobOutput({ jobName, statuses: ["COMPLETED"], mostRecent: config.getBoolean("mostRecent") ?? true });
export const latestCompletedArn = latest.jobArn;
export const latestCompletedOutputS3Path = latest.outputS3Path;
export const latestCompletedResultsS3Uri = latest.resultsS3Uri;

// Every run of the name, newest first, the first maxResults of them.
const runs = braket.getHybridJobsOutput({ jobName, maxResults: config.getNumber("maxResults") ?? 3 });
export const runArns = runs.jobArns;
export const runMatchCount = runs.matchCount;
export const runTruncated = runs.truncated;
export const runRegion = runs.region;

// A gate on the newest run, whatever its status: found once, when the gate is created.
const gate = new braket.HybridJobCompletion("nightly", {
    jobName,
    mostRecent: true,
    initialIntervalSeconds: 1,
    maxIntervalSeconds: 2,
    timeoutSeconds: 120,
});
export const gateJobArn = gate.jobArn;
export const gateStatus = gate.status;
