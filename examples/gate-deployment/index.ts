/**
 * gate-deployment: deploy a model only once the Amazon Braket hybrid job that trains it has
 * COMPLETED. A braket.HybridJobCompletion gate waits during `pulumi up`; the resources that serve
 * the model depend on it, so they are created with the job's results, or not at all when the job
 * FAILED, was CANCELLED, or was still running at the timeout (the deployment then fails with the
 * job's name, ARN, status and failure reason).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";

const config = new pulumi.Config();
const jobArn = config.require("jobArn");
/** The longest `pulumi up` waits for the job, in seconds (default 6 hours). */
const timeoutSeconds = config.getNumber("timeoutSeconds") ?? 6 * 3600;

// The gate. `pulumi up` waits here until the job is terminal, polling GetJob with backoff (at most
// every maxIntervalSeconds). `pulumi preview` never waits, and once the gate is created an
// unchanged jobArn does not wait again; a new jobArn replaces the gate and waits for that job.
const trained = new braket.HybridJobCompletion("training", {
    jobArn,
    timeoutSeconds,
    maxIntervalSeconds: 60,
});

// Not gated: the serving bucket is created while the gate waits.
const serving = new aws.s3.Bucket("serving", { forceDestroy: true });

// Gated: copy the trained model (<s3Path>/output/model.tar.gz, as bucket and key) into the serving
// bucket. A new job means a new key, so the copy is replaced with the new model.
const model = new aws.s3.ObjectCopy(
    "model",
    {
        bucket: serving.bucket,
        key: pulumi.interpolate`models/${trained.jobName}/model.tar.gz`,
        source: pulumi.interpolate`${trained.outputS3Bucket}/${trained.resultsS3Key}`,
    },
    { dependsOn: [trained] },
);

const role = new aws.iam.Role("serve", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicyAttachment("serve-logs", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
});
new aws.iam.RolePolicy("serve-model", {
    role: role.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: pulumi.interpolate`${serving.arn}/${model.key}` }],
    }),
});

// Gated: the function that serves the model. MODEL_URI says where the job wrote it (the job's
// results), SERVING_MODEL_URI the copy the function loads.
const handler = `exports.handler = async () => ({
    modelUri: process.env.MODEL_URI,
    servingModelUri: process.env.SERVING_MODEL_URI,
    trainedBy: process.env.TRAINED_BY,
});
`;
const serve = new aws.lambda.Function(
    "serve",
    {
        role: role.arn,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(handler) }),
        environment: {
            variables: {
                MODEL_URI: trained.resultsS3Uri,
                SERVING_MODEL_URI: pulumi.interpolate`s3://${model.bucket}/${model.key}`,
                TRAINED_BY: trained.jobArn,
            },
        },
    },
    { dependsOn: [trained] },
);

export const jobName = trained.jobName;
export const jobStatus = trained.status;
/** Where the job wrote the model. */
export const modelUri = trained.resultsS3Uri;
/** The copy in the serving bucket. */
export const servingModelUri = pulumi.interpolate`s3://${model.bucket}/${model.key}`;
export const functionName = serve.name;
