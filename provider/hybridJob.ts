/**
 * Reading a hybrid job: Braket's GetJob through the AWS SDK, with argument checks before any
 * request, de-duplication of identical reads, and errors that say what to do.
 */
import { GetJobCommand } from "@aws-sdk/client-braket";
import type { GetHybridJobResult } from "./types";
import { braketConnection, sendPaced, type BraketTarget, type SendReport } from "./clients";
import { effectiveSettings, type ProviderConfig } from "./config";
import { fromSdkError } from "./errors";
import { InFlight } from "./inFlight";
import { isTerminalStatus, toHybridJobResult } from "./mapping";
import {
    checkAttributeNames,
    checkEndpoint,
    checkProfile,
    checkRegion,
    checkSdkEnvironment,
    parseJobArn,
    type ParsedJobArn,
} from "./validation";

/** What a caller asks for: the arguments of getHybridJob, not yet checked. */
export interface HybridJobLookupArgs {
    jobArn: unknown;
    additionalAttributeNames?: unknown;
    region?: unknown;
    profile?: unknown;
    endpoint?: unknown;
}

/** A checked lookup: which job, which attributes, and where to ask. */
export interface HybridJobLookup {
    jobArn: string;
    arn: ParsedJobArn;
    additionalAttributeNames: string[];
    target: BraketTarget;
    /** The ARN as messages may show it: the ARN, or `[secret]`. */
    shownArn: string;
    /** The job's name is secret too (the job was found by a secret name or filter): messages show `[secret]` for it. */
    hideName?: boolean;
}

/**
 * Checks the arguments and decides where to ask, without any I/O. Each setting comes from the call,
 * else from the provider's configuration; the region then from the job ARN (GetJob must go to the
 * job's region whatever AWS_REGION says). The environment variables the AWS SDK would take an
 * endpoint or a number of attempts from (`env`, default process.env) are checked too.
 */
export function resolveLookup(
    args: HybridJobLookupArgs,
    options: { redact?: boolean; hideName?: boolean; provider?: ProviderConfig; env?: NodeJS.ProcessEnv } = {},
): HybridJobLookup {
    if (typeof args !== "object" || args === null) {
        return resolveLookup({ jobArn: undefined }, options);
    }
    const arn = parseJobArn(args.jobArn, "jobArn", options.redact);
    const jobArn = args.jobArn as string;
    const settings = effectiveSettings(
        { region: checkRegion(args.region), profile: checkProfile(args.profile), endpoint: checkEndpoint(args.endpoint) },
        options.provider ?? {},
    );
    const additionalAttributeNames = checkAttributeNames(args.additionalAttributeNames);
    checkSdkEnvironment(options.env ?? process.env, {
        endpoint: settings.endpoint === undefined,
        maxAttempts: settings.maxRetries === undefined,
    });
    return {
        jobArn,
        arn,
        additionalAttributeNames,
        target: {
            region: settings.region ?? arn.region,
            profile: settings.profile,
            endpoint: settings.endpoint,
            maxRetries: settings.maxRetries,
            retryMode: settings.retryMode,
        },
        shownArn: options.redact ? "[secret]" : jobArn,
        ...(options.hideName ? { hideName: true } : {}),
    };
}

/** A key that is equal for lookups that must give the same answer. */
export function lookupKey(lookup: HybridJobLookup): string {
    return JSON.stringify([
        lookup.jobArn,
        lookup.additionalAttributeNames,
        lookup.target.region,
        lookup.target.profile ?? null,
        lookup.target.endpoint ?? null,
        lookup.target.maxRetries ?? null,
        lookup.target.retryMode ?? null,
    ]);
}

/** Counts of what this process has sent, for tests and the benchmark (attempts, retries included: clients.ts's attemptCounters). */
export const requestCounters = { getJob: 0, deduplicated: 0 };

/**
 * Sends one GetJob (each attempt paced, the whole bounded: clients.ts) and maps the answer, checked
 * against the model and against the request (another job's answer is refused). No
 * de-duplication; `signal` aborts it.
 */
export async function fetchHybridJob(lookup: HybridJobLookup, signal?: AbortSignal): Promise<GetHybridJobResult> {
    const report: SendReport = { attempts: 0 };
    const context = () => ({
        operation: "GetJob",
        shownArn: lookup.shownArn,
        region: lookup.target.region,
        endpoint: lookup.target.endpoint,
        resolvedEndpoint: report.endpoint,
        secretArn: lookup.shownArn === lookup.jobArn ? undefined : lookup.jobArn,
        profile: lookup.target.profile,
    });
    let response: unknown;
    try {
        const connection = braketConnection(lookup.target);
        requestCounters.getJob++;
        response = await sendPaced(
            connection,
            new GetJobCommand({
                jobArn: lookup.jobArn,
                ...(lookup.additionalAttributeNames.length > 0
                    ? { additionalAttributeNames: lookup.additionalAttributeNames as "QueueInfo"[] }
                    : {}),
            }),
            signal,
            report,
        );
    } catch (err) {
        if (signal?.aborted) {
            throw signal.reason;
        }
        throw fromSdkError(err, context());
    }
    const job = toHybridJobResult(response, { requestedArn: lookup.shownArn, expectedJobArn: lookup.jobArn });
    if (isTerminalStatus(job.status)) {
        finished.set(lookupKey(lookup), job);
    }
    return job;
}

const inFlight = new InFlight<GetHybridJobResult>();

/**
 * Terminal jobs read by this process (lookups and waits alike), by lookup: a COMPLETED, FAILED or
 * CANCELLED job never changes again, so a later identical lookup needs no request.
 */
const finished = new Map<string, GetHybridJobResult>();

/**
 * Reads a job, sharing one request between identical lookups: those in flight at the same time,
 * and every later one once the job is terminal. A read of a job still QUEUED or RUNNING is not
 * reused after it returns: the provider is not told what an invoke waited for (its `dependsOn`),
 * so a lookup made after a gate saw the job finish must not get the RUNNING answer read before.
 * A failed read is not kept, so a later identical lookup asks again.
 */
export function readHybridJob(lookup: HybridJobLookup, signal?: AbortSignal): Promise<GetHybridJobResult> {
    const key = lookupKey(lookup);
    const countShared = () => requestCounters.deduplicated++;
    const done = finished.get(key);
    if (done) {
        countShared();
        return Promise.resolve(done);
    }
    return inFlight.share(key, () => fetchHybridJob(lookup, signal), countShared);
}

/** Forgets every terminal job read so far (tests; a long-lived process that wants fresh reads). */
export function forgetFinishedJobs(): void {
    finished.clear();
}
