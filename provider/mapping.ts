/**
 * Pure mapping from a GetJob response (as the AWS SDK returns it, or as a Pulumi mock returns it)
 * to pulumi-braket's result. No I/O here.
 */
import type { GetHybridJobResult, HybridJob, HybridJobStatus, HybridJobTerminalStatus } from "./types";
import { shape } from "./model";
import { parseJobArn } from "./validation";
import { BraketJobError } from "./errors";

/** The statuses after which a job never changes again. */
export const TERMINAL_STATUSES: readonly HybridJobTerminalStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];

/** Where Braket writes a hybrid job's results, relative to `outputDataConfig.s3Path`. */
export const RESULTS_OBJECT = "output/model.tar.gz";

/** The members of GetJobResponse, from the model: the result has each under the same name. */
export const GET_JOB_MEMBERS: readonly string[] = Object.keys(shape("GetJobResponse").members ?? {});

/**
 * The result's members beyond the API's, with their schema type and description (provider/schemagen.ts
 * writes them into the schema); `always` when every result has it. Every one, and no other: the
 * compiler checks it against the result's type.
 */
export const CONVENIENCE_DOCS = {
    outputS3Path: { type: "string", always: true, description: "`outputDataConfig.s3Path`, as the API gives it." },
    outputS3Bucket: { type: "string", always: true, description: "The bucket of `outputS3Path`." },
    outputS3KeyPrefix: {
        type: "string",
        always: true,
        description: "The key prefix of `outputS3Path`, without leading or trailing slash (may be empty).",
    },
    resultsS3Uri: {
        type: "string",
        always: true,
        description: `Where Braket puts the job's results: \`<outputS3Path>/${RESULTS_OBJECT}\`, one slash between.`,
    },
    resultsS3Key: { type: "string", always: true, description: "The object key of `resultsS3Uri` within `outputS3Bucket`." },
    checkpointS3Uri: { type: "string", always: false, description: "`checkpointConfig.s3Uri`, when the job has checkpoints." },
    checkpointS3Bucket: { type: "string", always: false, description: "The bucket of `checkpointS3Uri`." },
    checkpointS3KeyPrefix: {
        type: "string",
        always: false,
        description: "The key prefix of `checkpointS3Uri`, without leading or trailing slash.",
    },
    partition: { type: "string", always: true, description: "The AWS partition of the job's ARN (`aws`, `aws-cn`, `aws-us-gov`, …)." },
    region: { type: "string", always: true, description: "The region of the job's ARN." },
    accountId: { type: "string", always: true, description: "The account of the job's ARN." },
    isTerminal: {
        type: "boolean",
        always: true,
        description: "True when the job is COMPLETED, FAILED or CANCELLED: then it never changes again.",
    },
} as const satisfies Record<Exclude<keyof GetHybridJobResult, keyof HybridJob>, { type: string; always: boolean; description: string }>;

/** Every member a result may have: the API's and the conveniences. */
export const RESULT_MEMBERS: readonly string[] = [...GET_JOB_MEMBERS, ...Object.keys(CONVENIENCE_DOCS)];
const REQUIRED_MEMBERS: readonly string[] = shape("GetJobResponse").required ?? [];

export function isTerminalStatus(status: string | undefined): status is HybridJobTerminalStatus {
    return (TERMINAL_STATUSES as readonly string[]).includes(status ?? "");
}

/** An S3 location split into bucket and key. */
export interface S3Location {
    bucket: string;
    /** The key or key prefix, without leading slash. */
    key: string;
}

/**
 * Splits an `S3Path` as the model allows it (`(https|s3)://([^/]+)/?(.*)`): `s3://bucket/key`,
 * virtual-hosted `https://bucket.s3.<region>.amazonaws.com/key` and path-style
 * `https://s3.<region>.amazonaws.com/bucket/key`.
 */
export function parseS3Location(uri: string): S3Location | undefined {
    const m = /^(s3|https):\/\/([^/]+)\/?(.*)$/s.exec(uri);
    if (!m) {
        return undefined;
    }
    const [, scheme, host, rest] = m;
    if (scheme === "s3") {
        return { bucket: host, key: rest };
    }
    const virtualHosted = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/.exec(host);
    if (virtualHosted) {
        return { bucket: virtualHosted[1], key: rest };
    }
    if (/^s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/.test(host)) {
        const slash = rest.indexOf("/");
        return slash < 0 ? { bucket: rest, key: "" } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
    }
    return undefined;
}

/** Joins an S3 URI (or prefix) and a relative key with exactly one slash between. */
export function joinS3(base: string, relative: string): string {
    return `${base.replace(/\/+$/, "")}/${relative.replace(/^\/+/, "")}`;
}

function trimSlashes(key: string): string {
    return key.replace(/^\/+|\/+$/g, "");
}

/** A timestamp as the SDK (Date), the wire (ISO string) or a mock (string or epoch ms) gives it. */
function toIsoTimestamp(value: unknown, member: string): string {
    const date = value instanceof Date ? value : typeof value === "string" || typeof value === "number" ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) {
        throw new BraketJobError(`GetJob returned ${member} ${JSON.stringify(value)}, which is not a timestamp.`);
    }
    return date.toISOString();
}

/** Copies a value into plain JSON data: Dates become ISO strings, undefined members are dropped. */
function toPlainData(value: unknown, path: string): unknown {
    if (value instanceof Date) {
        return toIsoTimestamp(value, path);
    }
    if (Array.isArray(value)) {
        return value.filter((v) => v !== undefined && v !== null).map((v, i) => toPlainData(v, `${path}[${i}]`));
    }
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined && v !== null) {
                out[k] = toPlainData(v, `${path}.${k}`);
            }
        }
        return out;
    }
    return value;
}

const TIMESTAMP_MEMBERS = ["createdAt", "startedAt", "endedAt"] as const;

/**
 * Maps a GetJob response to the result: every modeled member under its own name (timestamps as
 * ISO-8601 strings), plus the conveniences. Refuses a response that lacks a member the model
 * requires: nothing is returned half-read. Idempotent: mapping a result again gives the same result.
 */
export function toHybridJobResult(response: unknown, context: { requestedArn?: string } = {}): GetHybridJobResult {
    if (typeof response !== "object" || response === null) {
        throw new BraketJobError(`GetJob returned ${response === null ? "null" : typeof response} instead of a job.`);
    }
    const source = response as Record<string, unknown>;
    const missing = REQUIRED_MEMBERS.filter((m) => source[m] === undefined || source[m] === null);
    if (missing.length > 0) {
        const which = context.requestedArn ?? String(source.jobArn ?? "(unknown job)");
        throw new BraketJobError(
            `GetJob for ${which} returned an incomplete job: ${missing.join(", ")} missing. ` +
                "Nothing was returned; if this comes from a Pulumi mock, return every required GetJob member.",
            { jobArn: which },
        );
    }
    const job: Record<string, unknown> = {};
    for (const member of GET_JOB_MEMBERS) {
        const value = source[member];
        if (value === undefined || value === null) {
            continue;
        }
        job[member] = (TIMESTAMP_MEMBERS as readonly string[]).includes(member)
            ? toIsoTimestamp(value, member)
            : toPlainData(value, member);
    }
    const typed = job as unknown as HybridJob;
    // Messages name the job as the caller may see it (`[secret]` for a secret ARN).
    const shown = context.requestedArn ?? typed.jobArn;
    let arn: ReturnType<typeof parseJobArn>;
    try {
        arn = parseJobArn(typed.jobArn, "jobArn", shown !== typed.jobArn);
    } catch (err) {
        throw new BraketJobError(`GetJob for ${shown} returned a malformed jobArn: ${(err as Error).message}`, { jobArn: shown });
    }
    const outputS3Path = typed.outputDataConfig.s3Path;
    const output = parseS3Location(outputS3Path);
    if (!output) {
        throw new BraketJobError(
            `GetJob for ${shown} returned outputDataConfig.s3Path ${JSON.stringify(outputS3Path)}, ` +
                "which is not an S3 location this package can split into bucket and key (s3://bucket/key or an S3 https URL).",
            { jobArn: shown },
        );
    }
    const resultsS3Uri = joinS3(outputS3Path, RESULTS_OBJECT);
    const checkpointS3Uri = typed.checkpointConfig?.s3Uri;
    const checkpoint = checkpointS3Uri === undefined ? undefined : parseS3Location(checkpointS3Uri);
    return {
        ...typed,
        status: typed.status as HybridJobStatus,
        outputS3Path,
        outputS3Bucket: output.bucket,
        outputS3KeyPrefix: trimSlashes(output.key),
        resultsS3Uri,
        resultsS3Key:
            output.key === "" || trimSlashes(output.key) === "" ? RESULTS_OBJECT : joinS3(trimSlashes(output.key), RESULTS_OBJECT),
        partition: arn.partition,
        region: arn.region,
        accountId: arn.accountId,
        isTerminal: isTerminalStatus(typed.status),
        ...(checkpointS3Uri === undefined ? {} : { checkpointS3Uri }),
        ...(checkpoint ? { checkpointS3Bucket: checkpoint.bucket, checkpointS3KeyPrefix: trimSlashes(checkpoint.key) } : {}),
    };
}
