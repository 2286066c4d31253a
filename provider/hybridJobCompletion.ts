/**
 * The resource `braket:index:HybridJobCompletion`, the deployment gate: check, diff, create (the
 * wait), update, read (refresh). The engine keeps the gate's inputs itself, so the state holds only
 * the job; preview never reaches create (Configure answers supportsPreview: false).
 */
import { randomUUID } from "node:crypto";
import type { ProviderConfig } from "./config";
import { HybridJobNotFoundError } from "./errors";
import { fetchHybridJob, resolveLookup, type HybridJobLookup } from "./hybridJob";
import { checkJobReference, lookupOfReference, NAME_LOOKUP_ARGUMENTS, resolveSearch, type JobReference } from "./hybridJobSearch";
import { UNKNOWN, type Unwrapped } from "./propertyValues";
import type { HybridJobStatus, HybridJobTerminalStatus } from "./types";
import { checkWaitOptions, DEFAULT_WAIT_TIMEOUT_SECONDS, waitForHybridJob, type WaitProgress } from "./wait";

export const HYBRID_JOB_COMPLETION_TYPE = "braket:index:HybridJobCompletion";

/** The gate's inputs, checked by the schema's types and by `checkCompletion`. */
export interface CompletionInputs {
    jobArn?: string;
    jobName?: string;
    statuses?: HybridJobStatus[];
    createdAfter?: string;
    createdBefore?: string;
    device?: string;
    mostRecent?: boolean;
    region?: string;
    profile?: string;
    endpoint?: string;
    timeoutSeconds?: number;
    successStatuses?: HybridJobTerminalStatus[];
    initialIntervalSeconds?: number;
    maxIntervalSeconds?: number;
    backoffRate?: number;
}

/**
 * What a change of each input does: `replace` for another job or another meaning of success (the
 * gate must wait again), `update` for how to ask or wait (recorded, no new wait). The job's ARN
 * holds its account and region, so the profile, endpoint or region override only change who asks
 * and where: a laptop and CI with different profiles do not replace the gate. A search (jobName
 * and its filters) is made once, at create: another one may find another job, so it replaces.
 */
export const GATE_INPUTS = {
    jobArn: "replace",
    jobName: "replace",
    statuses: "replace",
    createdAfter: "replace",
    createdBefore: "replace",
    device: "replace",
    mostRecent: "replace",
    successStatuses: "replace",
    region: "update",
    profile: "update",
    endpoint: "update",
    timeoutSeconds: "update",
    initialIntervalSeconds: "update",
    maxIntervalSeconds: "update",
    backoffRate: "update",
} as const satisfies Record<keyof CompletionInputs, "replace" | "update">;

const INPUT_KEYS = Object.keys(GATE_INPUTS) as (keyof CompletionInputs)[];

function lookupOf(inputs: Unwrapped, provider: ProviderConfig): HybridJobLookup {
    return resolveLookup(inputs.values as unknown as { jobArn: string }, { redact: inputs.secret.has("jobArn"), provider });
}

/** The job the inputs name, checked: by ARN, or by name (a search at create). */
function referenceOf(inputs: Unwrapped, provider: ProviderConfig): JobReference {
    return checkJobReference(inputs.values, { secret: inputs.secret, provider, caller: "HybridJobCompletion" });
}

/** The inputs that, secret, make the job's identity secret: its ARN, or the search that finds it. */
const IDENTIFYING_INPUTS = ["jobArn", "jobName", ...NAME_LOOKUP_ARGUMENTS];
const identitySecret = (inputs: Unwrapped) => IDENTIFYING_INPUTS.some((k) => inputs.secret.has(k));

/** check: refuses bad inputs (during preview too) with the property and the reason. */
export function checkCompletion(news: Unwrapped, provider: ProviderConfig): { property: string; reason: string }[] {
    const failures: { property: string; reason: string }[] = [];
    const v = news.values;
    const known = (...keys: string[]) => keys.every((k) => !news.unknown.has(k));
    if (known(...IDENTIFYING_INPUTS, "region", "profile", "endpoint")) {
        try {
            referenceOf(news, provider);
        } catch (err) {
            failures.push({ property: (err as { argument?: string }).argument ?? "jobArn", reason: (err as Error).message });
        }
    }
    if (known("timeoutSeconds", "successStatuses", "initialIntervalSeconds", "maxIntervalSeconds", "backoffRate")) {
        try {
            checkWaitOptions({
                ...(v as object),
                timeoutSeconds: (v.timeoutSeconds as number | undefined) ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
            });
        } catch (err) {
            failures.push({ property: (err as { argument?: string }).argument ?? "timeoutSeconds", reason: (err as Error).message });
        }
    }
    return failures;
}

/**
 * check, the part that reads the AWS SDK's configuration (no request), for inputs checkCompletion
 * passed: a gate by jobName with no region of its own or the provider's needs one from AWS_REGION
 * or the profile; without it the preview fails now, naming region, rather than the update later.
 */
export async function checkCompletionRegion(news: Unwrapped, provider: ProviderConfig): Promise<{ property: string; reason: string }[]> {
    if (news.unknown.size > 0) {
        return [];
    }
    const reference = referenceOf(news, provider);
    if (reference.by === "arn" || reference.search.region !== undefined) {
        return [];
    }
    try {
        await resolveSearch(reference.search);
        return [];
    } catch (err) {
        return [{ property: (err as { argument?: string }).argument ?? "region", reason: (err as Error).message }];
    }
}

/** diff: another job (or a jobArn that became secret) replaces the gate; other changes update it without waiting. */
export function diffCompletion(oldInputs: Unwrapped, news: Unwrapped): { changed: string[]; replaces: string[] } {
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const changed = INPUT_KEYS.filter(
        (k) => news.unknown.has(k) || !same(oldInputs.values[k], news.values[k]) || oldInputs.secret.has(k) !== news.secret.has(k),
    );
    const replaces = changed.filter((k) => GATE_INPUTS[k] === "replace");
    return { changed, replaces };
}

/**
 * The gate's id: the job's ARN; for a secret ARN a random id, since Pulumi stores ids in the state as
 * plain text (and a digest of an ARN that ends in a job name could be guessed back).
 */
export function gateId(inputs: Unwrapped, jobArn: string): string {
    return identitySecret(inputs) ? `secret-${randomUUID()}` : jobArn;
}

/** The state of a gate: the job, without the queue position (a moment of the wait that a refresh would always change). */
function stateOf(job: object): Record<string, unknown> {
    const { queueInfo: _queueInfo, ...fields } = job as Record<string, unknown>;
    return fields;
}

/**
 * Which outputs are secret: the jobArn when it, or the search that found it, was given as a secret
 * (and the jobName then too; the engine does the same for a same-named input).
 */
export function secretOutputs(inputs: Unwrapped): string[] {
    return identitySecret(inputs) ? ["jobArn", "jobName"] : [];
}

/** create: finds the job when named by jobName, waits until it is done, then records it; fails the update otherwise. */
export async function createCompletion(
    inputs: Unwrapped,
    provider: ProviderConfig,
    run: { signal: AbortSignal; onProgress: (p: WaitProgress) => void },
): Promise<{ id: string; outs: Record<string, unknown> }> {
    const v = inputs.values as unknown as CompletionInputs;
    const lookup = await lookupOfReference(referenceOf(inputs, provider), provider, run.signal);
    const job = await waitForHybridJob(lookup, {
        timeoutSeconds: v.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
        successStatuses: v.successStatuses,
        initialIntervalSeconds: v.initialIntervalSeconds,
        maxIntervalSeconds: v.maxIntervalSeconds,
        backoffRate: v.backoffRate,
        signal: run.signal,
        onProgress: run.onProgress,
    });
    return { id: gateId(inputs, job.jobArn), outs: stateOf(job) };
}

/** update: new polling options or settings for a gate that already passed: the job's fields stay as they were. */
export function updateCompletion(olds: Unwrapped): { outs: Record<string, unknown> } {
    return { outs: olds.values };
}

/**
 * read (`pulumi refresh`, `pulumi import`): re-reads the job. A job that no longer exists drops the
 * gate from the state, so the next update waits again.
 */
export async function readCompletion(
    id: string,
    state: Unwrapped,
    inputs: Unwrapped,
    provider: ProviderConfig,
    signal: AbortSignal,
): Promise<{ id: string; outs: Record<string, unknown> } | undefined> {
    // The job recorded at create (a gate by jobName searched once, then follows it); an import has no inputs: the id is then the ARN.
    const jobArn = state.values.jobArn ?? inputs.values.jobArn ?? id;
    const secret = new Set([...inputs.secret, ...state.secret].filter((k) => k === "jobArn"));
    if (identitySecret(inputs)) secret.add("jobArn");
    const { region, profile, endpoint } = inputs.values;
    const lookup: Unwrapped = { values: { jobArn, region, profile, endpoint }, secret, unknown: new Set() };
    try {
        const job = await fetchHybridJob(lookupOf(lookup, provider), signal);
        return { id, outs: stateOf(job) };
    } catch (err) {
        if (err instanceof HybridJobNotFoundError) {
            return undefined;
        }
        throw err;
    }
}

/** The inputs to record after a read: those known, or (for an import) the jobArn alone. */
export function inputsAfterRead(inputs: Unwrapped, outs: Record<string, unknown>): Record<string, unknown> {
    const given = Object.entries(inputs.values).filter(([k, v]) => v !== UNKNOWN && INPUT_KEYS.includes(k as keyof CompletionInputs));
    return given.length > 0 ? Object.fromEntries(given) : { jobArn: outs.jobArn };
}
