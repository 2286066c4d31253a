/**
 * pipeline-wiring: feed an Amazon Braket hybrid job's outputs into a pipeline.
 *
 *  - an SSM parameter holds the job's results URI, for scripts and other pipelines;
 *  - a Step Functions state machine post-processes the job's output: it lists what the job wrote
 *    under its output prefix and checks the results object (model.tar.gz);
 *  - an EventBridge rule starts that state machine when Braket reports the job COMPLETED.
 *
 * Every S3 location comes from the job itself (getHybridJobOutput), so the pipeline follows the
 * job's real outputDataConfig. All regional resources go to the job's own region, where Braket
 * writes and where its events are delivered.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";

const config = new pulumi.Config();
const jobArn = config.require("jobArn");

const job = braket.getHybridJobOutput({ jobArn });
const region = job.region;

/** `<prefix>/`, or "" for output written at the bucket's root. */
const outputPrefix = job.outputS3KeyPrefix.apply((prefix) => (prefix === "" ? "" : `${prefix}/`));

// The results URI, for consumers outside Pulumi: `aws ssm get-parameter --name /braket/jobs/<name>/results-uri`.
const resultsParameter = new aws.ssm.Parameter("results-uri", {
    region,
    name: pulumi.interpolate`/braket/jobs/${job.jobName}/results-uri`,
    type: aws.ssm.ParameterType.String,
    value: job.resultsS3Uri,
    description: pulumi.interpolate`Results of Amazon Braket hybrid job ${job.jobName} (${job.jobArn})`,
});

// What the state machine may read: the job's output prefix, and nothing else.
const machineRole = new aws.iam.Role("postprocess", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicy("postprocess-read-output", {
    role: machineRole.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: pulumi.interpolate`arn:${job.partition}:s3:::${job.outputS3Bucket}`,
                Condition: { StringLike: { "s3:prefix": pulumi.interpolate`${outputPrefix}*` } },
            },
            {
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: pulumi.interpolate`arn:${job.partition}:s3:::${job.outputS3Bucket}/${outputPrefix}*`,
            },
        ],
    }),
});

// The post-processing pipeline, built from the job's outputs: ListOutputs lists what the job wrote
// under its output prefix, CheckResults reads the results object's size and ETag, Describe hands
// the locations on. Replace or extend the last state with your own processing.
const definition = pulumi.jsonStringify({
    Comment: pulumi.interpolate`Post-process the outputs of Amazon Braket hybrid job ${job.jobName}`,
    StartAt: "ListOutputs",
    States: {
        ListOutputs: {
            Type: "Task",
            Resource: pulumi.interpolate`arn:${job.partition}:states:::aws-sdk:s3:listObjectsV2`,
            Parameters: { Bucket: job.outputS3Bucket, Prefix: outputPrefix },
            ResultSelector: { "keyCount.$": "$.KeyCount" },
            ResultPath: "$.outputs",
            Next: "CheckResults",
        },
        CheckResults: {
            Type: "Task",
            Resource: pulumi.interpolate`arn:${job.partition}:states:::aws-sdk:s3:headObject`,
            Parameters: { Bucket: job.outputS3Bucket, Key: job.resultsS3Key },
            ResultSelector: { "contentLength.$": "$.ContentLength", "eTag.$": "$.ETag" },
            ResultPath: "$.results",
            Next: "Describe",
        },
        Describe: {
            Type: "Pass",
            Parameters: {
                jobArn: job.jobArn,
                jobName: job.jobName,
                outputS3Path: job.outputS3Path,
                resultsS3Uri: job.resultsS3Uri,
                "objectsUnderOutputPrefix.$": "$.outputs.keyCount",
                "results.$": "$.results",
            },
            End: true,
        },
    },
});
const machine = new aws.sfn.StateMachine("postprocess", { region, roleArn: machineRole.arn, definition });

// Start the pipeline when Braket reports this job COMPLETED ("Braket Job State Change" events carry
// the job's ARN and status in their detail). A job that had already completed when this was
// deployed sends no more events: start the state machine yourself (see the README).
const completed = new aws.cloudwatch.EventRule("job-completed", {
    region,
    description: pulumi.interpolate`Amazon Braket hybrid job ${job.jobName} COMPLETED`,
    eventPattern: pulumi.jsonStringify({
        source: ["aws.braket"],
        "detail-type": ["Braket Job State Change"],
        detail: { jobArn: [job.jobArn], status: ["COMPLETED"] },
    }),
});
const eventsRole = new aws.iam.Role("start-postprocess", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicy("start-postprocess", {
    role: eventsRole.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "states:StartExecution", Resource: machine.arn }],
    }),
});
new aws.cloudwatch.EventTarget("start-postprocess", { region, rule: completed.name, arn: machine.arn, roleArn: eventsRole.arn });

export const jobName = job.jobName;
export const jobStatus = job.status;
export const resultsS3Uri = job.resultsS3Uri;
export const resultsParameterName = resultsParameter.name;
export const stateMachineArn = machine.arn;
