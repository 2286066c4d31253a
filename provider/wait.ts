/**
 * Waiting for a hybrid job to finish: polite polling of GetJob with exponential backoff and
 * jitter, slower while the job is queued far back, surviving transient errors, honouring an overall
 * deadline and cancellation, leaving no timer behind.
 */
import type { GetHybridJobResult, HybridJobTerminalStatus } from "./types";
import {
    BraketJobError,
    BraketUnavailableError,
    HybridJobArgumentError,
    HybridJobFailedError,
    HybridJobThrottledError,
    HybridJobWaitCancelledError,
    HybridJobWaitTimeoutError,
} from "./errors";
import { fetchHybridJob, type HybridJobLookup } from "./hybridJob";
import { isTerminalStatus } from "./mapping";
import { safeForTerminal } from "./progress";

/** Polling bounds. */
export interface PollingOptions {
    /** The first interval between two reads, in seconds. Default 2. */
    initialIntervalSeconds?: number;
    /** The longest interval, in seconds: the longest delay in noticing that the job ended, unless a read is itself held up by throttling and retries. Default 60. */
    maxIntervalSeconds?: number;
    /** How much each interval grows. Default 1.5. */
    backoffRate?: number;
}

export const DEFAULT_POLLING: Required<PollingOptions> = { initialIntervalSeconds: 2, maxIntervalSeconds: 60, backoffRate: 1.5 };

/** The default overall deadline of a wait (the gate's and the CLI's): six hours. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 6 * 3600;

/** A job queued at this position or further back cannot start soon: poll it at the cap. */
export const FAR_BACK_IN_QUEUE = 5;

/** What a wait reports as it goes. */
export interface WaitProgress {
    status: string;
    /** The queue position while QUEUED, as the API gives it. */
    queuePosition?: string;
    elapsedSeconds: number;
    /** GetJob reads so far (failed ones included). */
    reads: number;
    /** Seconds until the next read, when there is one. */
    nextReadSeconds?: number;
    /** The message of the transient error just survived, if any. */
    transientError?: string;
    /** Its code (ThrottlingException, ECONNREFUSED, …), which says enough on a status line. */
    transientErrorCode?: string;
}

/** Time, injectable so that a simulated hour takes no real time. */
export interface WaitClock {
    now(): number;
    /** Resolves after `ms`, or rejects with the signal's reason when it aborts; leaves no timer. */
    sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: WaitClock = {
    now: () => Date.now(),
    sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
            if (signal.aborted) {
                reject(signal.reason);
                return;
            }
            const onAbort = () => {
                clearTimeout(timer);
                reject(signal.reason);
            };
            const timer = setTimeout(() => {
                signal.removeEventListener("abort", onAbort);
                resolve();
            }, ms);
            signal.addEventListener("abort", onAbort, { once: true });
        }),
};

export interface WaitOptions extends PollingOptions {
    /** The overall deadline, in seconds from the start of the wait. */
    timeoutSeconds: number;
    /** The statuses that end the wait successfully. Default: COMPLETED only. */
    successStatuses?: HybridJobTerminalStatus[];
    /** Cancels the wait. */
    signal?: AbortSignal;
    onProgress?: (progress: WaitProgress) => void;
    clock?: WaitClock;
    /** Random source in [0, 1) for the jitter. */
    random?: () => number;
    /** Reads the job once; default: one GetJob call, not shared with other reads. */
    read?: (lookup: HybridJobLookup, signal: AbortSignal) => Promise<GetHybridJobResult>;
}

/** The delay before read number `n` (1-based, after the first), with "equal jitter". Pure. */
export function backoffDelayMs(n: number, polling: Required<PollingOptions>, random: () => number, queuePosition?: string): number {
    const capMs = polling.maxIntervalSeconds * 1000;
    const position = queuePosition === undefined ? NaN : Number(queuePosition);
    const base =
        Number.isFinite(position) && position >= FAR_BACK_IN_QUEUE
            ? capMs
            : Math.min(capMs, polling.initialIntervalSeconds * 1000 * Math.pow(polling.backoffRate, n - 1));
    return Math.round(base / 2 + random() * (base / 2));
}

/** The longest wait or interval a timer can hold (Node caps timers at 2^31 - 1 ms, about 24.8 days). */
export const MAX_WAIT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Checks polling and timeout options before anything is sent; returns them with defaults. */
export function checkWaitOptions(
    options: WaitOptions,
): Required<PollingOptions> & { timeoutSeconds: number; successStatuses: HybridJobTerminalStatus[] } {
    const seconds = (name: string, value: unknown, min: number, max = MAX_WAIT_SECONDS): number => {
        if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
            throw new HybridJobArgumentError(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}.`, name);
        }
        return value;
    };
    const polling = {
        initialIntervalSeconds: seconds(
            "initialIntervalSeconds",
            options.initialIntervalSeconds ?? DEFAULT_POLLING.initialIntervalSeconds,
            0.001,
        ),
        maxIntervalSeconds: seconds("maxIntervalSeconds", options.maxIntervalSeconds ?? DEFAULT_POLLING.maxIntervalSeconds, 0.001),
        backoffRate: seconds("backoffRate", options.backoffRate ?? DEFAULT_POLLING.backoffRate, 1, 100),
    };
    if (polling.maxIntervalSeconds < polling.initialIntervalSeconds) {
        throw new HybridJobArgumentError(
            `maxIntervalSeconds (${polling.maxIntervalSeconds}) must not be less than initialIntervalSeconds (${polling.initialIntervalSeconds}).`,
            "initialIntervalSeconds",
        );
    }
    const successStatuses = options.successStatuses ?? ["COMPLETED"];
    if (!Array.isArray(successStatuses) || successStatuses.length === 0 || !successStatuses.every((s) => isTerminalStatus(s))) {
        throw new HybridJobArgumentError(
            `successStatuses must list terminal statuses (COMPLETED, FAILED, CANCELLED), got ${JSON.stringify(successStatuses)}.`,
            "successStatuses",
        );
    }
    return { ...polling, timeoutSeconds: seconds("timeoutSeconds", options.timeoutSeconds, 0), successStatuses };
}

function isTransient(err: unknown): boolean {
    return err instanceof BraketUnavailableError || err instanceof HybridJobThrottledError;
}

/** Describes the job for failure messages: name, ARN, status, failure reason. */
function failureMessage(job: GetHybridJobResult, shownArn: string, shownName: string): string {
    const reason = job.failureReason ? `: ${job.failureReason}` : " (the service gave no failure reason)";
    return `Hybrid job ${shownName} (${shownArn}) ended ${job.status}${reason}`;
}

/**
 * Waits until the job is terminal. Resolves with the job when its status is one of
 * `successStatuses`; rejects with HybridJobFailedError when it ends otherwise,
 * HybridJobWaitTimeoutError at the deadline, HybridJobWaitCancelledError when cancelled, and
 * the read's own error for anything not transient (not found, access denied, …).
 */
export async function waitForHybridJob(lookup: HybridJobLookup, options: WaitOptions): Promise<GetHybridJobResult> {
    const settings = checkWaitOptions(options);
    const clock = options.clock ?? realClock;
    const random = options.random ?? Math.random;
    const read = options.read ?? ((l, s) => fetchHybridJob(l, s));
    const started = clock.now();
    const deadline = started + settings.timeoutSeconds * 1000;
    const region = lookup.target.region;
    const shownArn = lookup.shownArn;
    // A job found by a secret name: its name is as secret as the search.
    const nameOf = (name: string | undefined) => (name !== undefined && lookup.hideName ? "[secret]" : name);
    // One controller for the whole wait: aborted by the caller's signal or at the deadline.
    const controller = new AbortController();
    const onCallerAbort = () => {
        const reason: unknown = options.signal?.reason;
        controller.abort(
            reason instanceof HybridJobWaitCancelledError
                ? reason
                : new HybridJobWaitCancelledError(`Waiting for hybrid job ${shownArn} was cancelled.`, { jobArn: shownArn, region }),
        );
    };
    options.signal?.addEventListener("abort", onCallerAbort, { once: true });
    if (options.signal?.aborted) {
        onCallerAbort();
    }
    let lastStatus: string | undefined;
    let reads = 0;
    let jobName: string | undefined;
    const timeout = () =>
        new HybridJobWaitTimeoutError(
            `Hybrid job ${jobName ? `${nameOf(jobName)} (${shownArn})` : shownArn} was still ${lastStatus ?? "unread"} ` +
                `when the wait's timeout of ${settings.timeoutSeconds} s passed. ` +
                "Raise the timeout (timeoutSeconds, or --timeout), or check the job's queue and progress in the Braket console.",
            { jobArn: shownArn, region, lastStatus, timeoutSeconds: settings.timeoutSeconds },
        );
    // The deadline, to the second, for real time: a timer that aborts what is under way.
    const deadlineTimer =
        clock === realClock ? setTimeout(() => controller.abort(timeout()), Math.max(0, deadline - clock.now())) : undefined;
    const lookupWithQueue: HybridJobLookup = { ...lookup, additionalAttributeNames: ["QueueInfo"] };
    try {
        for (let n = 1; ; n++) {
            if (controller.signal.aborted) {
                throw controller.signal.reason;
            }
            if (clock.now() >= deadline) {
                throw timeout();
            }
            let job: GetHybridJobResult | undefined;
            let transientError: string | undefined;
            let transientErrorCode: string | undefined;
            reads++;
            try {
                job = await read(lookupWithQueue, controller.signal);
            } catch (err) {
                if (controller.signal.aborted) {
                    throw controller.signal.reason;
                }
                if (!isTransient(err)) {
                    throw err;
                }
                transientError = (err as Error).message;
                const code = (err as { code?: unknown }).code;
                // The code may be the service's (its error type): shown on a status line, so made safe.
                transientErrorCode = typeof code === "string" ? safeForTerminal(code).slice(0, 100) : undefined;
            }
            if (job && job.jobArn !== lookup.jobArn) {
                // fetchHybridJob refuses this already; a `read` of the caller's own must not make the gate pass on another job either.
                throw new BraketJobError(`GetJob for ${shownArn} returned another job: refused, the wait does not pass on it.`, {
                    jobArn: shownArn,
                    region,
                });
            }
            if (job) {
                lastStatus = job.status;
                jobName = job.jobName;
                if (isTerminalStatus(job.status)) {
                    // The last word on the status line is the job's end, not its last running state.
                    options.onProgress?.({ status: job.status, elapsedSeconds: Math.round((clock.now() - started) / 1000), reads });
                    if ((settings.successStatuses as string[]).includes(job.status)) {
                        return job;
                    }
                    const message = failureMessage(job, shownArn, nameOf(job.jobName) as string);
                    throw new HybridJobFailedError(/[.!?]$/.test(message) ? message : `${message}.`, {
                        jobArn: shownArn,
                        region,
                        status: job.status,
                        failureReason: job.failureReason,
                        jobName: nameOf(job.jobName),
                    });
                }
            }
            const queuePosition = job?.status === "QUEUED" ? job.queueInfo?.position : undefined;
            const delay = Math.min(backoffDelayMs(n, settings, random, queuePosition), Math.max(0, deadline - clock.now()));
            options.onProgress?.({
                status: lastStatus ?? "unknown",
                queuePosition,
                elapsedSeconds: Math.round((clock.now() - started) / 1000),
                reads,
                nextReadSeconds: delay / 1000,
                transientError,
                transientErrorCode,
            });
            await clock.sleep(delay, controller.signal);
        }
    } finally {
        if (deadlineTimer !== undefined) {
            clearTimeout(deadlineTimer);
        }
        options.signal?.removeEventListener("abort", onCallerAbort);
    }
}
