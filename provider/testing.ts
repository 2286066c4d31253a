/**
 * `pulumi-braket/testing`: the answers a real lookup and a real gate give, for the mocks of unit
 * tests (`pulumi.runtime.setMocks`).
 *
 * Under Pulumi's mocks no plugin runs: `getHybridJob` returns exactly what the mocks' `call` returns
 * and a `HybridJobCompletion` has exactly the state that `newResource` returns. Nothing is derived,
 * so a mock that returns a bare GetJob response has no `resultsS3Uri`, `outputS3Bucket`, `region`...
 * These helpers turn a GetJob response into what the plugin would answer, with the plugin's own
 * mapping:
 *
 * ```ts
 * import { hybridJobCompletionState, hybridJobResult } from "pulumi-braket/testing";
 *
 * pulumi.runtime.setMocks({
 *     call: (args) => hybridJobResult({ ...job, jobArn: args.inputs.jobArn }),
 *     newResource: (args) =>
 *         args.type === "braket:index:HybridJobCompletion"
 *             ? { id: args.inputs.jobArn, state: hybridJobCompletionState({ ...job, jobArn: args.inputs.jobArn }) }
 *             : { id: `${args.name}-id`, state: args.inputs },
 * });
 * ```
 *
 * For `getHybridJobs`, {@link hybridJobsResult} lists a fixed set of SearchJobs job summaries (the
 * account's jobs, as the test has them) as the plugin would for the call's arguments:
 *
 * ```ts
 * call: (args) =>
 *     args.token === "braket:index:getHybridJobs"
 *         ? hybridJobsResult(accountJobs, { ...args.inputs, region: args.inputs.region ?? "us-east-1" })
 *         : hybridJobResult({ ...job, jobArn: args.inputs.jobArn }),
 * ```
 *
 * Pure functions: no request, no AWS client, nothing read from the environment. (Loading this module
 * loads `@aws-sdk/client-braket`'s module, whose error classes the mapping's errors refer to, but
 * builds no client.)
 */
import type { GetJobResponse, JobSummary } from "@aws-sdk/client-braket";
import type { GetHybridJobsArgs } from "pulumi-braket";
import {
    checkJobFilters,
    checkMaxJobs,
    compareSummaries,
    describeFilters,
    hybridJobList,
    LIST_FILTERS,
    matchesFilters,
} from "./jobFilters";
import { toHybridJobResult, toHybridJobSummaries } from "./mapping";
import type { GetHybridJobResult, GetHybridJobsResult } from "./types";
import { checkRegion, parseJobArn } from "./validation";

/** A timestamp as the AWS SDK gives it (a Date), as the API's JSON does (ISO-8601), or in epoch milliseconds. */
export type Timestamp = Date | string | number;

/**
 * A GetJob response: the AWS SDK's `GetJobResponse` (or `GetJobCommandOutput`), or the same members
 * with the timestamps as strings, as `aws braket get-job` prints them.
 */
export type GetJobResponseLike = Omit<GetJobResponse, "createdAt" | "startedAt" | "endedAt"> & {
    createdAt: Timestamp | undefined;
    startedAt?: Timestamp | undefined;
    endedAt?: Timestamp | undefined;
};

/** What a gate's outputs are: the job as it finished, without `queueInfo` (a moment of the wait). */
export type HybridJobCompletionState = Omit<GetHybridJobResult, "queueInfo">;

/**
 * What `getHybridJob` gives for this GetJob response: every member of it under its own name
 * (timestamps as ISO-8601 UTC strings, `$metadata` and unknown members dropped) plus the
 * conveniences (`outputS3Bucket`, `resultsS3Uri`, `region`, `isTerminal`, ...). Return it from a
 * mock's `call`. Throws, as the plugin does, when a member the API always returns is missing or the
 * ARN or `outputDataConfig.s3Path` is malformed.
 */
export function hybridJobResult(getJobResponse: GetJobResponseLike): GetHybridJobResult {
    return toHybridJobResult(getJobResponse);
}

/**
 * The state a `HybridJobCompletion` gate has once the job passed it: the same as
 * {@link hybridJobResult}, without `queueInfo`. Return it as the `state` of a mock's `newResource`
 * for the type `braket:index:HybridJobCompletion` (the plugin's id for a gate is its `jobArn`); to
 * make the gate fail, as a FAILED job does, throw from `newResource` instead.
 */
export function hybridJobCompletionState(getJobResponse: GetJobResponseLike): HybridJobCompletionState {
    const { queueInfo: _queueInfo, ...state } = toHybridJobResult(getJobResponse);
    return state;
}

/**
 * A SearchJobs job summary: the AWS SDK's `JobSummary` (an item of `SearchJobsCommandOutput.jobs`),
 * or the same members with the timestamps as strings, as `aws braket search-jobs` prints them.
 */
export type JobSummaryLike = Omit<JobSummary, "createdAt" | "startedAt" | "endedAt"> & {
    createdAt: Timestamp | undefined;
    startedAt?: Timestamp | undefined;
    endedAt?: Timestamp | undefined;
};

/**
 * The arguments of a `getHybridJobs` call, as a mock's `call` gets them (`args.inputs`): the
 * filters, `maxResults` and `region`. Others (`profile`, `endpoint`) are ignored.
 */
export type HybridJobsQuery = GetHybridJobsArgs | Record<string, unknown>;

/**
 * What `getHybridJobs` gives when SearchJobs lists these job summaries (the account's jobs, in any
 * order) for a call with these arguments: the jobs in `region` that match the filters (`jobName`,
 * `statuses`, `device`, `createdAfter`, `createdBefore`, `createdAt`), newest first then by ARN,
 * each as the plugin maps it (timestamps as ISO-8601 UTC strings, unknown members dropped); at most
 * `maxResults` of them (default 100), with `jobArns` in the same order, `matchCount` (before the
 * cap), `truncated` and `region`. Return it from a mock's `call` for the token
 * `braket:index:getHybridJobs`, passing `args.inputs` as `query`.
 *
 * The region is `query.region`; without one, the region of the jobs' ARNs when they all have the
 * same (the plugin would take the provider's `braket:region`, else `AWS_REGION`, which a mock does
 * not know: pass `{ ...args.inputs, region: args.inputs.region ?? "us-east-1" }`). Jobs of other
 * regions are left out, as SearchJobs lists one region's jobs.
 *
 * Throws, as the plugin does, on an argument the plugin refuses (a status that is not one, a time
 * without a zone, `maxResults` out of range...) and on a summary that lacks a member the API always
 * returns or has a malformed ARN; and when no region is given and the jobs do not name exactly one.
 */
export function hybridJobsResult(jobSummaries: readonly JobSummaryLike[], query: HybridJobsQuery = {}): GetHybridJobsResult {
    const args = query as Record<string, unknown>;
    const filters = checkJobFilters(args, LIST_FILTERS);
    const maxResults = checkMaxJobs(args.maxResults);
    const given = checkRegion(args.region);
    const subject = `hybrid jobs ${describeFilters(filters)}`;
    const summaries = toHybridJobSummaries({ jobs: jobSummaries }, given ? `${subject} in region ${given}` : subject);
    const regions = [...new Set(summaries.map((j) => parseJobArn(j.jobArn).region))];
    const region = given ?? (regions.length === 1 ? regions[0] : undefined);
    if (region === undefined) {
        throw new Error(
            `hybridJobsResult needs the region searched: the query has no region, and ${regions.length === 0 ? "there are no jobs to take it from" : `the jobs are in several (${regions.join(", ")})`}. ` +
                'Pass one, e.g. hybridJobsResult(jobs, { ...args.inputs, region: args.inputs.region ?? "us-east-1" }).',
        );
    }
    const matches = summaries.filter((j) => parseJobArn(j.jobArn).region === region && matchesFilters(j, filters)).sort(compareSummaries);
    return hybridJobList(matches, maxResults, region);
}
