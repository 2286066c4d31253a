/**
 * getHybridJob as the plugin runs an invoke of it (provider/server.ts): the arguments marshalled as
 * the engine sends them (named ones wrapped as secrets), the provider's settings as Configure
 * parses them from stack config, and one cancellation signal for the whole process, then the
 * invoke's handler: checks, precedence, sharing, pacing, the AWS SDK client, GetJob and mapping.
 */
import { parseProviderConfig, type ProviderConfig } from "../../provider/config";
import { getHybridJob, getHybridJobs } from "../../provider/getHybridJob";
import { unwrapProperties, wrapProperties } from "../../provider/propertyValues";
import { BraketProviderServer } from "../../provider/server";
import type { GetHybridJobResult, GetHybridJobsResult } from "../../provider/types";

/**
 * The signal a fresh plugin process hands every invoke and wait: its server's, aborted only by the
 * engine's Cancel. The server is built, never started (no port, no handle).
 */
export function pluginSignal(): AbortSignal {
    return new BraketProviderServer({ version: "0.0.0-test", schema: {} }).signal;
}

/** This process's plugin signal, shared by every lookUp (as one plugin's invokes share it). */
export const PROVIDER_SIGNAL: AbortSignal = pluginSignal();

export interface LookUpOptions {
    /** Top-level arguments sent as secrets (`"*"`: all). */
    secret?: string[] | "*";
    /** Instead of the process's signal: a fresh plugin's (pluginSignal), or one a test aborts. */
    signal?: AbortSignal;
}

/** An invoke's handler run as the plugin runs it, with its result's values as the SDK gets them. */
async function invoke(
    handler: typeof getHybridJob,
    args: Record<string, unknown>,
    providerConfig: ProviderConfig | Record<string, unknown>,
    options: LookUpOptions,
): Promise<unknown> {
    const config = parseProviderConfig(providerConfig as Record<string, unknown>);
    const result = await handler(unwrapProperties(wrapProperties(args, options.secret ?? [])), config, options.signal ?? PROVIDER_SIGNAL);
    return result.values;
}

/** The job, as the invoke returns it to the SDK (`secret` in the answer is the server tests' business). */
export async function lookUp(
    args: Record<string, unknown>,
    providerConfig: ProviderConfig | Record<string, unknown> = {},
    options: LookUpOptions = {},
): Promise<GetHybridJobResult> {
    return (await invoke(getHybridJob, args, providerConfig, options)) as GetHybridJobResult;
}

/** The job list, as the invoke getHybridJobs returns it to the SDK. */
export async function listJobs(
    args: Record<string, unknown>,
    providerConfig: ProviderConfig | Record<string, unknown> = {},
    options: LookUpOptions = {},
): Promise<GetHybridJobsResult> {
    return (await invoke(getHybridJobs, args, providerConfig, options)) as GetHybridJobsResult;
}
