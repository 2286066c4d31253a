import * as pulumi from "@pulumi/pulumi";
import type * as BraketProvider from "../provider/index";
import { RESULT_MEMBERS } from "../provider/mapping";
import { stackAwsProfile } from "./pulumiRuntime";
import type {
    HybridJobAlgorithmSpecification,
    HybridJobAssociation,
    HybridJobCheckpointConfig,
    HybridJobDeviceConfig,
    HybridJobEvent,
    HybridJobInputFileConfig,
    HybridJobInstanceConfig,
    HybridJobOutputDataConfig,
    HybridJobQueueInfo,
    HybridJobStatus,
    HybridJobStoppingCondition,
    HybridJobTerminalStatus,
} from "./types";

/** Arguments of a {@link HybridJobCompletion}. */
export interface HybridJobCompletionArgs {
    /** The ARN of the hybrid job to wait for. A different ARN replaces the gate (and waits again). */
    jobArn: pulumi.Input<string>;
    /** The region to call; default the ARN's region. */
    region?: pulumi.Input<string>;
    /** The AWS profile; default the stack's `aws:profile`, then the SDK's chain. */
    profile?: pulumi.Input<string>;
    /** The Braket endpoint; default the SDK's resolution (`AWS_ENDPOINT_URL_BRAKET`, …). */
    endpoint?: pulumi.Input<string>;
    /** The longest the deployment waits, in seconds. Default 6 hours. */
    timeoutSeconds?: pulumi.Input<number>;
    /**
     * The statuses that let the deployment go on. Default `["COMPLETED"]`; any other terminal
     * status fails the deployment with the job's failureReason.
     */
    successStatuses?: pulumi.Input<pulumi.Input<HybridJobTerminalStatus>[]>;
    /** The first interval between checks, in seconds. Default 2. */
    initialIntervalSeconds?: pulumi.Input<number>;
    /** The longest interval between checks (and so the longest delay in noticing the end), in seconds. Default 60. */
    maxIntervalSeconds?: pulumi.Input<number>;
    /** How much each interval grows. Default 1.5. */
    backoffRate?: pulumi.Input<number>;
}

type Impl = typeof BraketProvider;

/** The type token of HybridJobCompletion resources (what Pulumi's mocks see in `newResource`). */
export const HYBRID_JOB_COMPLETION_TYPE = "pulumi-nodejs:dynamic/braket:HybridJobCompletion";

/**
 * The dynamic provider. Pulumi serializes it into the state and runs it in its own process, so each
 * method only requires pulumi-braket's provider layer at run time: it captures no client, no
 * module state, nothing but the `require` call.
 */
export const hybridJobCompletionProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: BraketProvider.CompletionInputs, news: BraketProvider.CompletionInputs) {
        const impl: Impl = require("pulumi-braket/provider");
        return impl.checkCompletion(news);
    },
    async diff(_id: string, olds: Record<string, unknown>, news: BraketProvider.CompletionInputs) {
        const impl: Impl = require("pulumi-braket/provider");
        return impl.diffCompletion(olds, news);
    },
    async create(inputs: BraketProvider.CompletionInputs) {
        const impl: Impl = require("pulumi-braket/provider");
        return impl.createCompletion(inputs);
    },
    async update(_id: string, olds: Record<string, unknown>, news: BraketProvider.CompletionInputs) {
        const impl: Impl = require("pulumi-braket/provider");
        return impl.updateCompletion(olds, news);
    },
    async read(id: string, props: Record<string, unknown>) {
        const impl: Impl = require("pulumi-braket/provider");
        return impl.readCompletion(id, props);
    },
    async delete() {
        // Nothing to delete: the gate only records that the job finished.
    },
};

/**
 * A deployment gate on an Amazon Braket hybrid job. During `pulumi up` it waits until the job is
 * terminal: when the job COMPLETED (or another status in `successStatuses`) the gate is created with
 * every field of the job as outputs, so resources that depend on it deploy with the job's results;
 * when the job FAILED or was CANCELLED, or the timeout passes, the deployment fails with the job's
 * name, ARN, status and failureReason. `pulumi preview` never waits. An unchanged `jobArn` does not
 * wait again; `pulumi refresh` re-reads the job.
 *
 * @example
 * const trained = new braket.HybridJobCompletion("training", { jobArn, timeoutSeconds: 6 * 3600 });
 * new aws.lambda.Function("serve", {
 *     environment: { variables: { MODEL_URI: trained.resultsS3Uri } },
 * }, { dependsOn: [trained] });
 */
export class HybridJobCompletion extends pulumi.dynamic.Resource {
    declare readonly status: pulumi.Output<HybridJobStatus>;
    declare readonly jobArn: pulumi.Output<string>;
    declare readonly roleArn: pulumi.Output<string>;
    declare readonly failureReason: pulumi.Output<string | undefined>;
    declare readonly jobName: pulumi.Output<string>;
    declare readonly hyperParameters: pulumi.Output<Record<string, string> | undefined>;
    declare readonly inputDataConfig: pulumi.Output<HybridJobInputFileConfig[] | undefined>;
    declare readonly outputDataConfig: pulumi.Output<HybridJobOutputDataConfig>;
    declare readonly stoppingCondition: pulumi.Output<HybridJobStoppingCondition | undefined>;
    declare readonly checkpointConfig: pulumi.Output<HybridJobCheckpointConfig | undefined>;
    declare readonly algorithmSpecification: pulumi.Output<HybridJobAlgorithmSpecification>;
    declare readonly instanceConfig: pulumi.Output<HybridJobInstanceConfig>;
    declare readonly createdAt: pulumi.Output<string>;
    declare readonly startedAt: pulumi.Output<string | undefined>;
    declare readonly endedAt: pulumi.Output<string | undefined>;
    declare readonly billableDuration: pulumi.Output<number | undefined>;
    declare readonly deviceConfig: pulumi.Output<HybridJobDeviceConfig | undefined>;
    declare readonly events: pulumi.Output<HybridJobEvent[] | undefined>;
    declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
    declare readonly queueInfo: pulumi.Output<HybridJobQueueInfo | undefined>;
    declare readonly associations: pulumi.Output<HybridJobAssociation[] | undefined>;
    declare readonly outputS3Path: pulumi.Output<string>;
    declare readonly outputS3Bucket: pulumi.Output<string>;
    declare readonly outputS3KeyPrefix: pulumi.Output<string>;
    declare readonly resultsS3Uri: pulumi.Output<string>;
    declare readonly resultsS3Key: pulumi.Output<string>;
    declare readonly checkpointS3Uri: pulumi.Output<string | undefined>;
    declare readonly checkpointS3Bucket: pulumi.Output<string | undefined>;
    declare readonly checkpointS3KeyPrefix: pulumi.Output<string | undefined>;
    declare readonly partition: pulumi.Output<string>;
    declare readonly region: pulumi.Output<string>;
    declare readonly accountId: pulumi.Output<string>;
    declare readonly isTerminal: pulumi.Output<boolean>;

    constructor(name: string, args: HybridJobCompletionArgs, opts?: pulumi.CustomResourceOptions) {
        const profile = args.profile ?? stackAwsProfile();
        const props: Record<string, unknown> = {
            ...args,
            ...(profile === undefined ? {} : { profile }),
            secretArn: pulumi.isSecret(pulumi.output(args.jobArn)),
            statusUrn: pulumi.createUrn(name, HYBRID_JOB_COMPLETION_TYPE, opts?.parent),
        };
        // Every output is declared (undefined) so that Pulumi registers it.
        for (const output of RESULT_MEMBERS) {
            if (!(output in props)) {
                props[output] = undefined;
            }
        }
        super(hybridJobCompletionProvider, name, props, opts, "braket", "HybridJobCompletion");
    }
}
