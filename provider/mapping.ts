/**
 * Pure mapping from a GetJob response (as the AWS SDK returns it, or as a Pulumi mock returns it)
 * to pulumi-braket's result. No I/O here.
 */
import type { GetHybridJobResult, HybridJob, HybridJobStatus, HybridJobSummary, HybridJobTerminalStatus } from "./types";
import { enumOf, shape } from "./model";
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

/** A member's value for a message: short, and never the whole of a large or odd value. */
function shown(value: unknown): string {
    let text: string;
    try {
        text = typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value));
    } catch {
        text = Object.prototype.toString.call(value);
    }
    return text.length > 60 ? `${text.slice(0, 50)}… (${text.length} characters)` : text;
}

/** What a response's member is, for a message: "a string", "an object", "null"… */
function kindOf(value: unknown): string {
    if (value === null || value === undefined) {
        return String(value);
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    if (value instanceof Date) {
        return "a date";
    }
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Refuses a response whose member breaks the model: nothing is returned half-checked. */
class MalformedResponse extends Error {
    constructor(
        readonly member: string,
        readonly problem: string,
    ) {
        super(`${member} ${problem}`);
    }
}

/** A timestamp as the SDK (Date), the wire (ISO string) or a mock (string or epoch ms) gives it. */
function toIsoTimestamp(value: unknown, member: string): string {
    const date = value instanceof Date ? value : typeof value === "string" || typeof value === "number" ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) {
        throw new MalformedResponse(member, `is ${shown(value)}, which is not a timestamp`);
    }
    return date.toISOString();
}

/** A plain object that keeps every key as data, `__proto__` and `constructor` included. */
function dataObject(entries: [string, unknown][]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
}

/** The own entries of an object, `__proto__` included (Object.entries has them; a for-in or a spread target may not). */
function ownEntries(value: object): [string, unknown][] {
    return Object.keys(value).map((k) => [k, Object.getOwnPropertyDescriptor(value, k)?.value]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Copies a value into plain JSON data as the model's shape says, checking its type on the way:
 * strings, integers, booleans, numbers, timestamps (as ISO strings), lists, maps and structures
 * (their modeled members only). Undefined and null members are dropped, as absent. Enum values are
 * not checked here (the service may add values: a new instance type must not break a lookup);
 * the status is, by the caller. Patterns and lengths are the service's to enforce.
 */
function fromShape(value: unknown, shapeName: string, member: string): unknown {
    const s = shape(shapeName);
    const refuse = (expected: string): never => {
        throw new MalformedResponse(member, `is ${kindOf(value)} (${shown(value)}), not ${expected} (the model's ${shapeName})`);
    };
    switch (s.type) {
        case "string":
            return typeof value === "string" ? value : refuse("a string");
        case "integer":
        case "long":
            return typeof value === "number" && Number.isSafeInteger(value) ? value : refuse("an integer");
        case "float":
        case "double":
            return typeof value === "number" && Number.isFinite(value) ? value : refuse("a number");
        case "boolean":
            return typeof value === "boolean" ? value : refuse("a boolean");
        case "timestamp":
            return toIsoTimestamp(value, member);
        case "list": {
            if (!Array.isArray(value)) {
                return refuse("a list");
            }
            const itemShape = s.member?.shape as string;
            return value.filter((v) => v !== undefined && v !== null).map((v, i) => fromShape(v, itemShape, `${member}[${i}]`));
        }
        case "map": {
            if (!isRecord(value)) {
                return refuse("a map");
            }
            const valueShape = s.value?.shape as string;
            return dataObject(
                ownEntries(value)
                    .filter(([, v]) => v !== undefined && v !== null)
                    .map(([k, v]) => [k, fromShape(v, valueShape, `${member}[${JSON.stringify(k)}]`)]),
            );
        }
        case "structure": {
            if (!isRecord(value)) {
                return refuse("a structure");
            }
            const members = Object.entries(s.members ?? {});
            return dataObject(
                members
                    .filter(
                        ([name]) => Object.prototype.hasOwnProperty.call(value, name) && value[name] !== undefined && value[name] !== null,
                    )
                    .map(([name, ref]) => [name, fromShape(value[name], ref.shape, `${member}.${name}`)]),
            );
        }
        default:
            // No other kind of shape is in GetJobResponse; were the model to add one, it is kept as it came.
            return value;
    }
}

const JOB_STATUSES = enumOf(shape("GetJobResponse").members?.status?.shape as string);

/**
 * Maps a GetJob response to the result: every modeled member under its own name (timestamps as
 * ISO-8601 strings), plus the conveniences. Refuses, with an error naming the member, a response
 * that lacks a member the model requires, has a member of another type than the model's, a status
 * outside the model's enum, or (given `expectedJobArn`, the ARN that was asked for) another job's
 * ARN: nothing is returned half-read, and a gate never passes on another job. Keys of maps
 * (hyperparameters, tags) are kept as data, `__proto__` included. Idempotent: mapping a result
 * again gives the same result.
 */
export function toHybridJobResult(response: unknown, context: { requestedArn?: string; expectedJobArn?: string } = {}): GetHybridJobResult {
    if (!isRecord(response)) {
        throw new BraketJobError(
            `GetJob${context.requestedArn ? ` for ${context.requestedArn}` : ""} returned ${kindOf(response)} instead of a job.`,
            { jobArn: context.requestedArn },
        );
    }
    const source = response;
    const present = (m: string) => Object.prototype.hasOwnProperty.call(source, m) && source[m] !== undefined && source[m] !== null;
    // Messages name the job as the caller may see it (`[secret]` for a secret ARN); else the ARN sent back, when it is one.
    const which =
        context.requestedArn ??
        context.expectedJobArn ??
        (typeof source.jobArn === "string" && source.jobArn.length <= 2048 ? source.jobArn : "(unknown job)");
    const malformed = (problem: string) =>
        new BraketJobError(
            `GetJob for ${which} returned a job that does not match the Braket model: ${problem}. Nothing was returned;` +
                " if this comes from a Pulumi mock, return GetJob's members as the API types them.",
            { jobArn: which },
        );
    const missing = REQUIRED_MEMBERS.filter((m) => !present(m));
    if (missing.length > 0) {
        throw new BraketJobError(
            `GetJob for ${which} returned an incomplete job: ${missing.join(", ")} missing. ` +
                "Nothing was returned; if this comes from a Pulumi mock, return every required GetJob member.",
            { jobArn: which },
        );
    }
    const entries: [string, unknown][] = [];
    try {
        for (const member of GET_JOB_MEMBERS) {
            if (present(member)) {
                const ref = shape("GetJobResponse").members?.[member];
                entries.push([member, fromShape(source[member], ref?.shape as string, member)]);
            }
        }
    } catch (err) {
        if (err instanceof MalformedResponse) {
            throw malformed(err.message);
        }
        throw err;
    }
    const job = dataObject(entries);
    if (!JOB_STATUSES.includes(job.status as string)) {
        throw new BraketJobError(
            `GetJob for ${which} returned the status ${shown(job.status)}, which is not one of the model's (${JOB_STATUSES.join(", ")}).` +
                " Nothing was returned, and a gate does not pass on a status it does not know. If the service has a new status," +
                " a newer pulumi-braket knows it.",
            { jobArn: which },
        );
    }
    const typed = job as unknown as HybridJob;
    // A secret ARN is named `[secret]` (requestedArn): then no ARN is shown.
    const secret = context.requestedArn !== undefined && context.requestedArn !== (context.expectedJobArn ?? typed.jobArn);
    let arn: ReturnType<typeof parseJobArn>;
    try {
        arn = parseJobArn(typed.jobArn, "jobArn", secret);
    } catch (err) {
        throw new BraketJobError(`GetJob for ${which} returned a malformed jobArn: ${(err as Error).message}`, { jobArn: which });
    }
    if (context.expectedJobArn !== undefined && typed.jobArn !== context.expectedJobArn) {
        throw new BraketJobError(
            `GetJob for ${which} returned another job${secret ? "" : ` (${typed.jobArn})`}: refused, nothing was returned, and no gate` +
                " passes on it. The endpoint answered for a job that was not asked for: check the endpoint (endpoint, braket:endpoint," +
                " AWS_ENDPOINT_URL_BRAKET) and any proxy in the way.",
            { jobArn: which },
        );
    }
    const outputS3Path = typed.outputDataConfig.s3Path;
    const output = parseS3Location(outputS3Path);
    if (!output) {
        throw new BraketJobError(
            `GetJob for ${which} returned outputDataConfig.s3Path ${shown(outputS3Path)}, ` +
                "which is not an S3 location this package can split into bucket and key (s3://bucket/key or an S3 https URL).",
            { jobArn: which },
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

const SUMMARY_REQUIRED: readonly string[] = shape("JobSummary").required ?? [];

/**
 * Maps one SearchJobs page to its job summaries, each checked against the model's JobSummary as a
 * GetJob answer is (required members, types, the status's enum, the ARN's form): a page with one
 * malformed summary is refused whole, so a list is never returned half-read. `where` names the
 * search in messages.
 */
export function toHybridJobSummaries(page: unknown, where: string): HybridJobSummary[] {
    const refuse = (problem: string): never => {
        throw new BraketJobError(
            `SearchJobs for ${where} returned a page that does not match the Braket model: ${problem}. Nothing was returned;` +
                " if this comes from a Pulumi mock, return SearchJobs's members as the API types them.",
        );
    };
    if (!isRecord(page) || !Array.isArray(page.jobs)) {
        return refuse(`jobs is ${kindOf(isRecord(page) ? page.jobs : page)}, not a list`);
    }
    return page.jobs.map((raw, i) => {
        const member = `jobs[${i}]`;
        if (!isRecord(raw)) {
            return refuse(`${member} is ${kindOf(raw)}, not a JobSummary`);
        }
        const missing = SUMMARY_REQUIRED.filter((m) => raw[m] === undefined || raw[m] === null);
        if (missing.length > 0) {
            return refuse(`${member} lacks ${missing.join(", ")}, which the model requires`);
        }
        let summary: Record<string, unknown>;
        try {
            summary = fromShape(raw, "JobSummary", member) as Record<string, unknown>;
        } catch (err) {
            if (err instanceof MalformedResponse) {
                return refuse(err.message);
            }
            throw err;
        }
        if (!JOB_STATUSES.includes(summary.status as string)) {
            return refuse(`${member}.status is ${shown(summary.status)}, not one of the model's (${JOB_STATUSES.join(", ")})`);
        }
        try {
            parseJobArn(summary.jobArn, `${member}.jobArn`);
        } catch (err) {
            return refuse((err as Error).message);
        }
        return summary as unknown as HybridJobSummary;
    });
}
