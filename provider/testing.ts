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
 * Pure functions: no request, no AWS client, nothing read from the environment. (Loading this module
 * loads `@aws-sdk/client-braket`'s module, whose error classes the mapping's errors refer to, but
 * builds no client.)
 */
import type { GetJobResponse } from "@aws-sdk/client-braket";
import { toHybridJobResult } from "./mapping";
import type { GetHybridJobResult } from "./types";

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
