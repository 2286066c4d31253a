/**
 * The operations behind the HybridJobCompletion dynamic resource: check, diff, create (wait),
 * update, read (refresh). They run in Pulumi's dynamic-provider process, so they hold no state
 * between calls and build their AWS clients through clients.ts when called.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { progressLine } from "./progress";
import type { HybridJobTerminalStatus } from "../sdk/types";
import { HybridJobNotFoundError } from "./errors";
import { fetchHybridJob, resolveLookup, type HybridJobLookup } from "./hybridJob";
import { checkWaitOptions, waitForHybridJob, type WaitClock, type WaitProgress } from "./wait";

/** The inputs of a HybridJobCompletion, as stored in Pulumi state. */
export interface CompletionInputs {
    jobArn: string;
    region?: string;
    profile?: string;
    endpoint?: string;
    timeoutSeconds?: number;
    successStatuses?: HybridJobTerminalStatus[];
    initialIntervalSeconds?: number;
    maxIntervalSeconds?: number;
    backoffRate?: number;
    /** The gate's own URN, so progress shows on its line in the Pulumi CLI. */
    statusUrn?: string;
    /** True when the job ARN is a secret: messages then show `[secret]`. */
    secretArn?: boolean;
}

/** Default overall deadline of a gate: six hours. */
export const DEFAULT_GATE_TIMEOUT_SECONDS = 6 * 3600;

/** Inputs whose change means another job (or another account, region or endpoint): replace. */
export const REPLACE_ON_CHANGE = ["jobArn", "region", "profile", "endpoint", "successStatuses"] as const;

function lookupOf(inputs: CompletionInputs): HybridJobLookup {
    return resolveLookup(inputs, { redact: inputs.secretArn === true });
}

/** Pulumi's marker for a value not known yet (during a preview), as providers receive it. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const isUnknown = (v: unknown) => v === UNKNOWN;

/** check: refuses bad inputs during preview, with the property and the reason. */
export function checkCompletion(news: CompletionInputs): { inputs: CompletionInputs; failures: { property: string; reason: string }[] } {
    const failures: { property: string; reason: string }[] = [];
    if (news.jobArn === undefined || news.jobArn === null) {
        failures.push({ property: "jobArn", reason: "jobArn is required: the ARN of the hybrid job to wait for." });
    } else if (![news.jobArn, news.region, news.profile, news.endpoint].some(isUnknown)) {
        try {
            lookupOf(news);
        } catch (err) {
            const argument = (err as { argument?: string }).argument ?? "jobArn";
            failures.push({ property: argument, reason: (err as Error).message });
        }
    }
    try {
        checkWaitOptions({ ...news, timeoutSeconds: news.timeoutSeconds ?? DEFAULT_GATE_TIMEOUT_SECONDS });
    } catch (err) {
        failures.push({ property: "timeoutSeconds", reason: (err as Error).message });
    }
    return { inputs: news, failures };
}

/** diff: another job replaces the gate; other changes update it without waiting again. */
export function diffCompletion(
    oldState: Record<string, unknown>,
    news: CompletionInputs,
): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
    const olds = inputsOf(oldState);
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const replaces: string[] = REPLACE_ON_CHANGE.filter((k) => !same(olds[k], news[k]));
    // An ARN that becomes secret needs a new id: the old one is the ARN in plain text.
    if (news.secretArn && !olds.secretArn) {
        replaces.push("secretArn");
    }
    const updates = ["timeoutSeconds", "initialIntervalSeconds", "maxIntervalSeconds", "backoffRate", "secretArn"].filter(
        (k) => !same(olds[k as keyof CompletionInputs], news[k as keyof CompletionInputs]),
    );
    return { changes: replaces.length > 0 || updates.length > 0, replaces, deleteBeforeReplace: false };
}

/**
 * Connects `pulumi.log` to the engine in the dynamic-provider process, where the engine's address
 * is the process's first argument but Pulumi's runtime is not told of it; without it, ephemeral
 * status messages would become plain console lines.
 */
function connectEngineLog(): void {
    const engineAddr = process.argv[2];
    if (pulumi.runtime.hasEngine() || !engineAddr || !/dynamic-provider/.test(process.argv[1] ?? "")) {
        return;
    }
    let organization = "";
    try {
        organization = pulumi.getOrganization();
    } catch {
        organization = "";
    }
    pulumi.runtime.resetOptions(pulumi.getProject(), pulumi.getStack(), -1, engineAddr, "", false, organization);
}

/** Shows progress as an ephemeral status message on the gate's line. */
function reporter(statusUrn: string | undefined): (p: WaitProgress) => void {
    connectEngineLog();
    const resource = statusUrn ? ({ urn: pulumi.output(statusUrn) } as unknown as pulumi.Resource) : undefined;
    return (p) => {
        void pulumi.log.info(progressLine(p), resource, undefined, true).catch(() => undefined);
    };
}

/**
 * The gate's state: every field of the job, and the inputs it was made from. The `region` input (a
 * region override) is kept as `inputRegion`, since `region` is the job's own region.
 */
function stateOf(inputs: CompletionInputs, job: Record<string, unknown>): Record<string, unknown> {
    const { region, ...rest } = inputs;
    return { ...job, ...rest, inputRegion: region ?? null };
}

/** The input members of a gate (the state's other members are the job's fields). */
const INPUT_KEYS = [
    "jobArn",
    "profile",
    "endpoint",
    "timeoutSeconds",
    "successStatuses",
    "initialIntervalSeconds",
    "maxIntervalSeconds",
    "backoffRate",
    "statusUrn",
    "secretArn",
] as const;

/** The inputs a state was made from. */
function inputsOf(state: Record<string, unknown>): CompletionInputs {
    const inputs: Record<string, unknown> = {};
    for (const key of INPUT_KEYS) {
        if (state[key] !== undefined && state[key] !== null) {
            inputs[key] = state[key];
        }
    }
    if (typeof state.inputRegion === "string") {
        inputs.region = state.inputRegion;
    }
    return inputs as unknown as CompletionInputs;
}

/**
 * The gate's id: the job's ARN; for a secret ARN a digest of it, since Pulumi stores ids in the
 * state as plain text.
 */
export function gateId(inputs: CompletionInputs): string {
    return inputs.secretArn ? `sha256:${createHash("sha256").update(inputs.jobArn).digest("hex").slice(0, 32)}` : inputs.jobArn;
}

/** create: waits until the job is done, then records it; fails the deployment otherwise. */
export async function createCompletion(
    inputs: CompletionInputs,
    overrides: { clock?: WaitClock; signal?: AbortSignal; onProgress?: (p: WaitProgress) => void } = {},
): Promise<{ id: string; outs: Record<string, unknown> }> {
    const lookup = lookupOf(inputs);
    const cancellation = overrides.signal ? undefined : cancelOnSignals();
    try {
        const job = await waitForHybridJob(lookup, {
            timeoutSeconds: inputs.timeoutSeconds ?? DEFAULT_GATE_TIMEOUT_SECONDS,
            successStatuses: inputs.successStatuses,
            initialIntervalSeconds: inputs.initialIntervalSeconds,
            maxIntervalSeconds: inputs.maxIntervalSeconds,
            backoffRate: inputs.backoffRate,
            signal: overrides.signal ?? cancellation?.signal,
            clock: overrides.clock,
            onProgress: overrides.onProgress ?? reporter(inputs.statusUrn),
        });
        return { id: gateId(inputs), outs: stateOf(inputs, { ...job }) };
    } finally {
        cancellation?.dispose();
    }
}

/** update: new polling options or timeout for a gate that already passed; no new wait. */
export function updateCompletion(olds: Record<string, unknown>, news: CompletionInputs): { outs: Record<string, unknown> } {
    return { outs: stateOf(news, olds) };
}

/**
 * read (`pulumi refresh`): re-reads the job. A job that no longer exists drops the gate from the
 * state, so the next update waits again.
 */
export async function readCompletion(id: string, state: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown> }> {
    const inputs: CompletionInputs = { ...inputsOf(state), jobArn: (state.jobArn as string | undefined) ?? id };
    try {
        const job = await fetchHybridJob(lookupOf(inputs));
        return { id, props: stateOf(inputs, { ...job }) };
    } catch (err) {
        if (err instanceof HybridJobNotFoundError) {
            return { id: "", props: {} };
        }
        throw err;
    }
}

/**
 * An abort signal that fires on SIGINT/SIGTERM while a wait is under way. The signal also ends the
 * provider process shortly after, as it would have without the handler: a stopped deployment must
 * leave nothing polling. (Pulumi's Node dynamic-provider host ignores the engine's Cancel call, so
 * the first Ctrl-C in the CLI does not reach the wait; the engine's second one ends the process.)
 */
function cancelOnSignals(): { signal: AbortSignal; dispose: () => void } {
    const controller = new AbortController();
    const stop = (signal: NodeJS.Signals) => {
        controller.abort(new Error(`cancelled by ${signal}`));
        setTimeout(() => process.exit(128 + (signal === "SIGINT" ? 2 : 15)), 1000).unref();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return {
        signal: controller.signal,
        dispose: () => {
            process.removeListener("SIGINT", stop);
            process.removeListener("SIGTERM", stop);
        },
    };
}
