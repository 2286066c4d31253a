/**
 * Test program of test/e2e/secrets.test.ts (not an example): a job ARN taken from a config secret,
 * read, gated on, and read again once the gate has passed.
 */
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";

const config = new pulumi.Config();
const jobArn = config.requireSecret("jobArn");

// A secret input makes the lookup's result secret.
const job = braket.getHybridJobOutput({ jobArn });
export const lookedUp = job.apply((j) => ({ jobArn: j.jobArn, jobName: j.jobName, status: j.status, resultsS3Uri: j.resultsS3Uri }));

// The gate on the same (secret) ARN: messages show [secret] instead of the ARN.
const gate = new braket.HybridJobCompletion("gate", { jobArn, initialIntervalSeconds: 1, maxIntervalSeconds: 2, timeoutSeconds: 120 });
export const gateJobArn = gate.jobArn;
export const gateStatus = gate.status;
export const gateResultsS3Uri = gate.resultsS3Uri;

// Read again once the gate has passed: during a preview, with the gate still to be created, this
// is unknown and makes no request; during an update it sees the job as the gate left it.
const afterGate = braket.getHybridJobOutput({ jobArn }, { dependsOn: [gate] });
export const statusAfterGate = afterGate.status;
