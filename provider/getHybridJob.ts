/**
 * The invokes `braket:index:getHybridJob` and `braket:index:getHybridJobs`: check the arguments,
 * pick the settings (the call's, else the provider's), then
 * - getHybridJob: find the job by name when no ARN is given (hybridJobSearch.ts), and read it
 *   (shared with identical lookups, paced under Braket's quota: hybridJob.ts);
 * - getHybridJobs: list the jobs that match (hybridJobSearch.ts), newest first, up to the cap.
 * A secret argument makes the whole result secret.
 */
import type { ProviderConfig } from "./config";
import { HybridJobArgumentError } from "./errors";
import { readHybridJob } from "./hybridJob";
import { checkJobReference, checkSearch, lookupOfReference, resolveSearch, searchHybridJobs } from "./hybridJobSearch";
import { checkMaxJobs, hybridJobList, LIST_FILTERS } from "./jobFilters";
import type { Unwrapped } from "./propertyValues";
import schema from "./cmd/pulumi-resource-braket/schema.json";

export const GET_HYBRID_JOB_TOKEN = "braket:index:getHybridJob";
export const GET_HYBRID_JOBS_TOKEN = "braket:index:getHybridJobs";

/** The result's properties, and which of them are secret (`"*"`: all). */
export interface InvokeResult {
    values: Record<string, unknown>;
    secret: "*" | string[];
}

/**
 * Refuses arguments not yet known (an SDK does not invoke with them; a hand-written gRPC call
 * might) and arguments the schema does not declare: a typo must not be dropped silently.
 */
function checkInvokeArguments(token: keyof typeof schema.functions, args: Unwrapped): void {
    const name = token.slice(token.lastIndexOf(":") + 1);
    const unknown = [...args.unknown];
    if (unknown.length > 0) {
        throw new HybridJobArgumentError(`${name} was called with ${unknown.join(", ")} not yet known. Pass known values.`, unknown[0]);
    }
    const declared = Object.keys(schema.functions[token].inputs.properties);
    const unexpected = Object.keys(args.values).filter((k) => !declared.includes(k));
    if (unexpected.length > 0) {
        throw new HybridJobArgumentError(
            `${name} has no argument ${unexpected.map((k) => JSON.stringify(k)).join(", ")}. It takes ${declared.join(", ")}.`,
            unexpected[0],
        );
    }
}

export async function getHybridJob(args: Unwrapped, provider: ProviderConfig, signal: AbortSignal): Promise<InvokeResult> {
    checkInvokeArguments(GET_HYBRID_JOB_TOKEN, args);
    const reference = checkJobReference(args.values, { secret: args.secret, provider, caller: "getHybridJob" });
    const job = await readHybridJob(await lookupOfReference(reference, provider, signal), signal);
    return { values: job as unknown as Record<string, unknown>, secret: args.secret.size > 0 ? "*" : [] };
}

export async function getHybridJobs(args: Unwrapped, provider: ProviderConfig, signal: AbortSignal): Promise<InvokeResult> {
    checkInvokeArguments(GET_HYBRID_JOBS_TOKEN, args);
    const redact = args.secret.size > 0;
    const maxResults = checkMaxJobs(args.values.maxResults, redact);
    const search = await resolveSearch(checkSearch(args.values, LIST_FILTERS, { redact, provider }));
    const { jobs } = await searchHybridJobs(search, signal);
    const result = hybridJobList(jobs, maxResults, search.target.region);
    return { values: result as unknown as Record<string, unknown>, secret: redact ? "*" : [] };
}
