/**
 * The typed shapes of pulumi-braket's public API.
 *
 * Member names and nesting follow Amazon Braket's GetJob API (model `braket-2019-09-01`, shape
 * `GetJobResponse`) exactly, with two deliberate differences that make the result plain JSON data,
 * as Pulumi outputs must be:
 *  - timestamps are ISO-8601 UTC strings in `Date#toISOString` form (`2026-11-29T12:00:00.000Z`);
 *  - optional members the service did not return are absent (never `null`, never empty stand-ins).
 *
 * On top of the API's members the result carries named conveniences for wiring (S3 locations split
 * into bucket and key, the region and account of the job, whether it is terminal).
 */

/** A hybrid job's primary status (`JobPrimaryStatus`). */
export type HybridJobStatus = "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLING" | "CANCELLED";

/** The statuses after which a job never changes again. */
export type HybridJobTerminalStatus = "COMPLETED" | "FAILED" | "CANCELLED";

/** Extra attributes GetJob can return on request (`HybridJobAdditionalAttributeName`). */
export type HybridJobAdditionalAttributeName = "QueueInfo";

/** Arguments of {@link getHybridJob}. */
export interface GetHybridJobArgs {
    /**
     * The ARN of the hybrid job, e.g. `arn:aws:braket:us-east-1:123456789012:job/<uuid>`.
     * Must match the service's `JobArn` pattern; it is checked before any request is made.
     */
    jobArn: string;
    /** Extra attributes to return. The API accepts only `"QueueInfo"` (the job's queue position). */
    additionalAttributeNames?: HybridJobAdditionalAttributeName[];
    /**
     * The region to call. Default: the region in `jobArn`, because GetJob must go to the job's own
     * region whatever `AWS_REGION` says.
     */
    region?: string;
    /**
     * The shared-config profile whose credentials sign the request. Default: the stack's
     * `aws:profile` config (as @pulumi/aws reads it), then the AWS SDK's own chain (environment,
     * shared config and credentials files, SSO, container and instance metadata).
     */
    profile?: string;
    /**
     * The Braket endpoint URL. Default: the AWS SDK's own resolution (`AWS_ENDPOINT_URL_BRAKET`,
     * `AWS_ENDPOINT_URL`, shared config, then the public regional endpoint).
     */
    endpoint?: string;
}

/** `AlgorithmSpecification.containerImage`. */
export interface HybridJobContainerImage {
    uri: string;
}

/** `AlgorithmSpecification.scriptModeConfig`. */
export interface HybridJobScriptModeConfig {
    entryPoint: string;
    s3Uri: string;
    compressionType?: "NONE" | "GZIP";
}

/** `AlgorithmSpecification`: what the job runs. */
export interface HybridJobAlgorithmSpecification {
    containerImage?: HybridJobContainerImage;
    scriptModeConfig?: HybridJobScriptModeConfig;
}

/** `Association`: a Braket resource (for example a reservation) the job is associated with. */
export interface HybridJobAssociation {
    arn: string;
    type: "RESERVATION_TIME_WINDOW_ARN";
}

/** `JobCheckpointConfig`. */
export interface HybridJobCheckpointConfig {
    s3Uri: string;
    localPath?: string;
}

/** `DeviceConfig`: the primary quantum device the job uses. */
export interface HybridJobDeviceConfig {
    device: string;
}

/** `JobEventDetails`: one entry of the job's event history. */
export interface HybridJobEvent {
    eventType?:
        | "WAITING_FOR_PRIORITY"
        | "QUEUED_FOR_EXECUTION"
        | "STARTING_INSTANCE"
        | "DOWNLOADING_DATA"
        | "RUNNING"
        | "DEPRIORITIZED_DUE_TO_INACTIVITY"
        | "UPLOADING_RESULTS"
        | "COMPLETED"
        | "FAILED"
        | "MAX_RUNTIME_EXCEEDED"
        | "CANCELLED";
    message?: string;
    /** ISO-8601 UTC. */
    timeOfEvent?: string;
}

/** `InputFileConfig`: one input channel. */
export interface HybridJobInputFileConfig {
    channelName: string;
    contentType?: string;
    dataSource: { s3DataSource: { s3Uri: string } };
}

/** `InstanceConfig`: the classical compute the job runs on. */
export interface HybridJobInstanceConfig {
    instanceType: string;
    volumeSizeInGb: number;
    instanceCount?: number;
}

/** `JobOutputDataConfig`: where the job writes its results. */
export interface HybridJobOutputDataConfig {
    s3Path: string;
    kmsKeyId?: string;
}

/** `HybridJobQueueInfo`: returned when `additionalAttributeNames` includes `"QueueInfo"`. */
export interface HybridJobQueueInfo {
    queue: "QUANTUM_TASKS_QUEUE" | "JOBS_QUEUE";
    /** The position as the API gives it: a number as a string, or `"None"` when not queued. */
    position: string;
    message?: string;
}

/** `JobStoppingCondition`. */
export interface HybridJobStoppingCondition {
    maxRuntimeInSeconds?: number;
}

/** Every member of Braket's GetJob response, under the API's own names and nesting. */
export interface HybridJob {
    status: HybridJobStatus;
    jobArn: string;
    roleArn: string;
    failureReason?: string;
    jobName: string;
    hyperParameters?: Record<string, string>;
    inputDataConfig?: HybridJobInputFileConfig[];
    outputDataConfig: HybridJobOutputDataConfig;
    stoppingCondition?: HybridJobStoppingCondition;
    checkpointConfig?: HybridJobCheckpointConfig;
    algorithmSpecification: HybridJobAlgorithmSpecification;
    instanceConfig: HybridJobInstanceConfig;
    /** ISO-8601 UTC. */
    createdAt: string;
    /** ISO-8601 UTC. */
    startedAt?: string;
    /** ISO-8601 UTC. */
    endedAt?: string;
    /** Billable seconds, once known. */
    billableDuration?: number;
    deviceConfig?: HybridJobDeviceConfig;
    events?: HybridJobEvent[];
    tags?: Record<string, string>;
    queueInfo?: HybridJobQueueInfo;
    associations?: HybridJobAssociation[];
}

/** The result of {@link getHybridJob}: the job, plus conveniences for wiring. */
export interface GetHybridJobResult extends HybridJob {
    /** `outputDataConfig.s3Path`, as the API gives it. */
    outputS3Path: string;
    /** The bucket of `outputS3Path`. */
    outputS3Bucket: string;
    /** The key prefix of `outputS3Path`, without leading or trailing slash (may be empty). */
    outputS3KeyPrefix: string;
    /** Where Braket puts the job's results: `<outputS3Path>/output/model.tar.gz`, one slash between. */
    resultsS3Uri: string;
    /** The object key of `resultsS3Uri` within `outputS3Bucket`. */
    resultsS3Key: string;
    /** `checkpointConfig.s3Uri`, when the job has checkpoints. */
    checkpointS3Uri?: string;
    /** The bucket of `checkpointS3Uri`. */
    checkpointS3Bucket?: string;
    /** The key prefix of `checkpointS3Uri`, without leading or trailing slash. */
    checkpointS3KeyPrefix?: string;
    /** The AWS partition of the job's ARN (`aws`, `aws-cn`, `aws-us-gov`, …). */
    partition: string;
    /** The region of the job's ARN. */
    region: string;
    /** The account of the job's ARN. */
    accountId: string;
    /** True when the job is COMPLETED, FAILED or CANCELLED. */
    isTerminal: boolean;
}
