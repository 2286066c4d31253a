import * as pulumi from "@pulumi/pulumi";
import { HybridJobArgumentError } from "../provider/errors";
import { readHybridJob, resolveLookup } from "../provider/hybridJob";
import { toHybridJobResult } from "../provider/mapping";
import { afterDependencies, currentRunCache, mocksActive, stackAwsProfile } from "./pulumiRuntime";
import type { GetHybridJobArgs, GetHybridJobResult, HybridJobAdditionalAttributeName } from "./types";

/** The function token under which Pulumi's mocks see this data function (`MockCallArgs.token`). */
export const GET_HYBRID_JOB_TOKEN = "braket:index:getHybridJob";

/** Arguments of {@link getHybridJobOutput}: those of {@link getHybridJob}, each an Input. */
export interface GetHybridJobOutputArgs {
    /** See {@link GetHybridJobArgs.jobArn}. */
    jobArn: pulumi.Input<string>;
    /** See {@link GetHybridJobArgs.additionalAttributeNames}. */
    additionalAttributeNames?: pulumi.Input<pulumi.Input<HybridJobAdditionalAttributeName>[]>;
    /** See {@link GetHybridJobArgs.region}. */
    region?: pulumi.Input<string>;
    /** See {@link GetHybridJobArgs.profile}. */
    profile?: pulumi.Input<string>;
    /** See {@link GetHybridJobArgs.endpoint}. */
    endpoint?: pulumi.Input<string>;
}

/** Fills in the profile from the stack's `aws:profile` when the caller gave none. */
function withStackProfile(args: GetHybridJobArgs): GetHybridJobArgs {
    if (args === null || typeof args !== "object" || args.profile) {
        return args;
    }
    const profile = stackAwsProfile();
    return profile ? { ...args, profile } : args;
}

/**
 * Reads the job, sharing identical lookups of this run: through Pulumi's mocks' `call` when they
 * are set, else with one GetJob call.
 */
async function lookUp(
    args: GetHybridJobArgs,
    opts: pulumi.InvokeOutputOptions | undefined,
    redact: boolean,
    scope = "",
): Promise<GetHybridJobResult> {
    const lookup = resolveLookup(withStackProfile(args), { redact });
    if (opts?.provider !== undefined) {
        // Unlike @pulumi/aws's functions, this one runs in the program: a provider's settings would be ignored.
        throw new HybridJobArgumentError(
            "getHybridJob does not take a provider: pass region, profile or endpoint in its args instead.",
            "opts.provider",
        );
    }
    const runCache = currentRunCache();
    if (mocksActive()) {
        // dependsOn is the Output form's business (handled before this is called), not the invoke's.
        const { dependsOn: _dependsOn, ...invokeOpts } = opts ?? {};
        const fetch = async () =>
            toHybridJobResult(await pulumi.runtime.invoke(GET_HYBRID_JOB_TOKEN, { ...args }, invokeOpts), {
                requestedArn: lookup.shownArn,
            });
        return readHybridJob(lookup, { runCache, scope, fetch });
    }
    return readHybridJob(lookup, { runCache, scope });
}

/**
 * Reads an Amazon Braket hybrid job (Braket's GetJob) and returns every field of it, plus S3
 * locations ready for wiring.
 *
 * The ARN and attribute names are checked before any request; errors are subclasses of
 * `BraketJobError` that name the ARN, the region asked and what to do. Identical lookups in one
 * Pulumi run share one request. Under `pulumi.runtime.setMocks` the call goes to the mocks' `call`
 * with the token `braket:index:getHybridJob` and the args as inputs; return a GetJob response there.
 *
 * @example
 * const job = await braket.getHybridJob({ jobArn: "arn:aws:braket:us-east-1:123456789012:job/…" });
 * console.log(job.status, job.resultsS3Uri);
 */
export function getHybridJob(args: GetHybridJobArgs, opts?: pulumi.InvokeOptions): Promise<GetHybridJobResult> {
    return lookUp(args, opts, false);
}

/**
 * The Output form of {@link getHybridJob}: takes Inputs and returns an Output, as Pulumi's data
 * functions do. While any input is unknown (during a preview), or a `dependsOn` resource is still
 * to be created, no request is made and the result is unknown; a secret input makes the result
 * secret (and keeps the ARN out of error messages); the inputs' and `dependsOn`'s resources become
 * dependencies of the result.
 *
 * @example
 * const job = braket.getHybridJobOutput({ jobArn: config.require("jobArn") });
 * export const results = job.resultsS3Uri;
 */
export function getHybridJobOutput(args: GetHybridJobOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetHybridJobResult> {
    const inputs = pulumi.output(args);
    const secret = pulumi.output(pulumi.isSecret(inputs));
    return (
        pulumi
            .all([inputs, secret, afterDependencies(opts?.dependsOn)])
            // A lookup after its dependsOn resources shares only with lookups after the same ones.
            .apply(([plain, isSecret, after]) =>
                lookUp(plain as GetHybridJobArgs, opts, isSecret, after.length > 0 ? JSON.stringify(after) : ""),
            )
    );
}
