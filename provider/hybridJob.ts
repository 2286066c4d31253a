/**
 * Reading a hybrid job: Braket's GetJob through the AWS SDK, with argument checks before any
 * request, de-duplication of identical reads, and errors that say what to do.
 */
import { GetJobCommand } from "@aws-sdk/client-braket";
import type { GetHybridJobResult } from "../sdk/types";
import { braketConnection, type BraketTarget } from "./clients";
import { fromSdkError } from "./errors";
import { toHybridJobResult } from "./mapping";
import { checkAttributeNames, checkEndpoint, checkProfile, checkRegion, parseJobArn, type ParsedJobArn } from "./validation";

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
}

/**
 * Checks the arguments and decides where to ask, without any I/O: an explicit region wins, else the
 * job ARN's own region (GetJob must go to the job's region whatever AWS_REGION says).
 */
export function resolveLookup(args: HybridJobLookupArgs, options: { redact?: boolean } = {}): HybridJobLookup {
    if (typeof args !== "object" || args === null) {
        return resolveLookup({ jobArn: undefined }, options);
    }
    const arn = parseJobArn(args.jobArn, "jobArn", options.redact);
    const jobArn = args.jobArn as string;
    const region = checkRegion(args.region) ?? arn.region;
    const profile = checkProfile(args.profile);
    const endpoint = checkEndpoint(args.endpoint);
    return {
        jobArn,
        arn,
        additionalAttributeNames: checkAttributeNames(args.additionalAttributeNames),
        target: { region, profile, endpoint },
        shownArn: options.redact ? "[secret]" : jobArn,
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
    ]);
}

/** Counts of what this process has sent, for tests and the benchmark. */
export const requestCounters = { getJob: 0, deduplicated: 0 };

/** Sends one GetJob, paced, and maps the answer. No de-duplication; `signal` aborts it. */
export async function fetchHybridJob(lookup: HybridJobLookup, signal?: AbortSignal): Promise<GetHybridJobResult> {
    const { client, pacer } = braketConnection(lookup.target);
    const context = {
        operation: "GetJob",
        shownArn: lookup.shownArn,
        region: lookup.target.region,
        endpoint: lookup.target.endpoint,
        secretArn: lookup.shownArn === lookup.jobArn ? undefined : lookup.jobArn,
        profile: lookup.target.profile,
    };
    let release: (() => void) | undefined;
    try {
        release = await pacer.acquire(signal);
        requestCounters.getJob++;
        const response = await client.send(
            new GetJobCommand({
                jobArn: lookup.jobArn,
                ...(lookup.additionalAttributeNames.length > 0
                    ? { additionalAttributeNames: lookup.additionalAttributeNames as "QueueInfo"[] }
                    : {}),
            }),
            signal ? { abortSignal: signal } : {},
        );
        return toHybridJobResult(response, { requestedArn: lookup.shownArn });
    } catch (err) {
        if (signal?.aborted) {
            throw signal.reason;
        }
        throw fromSdkError(err, context);
    } finally {
        release?.();
    }
}

const inFlight = new Map<string, Promise<GetHybridJobResult>>();

/** How a read is shared. */
export interface ReadSharing {
    /** The current Pulumi run's cache: identical later lookups of the run reuse the answer. */
    runCache?: Map<string, Promise<GetHybridJobResult>>;
    /**
     * Lookups share only within the same scope. A lookup made after its `dependsOn` resources
     * passes their URNs and ids here, so it never reuses an answer read before they were done.
     */
    scope?: string;
    /** Replaces the GetJob call (Pulumi's mocks answer it under `setMocks`). */
    fetch?: (lookup: HybridJobLookup) => Promise<GetHybridJobResult>;
}

/**
 * Reads a job, sharing one request between identical lookups: those in flight at the same time,
 * and, with a `runCache` (one per Pulumi run), every later one in the same run. A failed read is
 * not cached, so a later identical lookup asks again.
 */
export function readHybridJob(lookup: HybridJobLookup, sharing: ReadSharing = {}): Promise<GetHybridJobResult> {
    const fetch = sharing.fetch ?? fetchHybridJob;
    const key = JSON.stringify([sharing.fetch ? "custom" : "getjob", sharing.scope ?? "", lookupKey(lookup)]);
    const { runCache } = sharing;
    const shared = runCache?.get(key) ?? inFlight.get(key);
    if (shared) {
        requestCounters.deduplicated++;
        return shared;
    }
    const request = fetch(lookup);
    inFlight.set(key, request);
    runCache?.set(key, request);
    request.then(
        () => inFlight.delete(key),
        () => {
            inFlight.delete(key);
            runCache?.delete(key);
        },
    );
    return request;
}
