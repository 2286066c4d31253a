/**
 * The operations behind the HybridJobCompletion dynamic resource: check, diff, create (wait),
 * update, read (refresh). They run in Pulumi's dynamic-provider process, so they hold no state
 * between calls and build their AWS clients through clients.ts when called.
 */
import { randomUUID } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { progressLine } from "./progress";
import type { HybridJobTerminalStatus } from "../sdk/types";
import { HybridJobNotFoundError } from "./errors";
import { fetchHybridJob, resolveLookup, type HybridJobLookup } from "./hybridJob";
import { checkWaitOptions, DEFAULT_WAIT_TIMEOUT_SECONDS, waitForHybridJob, type WaitClock, type WaitProgress } from "./wait";

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

/**
 * The gate's inputs and what a change of each does: `replace` for another job or another meaning of
 * success (the gate must wait again), `update` for how to ask or wait (recorded, no new wait),
 * `none` for bookkeeping. The job's ARN holds its account and region, so the profile, endpoint or
 * region override only change who asks and where: a laptop and CI with different profiles do not
 * replace the gate.
 */
export const GATE_INPUTS = {
    jobArn: "replace",
    successStatuses: "replace",
    region: "update",
    profile: "update",
    endpoint: "update",
    timeoutSeconds: "update",
    initialIntervalSeconds: "update",
    maxIntervalSeconds: "update",
    backoffRate: "update",
    secretArn: "update",
    statusUrn: "none",
} as const satisfies Record<keyof CompletionInputs, "replace" | "update" | "none">;

const INPUT_KEYS = Object.keys(GATE_INPUTS) as (keyof CompletionInputs)[];

function lookupOf(inputs: CompletionInputs): HybridJobLookup {
    return resolveLookup(inputs, { redact: inputs.secretArn === true });
}

/** True for Pulumi's marker of a value not known yet (during a preview), at any depth. */
const isUnknown = (v: unknown): boolean => v === pulumi.runtime.unknownValue || (Array.isArray(v) && v.some(isUnknown));

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
    const waitInputs = [news.timeoutSeconds, news.successStatuses, news.initialIntervalSeconds, news.maxIntervalSeconds, news.backoffRate];
    if (!waitInputs.some(isUnknown)) {
        try {
            checkWaitOptions({ ...news, timeoutSeconds: news.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS });
        } catch (err) {
            failures.push({ property: (err as { argument?: string }).argument ?? "timeoutSeconds", reason: (err as Error).message });
        }
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
    const changed = INPUT_KEYS.filter((k) => GATE_INPUTS[k] !== "none" && !same(olds[k], news[k]));
    const replaces: string[] = changed.filter((k) => GATE_INPUTS[k] === "replace");
    // An ARN that becomes secret needs a new id: the old one is the ARN in plain text.
    if (news.secretArn && !olds.secretArn) {
        replaces.push("secretArn");
    }
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
}

/**
 * Connects `pulumi.log` to the engine in the dynamic-provider process, where the engine's address
 * is the process's last argument but Pulumi's runtime is not told of it; without it, ephemeral
 * status messages would become plain console lines.
 */
function connectEngineLog(): void {
    // The engine passes its flags (--logtostderr, -v=N, --tracing <url>) before its address.
    const args = process.argv.slice(2);
    const engineAddr = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "--tracing").pop();
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

/** Where an input is kept in the state: there `region` is the job's own, so the region input is `inputRegion`. */
const stateKey = (input: keyof CompletionInputs): string => (input === "region" ? "inputRegion" : input);
const STATE_INPUT_KEYS = new Set(INPUT_KEYS.map(stateKey));

/**
 * The gate's state: every field of the job, and the inputs it was made from. The queue position is
 * left out: it describes a moment of the wait, and a refresh would always change it.
 */
function stateOf(inputs: CompletionInputs, job: object): Record<string, unknown> {
    const { queueInfo: _queueInfo, ...fields } = job as Record<string, unknown>;
    const kept = INPUT_KEYS.filter((k) => inputs[k] !== undefined).map((k) => [stateKey(k), inputs[k]]);
    return { ...fields, ...Object.fromEntries(kept) };
}

/** The job's fields of a state, without the inputs. */
function jobOf(state: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(state).filter(([k]) => !STATE_INPUT_KEYS.has(k)));
}

/** The inputs a state was made from. */
function inputsOf(state: Record<string, unknown>): CompletionInputs {
    const kept = INPUT_KEYS.filter((k) => state[stateKey(k)] !== undefined && state[stateKey(k)] !== null);
    return Object.fromEntries(kept.map((k) => [k, state[stateKey(k)]])) as unknown as CompletionInputs;
}

/**
 * The gate's id: the job's ARN; for a secret ARN a random id, since Pulumi stores ids in the state as
 * plain text (and a digest of an ARN that ends in a job name could be guessed back).
 */
export function gateId(inputs: CompletionInputs): string {
    return inputs.secretArn ? `secret-${randomUUID()}` : inputs.jobArn;
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
            timeoutSeconds: inputs.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
            successStatuses: inputs.successStatuses,
            initialIntervalSeconds: inputs.initialIntervalSeconds,
            maxIntervalSeconds: inputs.maxIntervalSeconds,
            backoffRate: inputs.backoffRate,
            signal: overrides.signal ?? cancellation?.signal,
            clock: overrides.clock,
            onProgress: overrides.onProgress ?? reporter(inputs.statusUrn),
        });
        return { id: gateId(inputs), outs: stateOf(inputs, job) };
    } finally {
        cancellation?.dispose();
    }
}

/** update: new polling options or timeout for a gate that already passed; no new wait. */
export function updateCompletion(olds: Record<string, unknown>, news: CompletionInputs): { outs: Record<string, unknown> } {
    // The job's fields as they were, the inputs as they are now (a removed option is gone).
    return { outs: stateOf(news, jobOf(olds)) };
}

/**
 * read (`pulumi refresh`): re-reads the job. A job that no longer exists drops the gate from the
 * state, so the next update waits again.
 */
export async function readCompletion(id: string, state: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown> }> {
    const inputs: CompletionInputs = { ...inputsOf(state), jobArn: (state.jobArn as string | undefined) ?? id };
    try {
        const job = await fetchHybridJob(lookupOf(inputs));
        return { id, props: stateOf(inputs, job) };
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
