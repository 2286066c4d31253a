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

/** The job, as the invoke returns it to the SDK (`secret` in the answer is the server tests' business). */
export async function lookUp(
    args: Record<string, unknown>,
    providerConfig: ProviderConfig | Record<string, unknown> = {},
    options: LookUpOptions = {},
): Promise<GetHybridJobResult> {
    const config = parseProviderConfig(providerConfig as Record<string, unknown>);
    const result = await getHybridJob(
        unwrapProperties(wrapProperties(args, options.secret ?? [])),
        config,
        options.signal ?? PROVIDER_SIGNAL,
    );
    return result.values as unknown as GetHybridJobResult;
}

/** The job list, as the invoke getHybridJobs returns it to the SDK. */
export async function listJobs(
    args: Record<string, unknown>,
    providerConfig: ProviderConfig | Record<string, unknown> = {},
    options: LookUpOptions = {},
): Promise<GetHybridJobsResult> {
    const config = parseProviderConfig(providerConfig as Record<string, unknown>);
    const result = await getHybridJobs(
        unwrapProperties(wrapProperties(args, options.secret ?? [])),
        config,
        options.signal ?? PROVIDER_SIGNAL,
    );
    return result.values as unknown as GetHybridJobsResult;
}
