/**
 * read-outputs: read an Amazon Braket hybrid job by ARN (from stack config) and export what other
 * stacks, scripts and people need from it: its status, where it writes, its hyperparameters.
 *
 * It creates no cloud resources. The lookups run in the braket provider plugin
 * (pulumi-resource-braket), which reads the job from the region of its ARN (unless the stack sets
 * braket:region), with the braket provider's stack config (braket:profile, braket:endpoint) or else
 * the AWS SDK's usual environment (AWS_PROFILE, AWS_ENDPOINT_URL_BRAKET, ...).
 */
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";

const config = new pulumi.Config();
const jobArn = config.require("jobArn");

// 1. The Output form: takes Inputs, returns an Output, ready to export or to pass to resources.
//    Every field of GetJob is there, plus conveniences (resultsS3Uri = <s3Path>/output/model.tar.gz).
const job = braket.getHybridJobOutput({ jobArn });

/** The job's own name, as Braket reports it (a job ARN ends in a UUID, not the name). */
export const jobName = job.jobName;
export const status = job.status;
export const outputS3Path = job.outputS3Path;
export const resultsS3Uri = job.resultsS3Uri;
/** null when the job has no checkpoint configuration (an undefined stack output would be dropped, with a warning). */
export const checkpointS3Uri = job.apply((j) => j.checkpointS3Uri ?? null);
/** {} when the job was started without hyperparameters. */
export const hyperParameters = job.apply((j) => j.hyperParameters ?? {});

// 2. The Promise form: `await` it for plain values, to decide or to format. In a real run this
//    lookup is identical to the one above: the plugin sends one GetJob request for identical
//    lookups in flight at the same time, and reuses a finished read only for a terminal job.
async function describe(): Promise<string> {
    const j = await braket.getHybridJob({ jobArn });
    if (j.status === "COMPLETED") {
        return `${j.jobName} COMPLETED at ${j.endedAt ?? "an unrecorded time"}; results at ${j.resultsS3Uri}`;
    }
    if (j.isTerminal) {
        return `${j.jobName} ended ${j.status}: ${j.failureReason ?? "no failure reason given"}`;
    }
    return `${j.jobName} is ${j.status}; its results will be at ${j.resultsS3Uri}`;
}
export const summary = pulumi.output(describe());

// 3. dependsOn: read only once other resources exist, e.g. the aws.s3.BucketObjectv2 that uploads
//    the job's input data, or a braket.HybridJobCompletion gate. A component in dependsOn stands
//    for the custom resources inside it: the read waits until they exist (during a preview, while
//    one is still to be created, the result is unknown and no request is made), and everything
//    built from the result depends on them. The component below is an empty stand-in that keeps
//    this example free of the AWS plugin, so here the read does not actually wait. This lookup also
//    asks for QueueInfo, so it is a request of its own.
class Prerequisites extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("braket-examples:index:Prerequisites", name, {}, opts);
        this.registerOutputs({});
    }
}
const prerequisites = new Prerequisites("prerequisites");
const withQueueInfo = braket.getHybridJobOutput({ jobArn, additionalAttributeNames: ["QueueInfo"] }, { dependsOn: [prerequisites] });

/** The job's place in the jobs queue while QUEUED; "None" otherwise. */
export const queuePosition = withQueueInfo.apply((j) => j.queueInfo?.position ?? "None");
