/**
 * The invoke `braket:index:getHybridJob`: check the arguments, pick the settings (the call's, else
 * the provider's), read the job (shared with identical lookups, paced under Braket's quota) and
 * return the result. A secret argument makes the whole result secret.
 */
import type { ProviderConfig } from "./config";
import { readHybridJob, resolveLookup } from "./hybridJob";
import type { Unwrapped } from "./propertyValues";
import { HybridJobArgumentError } from "./errors";
import schema from "./cmd/pulumi-resource-braket/schema.json";

export const GET_HYBRID_JOB_TOKEN = "braket:index:getHybridJob";

/** The arguments the schema declares; anything else is a typo that must not be dropped silently. */
const ARGUMENTS = Object.keys(schema.functions[GET_HYBRID_JOB_TOKEN].inputs.properties);

/** The result's properties, and which of them are secret (`"*"`: all). */
export interface InvokeResult {
    values: Record<string, unknown>;
    secret: "*" | string[];
}

export async function getHybridJob(args: Unwrapped, provider: ProviderConfig, signal: AbortSignal): Promise<InvokeResult> {
    // An SDK does not invoke with unknown arguments; a hand-written gRPC call might.
    const unknown = [...args.unknown];
    if (unknown.length > 0) {
        throw new HybridJobArgumentError(
            `getHybridJob was called with ${unknown.join(", ")} not yet known. Pass known values.`,
            unknown[0],
        );
    }
    const unexpected = Object.keys(args.values).filter((k) => !ARGUMENTS.includes(k));
    if (unexpected.length > 0) {
        throw new HybridJobArgumentError(
            `getHybridJob has no argument ${unexpected.map((k) => JSON.stringify(k)).join(", ")}. It takes ${ARGUMENTS.join(", ")}.`,
            unexpected[0],
        );
    }
    const lookup = resolveLookup(args.values as { jobArn: unknown }, { redact: args.secret.has("jobArn"), provider });
    const job = await readHybridJob(lookup, signal);
    return { values: job as unknown as Record<string, unknown>, secret: args.secret.size > 0 ? "*" : [] };
}
