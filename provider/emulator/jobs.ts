/**
 * Job records and their lifecycle (pure logic, no I/O).
 *
 * A job is seeded from a GetJob response body. It may carry an extra member
 * `"emulator"` (never returned by the endpoint):
 *
 *   "emulator": {
 *     "transitions": [                      // applied in order, relative to load time
 *       {"afterSeconds": 5, "status": "RUNNING"},
 *       {"afterSeconds": 3600, "status": "FAILED", "failureReason": "AlgorithmError: ..."}
 *     ],
 *     "queuePosition": 12,                  // position while QUEUED, at load time
 *     "queuePositions": [{"afterSeconds": 60, "position": 3}]   // optional explicit steps
 *   }
 *
 * Transition members: afterSeconds (>= 0), status (JobPrimaryStatus),
 * optional failureReason (FAILED only), eventType (JobEventType; defaults by
 * status), message (event message), billableDuration (overrides the computed
 * one on terminal states).
 *
 * Queue position while QUEUED: with `queuePositions` it is a step function
 * (`queuePosition`, or the first step's position, before the first step);
 * otherwise, with `queuePosition` and a scheduled transition out of QUEUED,
 * it counts down linearly from `queuePosition` at load time towards 1 just
 * before that transition; otherwise it stays at `queuePosition` (default 1).
 *
 * Times are on the emulator clock (ms since the epoch). Transitions are
 * applied lazily, at their scheduled time (not the time they are observed), so
 * a manual clock gives exact, deterministic timestamps.
 */
import { ApiError } from "./errors";
import { enumOf, shape } from "./model";
import {
    INT32_MAX,
    jsPath,
    memberAccessor,
    normalizeTimestamps,
    parseIsoTimestamp,
    pickModeled,
    quoteForMessage,
    validateValue,
    type Violation,
} from "./validate";

export type JobBody = Record<string, unknown>;

export const JOB_STATUSES: readonly string[] = enumOf("JobPrimaryStatus");
const EVENT_TYPES: readonly string[] = enumOf("JobEventType");
const QUEUE_NAMES: readonly string[] = enumOf("QueueName");
const CANCELLATION_STATUSES: readonly string[] = enumOf("CancellationStatus");
const MAX_EVENTS = shape("JobEvents").max ?? 20;

function requireEnum(values: readonly string[], v: string, what: string): string {
    if (!values.includes(v)) throw new Error(`emulator bug: ${v} is not a ${what} in the Braket model`);
    return v;
}

export const QUEUED = requireEnum(JOB_STATUSES, "QUEUED", "JobPrimaryStatus");
export const RUNNING = requireEnum(JOB_STATUSES, "RUNNING", "JobPrimaryStatus");
export const CANCELLING = requireEnum(CANCELLATION_STATUSES, "CANCELLING", "CancellationStatus");
export const CANCELLED = requireEnum(CANCELLATION_STATUSES, "CANCELLED", "CancellationStatus");
export const TERMINAL: ReadonlySet<string> = new Set(
    ["COMPLETED", "FAILED", "CANCELLED"].map((s) => requireEnum(JOB_STATUSES, s, "JobPrimaryStatus")),
);
const JOBS_QUEUE = requireEnum(QUEUE_NAMES, "JOBS_QUEUE", "QueueName");

/** The JobEventType recorded when a job enters a status (CANCELLING has none in the model). */
const EVENT_FOR_STATUS: Record<string, string | undefined> = {
    QUEUED: requireEnum(EVENT_TYPES, "QUEUED_FOR_EXECUTION", "JobEventType"),
    RUNNING: requireEnum(EVENT_TYPES, "RUNNING", "JobEventType"),
    COMPLETED: requireEnum(EVENT_TYPES, "COMPLETED", "JobEventType"),
    FAILED: requireEnum(EVENT_TYPES, "FAILED", "JobEventType"),
    CANCELLED: requireEnum(EVENT_TYPES, "CANCELLED", "JobEventType"),
};
const EVENT_MESSAGE: Record<string, string> = {
    QUEUED: "Job queued for execution.",
    RUNNING: "Job is running.",
    COMPLETED: "Job completed successfully.",
    CANCELLED: "Job was cancelled.",
};

export interface Transition {
    /** Emulator-clock time (ms) at which the transition happens. */
    at: number;
    status: string;
    failureReason?: string;
    eventType?: string;
    message?: string;
    billableDuration?: number;
}

export interface JobRecord {
    arn: string;
    region: string;
    body: JobBody;
    loadedAt: number;
    pending: Transition[];
    queueInitial?: number;
    queueSteps: { at: number; position: number }[];
}

export class SeedError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SeedError";
    }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Region of a Braket ARN: arn:<partition>:braket:<region>:<account>:job/<id>. */
export function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/** A name or ARN for a message: as it is when it is plain printable text, else quoted and escaped. */
function shownText(v: string): string {
    return /^[\x21-\x7e]{1,200}$/.test(v) ? v : quoteForMessage(v, 120);
}

/** "jobs[3] (qaoa-maxcut, arn:aws:braket:...)": the index, then the jobName and jobArn the job gives (if strings). */
function describe(label: string, raw: Record<string, unknown>): string {
    const ids = [raw.jobName, raw.jobArn].filter((v): v is string => typeof v === "string").map(shownText);
    return ids.length > 0 ? `${label} (${ids.join(", ")})` : label;
}

/** Seed timeline bound: `afterSeconds` up to 100 years (a representable date, far beyond any test). */
export const MAX_AFTER_SECONDS = 100 * 365.25 * 24 * 3600;

/**
 * Validates a seed job against the model's GetJobResponse and parses its
 * `emulator` member. `label` names the job in errors, e.g. "jobs[3]".
 */
export function parseSeedJob(raw: unknown, label: string, now: number): JobRecord {
    if (!isPlainObject(raw)) throw new SeedError(`${label}: must be a JSON object (a GetJob response body)`);
    const who = describe(label, raw);
    try {
        return parseSeedObject(raw, who, now);
    } catch (e) {
        if (e instanceof SeedError) throw e;
        // A hostile file (nesting too deep to copy, ...) still gets a message naming the job.
        throw new SeedError(`${who}: cannot be read: ${(e as Error).message}`);
    }
}

function parseSeedObject(raw: Record<string, unknown>, who: string, now: number): JobRecord {
    const { emulator, queueInfo, ...rest } = raw;

    // A plain-data copy (Dates become ISO strings, undefined members go). A value that cannot be
    // copied (nested too deep, a BigInt, ...) is validated as it is: validation follows the model's
    // shapes only, so the member nested deeper than the model allows is named, never followed.
    let body: JobBody;
    let copyError: Error | undefined;
    try {
        body = JSON.parse(JSON.stringify(rest)) as JobBody;
    } catch (e) {
        body = rest;
        copyError = e as Error;
    }
    const violations: Violation[] = [];
    validateValue("GetJobResponse", body, [], "seed", violations);
    if (violations.length > 0) {
        const lines = violations
            .slice(0, 20)
            .map((v) => `${jsPath(v.path)}: ${v.constraint}${v.kind === "required" ? " (required by GetJobResponse)" : ""}`);
        const more = violations.length > 20 ? `; and ${violations.length - 20} more` : "";
        throw new SeedError(`${who}: invalid GetJob body: ${lines.join("; ")}${more}`);
    }
    if (copyError) throw new SeedError(`${who}: cannot be read: ${copyError.message}`);
    // deviceConfig is optional in GetJobResponse, but SearchJobs's JobSummary requires `device`, and
    // CreateJob requires deviceConfig: every real job has one, and a seed without it could not be listed.
    if (typeof (body.deviceConfig as { device?: unknown } | undefined)?.device !== "string") {
        throw new SeedError(
            `${who}: deviceConfig.device: required (SearchJobs's JobSummary requires device, and CreateJob requires deviceConfig, so every real job has one)`,
        );
    }
    const normalized = normalizeTimestamps("GetJobResponse", body) as JobBody;
    const arn = normalized.jobArn as string;
    const region = arnRegion(arn);
    if (!region) throw new SeedError(`${who}: jobArn: has no region (expected arn:aws:braket:<region>:<account>:job/<uuid>)`);

    const rec: JobRecord = { arn, region, body: normalized, loadedAt: now, pending: [], queueSteps: [] };

    if (isPlainObject(queueInfo) && typeof queueInfo.position === "string" && /^\d+$/.test(queueInfo.position)) {
        const position = Number(queueInfo.position);
        if (!Number.isSafeInteger(position) || position < 1) {
            throw new SeedError(`${who}: queueInfo.position: must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`);
        }
        rec.queueInitial = position;
    } else if (queueInfo !== undefined && !isPlainObject(queueInfo)) {
        throw new SeedError(`${who}: queueInfo: must be an object (it is computed by the emulator; use emulator.queuePosition)`);
    }

    if (emulator !== undefined) parseEmulatorMember(emulator, rec, who, now);
    return rec;
}

/** A delay of the seed timeline: a number of seconds from 0 to MAX_AFTER_SECONDS. */
function afterSecondsOk(v: unknown): v is number {
    return typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= MAX_AFTER_SECONDS;
}

/** A queue position: a whole number from 1 that JSON carries exactly. */
function positionOk(v: unknown): v is number {
    return Number.isSafeInteger(v) && (v as number) >= 1;
}

const AFTER_SECONDS_RULE = `must be a number of seconds from 0 to ${MAX_AFTER_SECONDS} (100 years)`;
const POSITION_RULE = `must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}`;

function parseEmulatorMember(emu: unknown, rec: JobRecord, who: string, now: number): void {
    if (!isPlainObject(emu)) throw new SeedError(`${who}: emulator: must be an object`);
    for (const k of Object.keys(emu)) {
        if (!["transitions", "queuePosition", "queuePositions"].includes(k)) {
            throw new SeedError(
                `${who}: emulator${memberAccessor(k)}: unknown member (allowed: transitions, queuePosition, queuePositions)`,
            );
        }
    }
    if (emu.queuePosition !== undefined) {
        if (!positionOk(emu.queuePosition)) throw new SeedError(`${who}: emulator.queuePosition: ${POSITION_RULE}`);
        rec.queueInitial = emu.queuePosition;
    }
    if (emu.queuePositions !== undefined) {
        if (!Array.isArray(emu.queuePositions)) throw new SeedError(`${who}: emulator.queuePositions: must be an array`);
        emu.queuePositions.forEach((q: unknown, i: number) => {
            const p = `${who}: emulator.queuePositions[${i}]`;
            if (!isPlainObject(q)) throw new SeedError(`${p}: must be an object {afterSeconds, position}`);
            for (const k of Object.keys(q)) {
                if (k !== "afterSeconds" && k !== "position") {
                    throw new SeedError(`${p}${memberAccessor(k)}: unknown member (allowed: afterSeconds, position)`);
                }
            }
            if (!afterSecondsOk(q.afterSeconds)) throw new SeedError(`${p}.afterSeconds: ${AFTER_SECONDS_RULE}`);
            if (!positionOk(q.position)) throw new SeedError(`${p}.position: ${POSITION_RULE}`);
            rec.queueSteps.push({ at: now + q.afterSeconds * 1000, position: q.position });
        });
        rec.queueSteps.sort((a, b) => a.at - b.at);
    }
    if (emu.transitions !== undefined) {
        if (!Array.isArray(emu.transitions)) throw new SeedError(`${who}: emulator.transitions: must be an array`);
        const list: Transition[] = emu.transitions.map((t: unknown, i: number) =>
            parseTransition(t, `${who}: emulator.transitions[${i}]`, now),
        );
        // Stable sort by time: equal times keep their order.
        list.sort((a, b) => a.at - b.at);
        let status = rec.body.status as string;
        for (const t of list) {
            if (TERMINAL.has(status)) {
                throw new SeedError(
                    `${who}: emulator.transitions: a transition to ${t.status} follows the terminal status ${status}; a job never leaves COMPLETED, FAILED or CANCELLED`,
                );
            }
            status = t.status;
        }
        rec.pending = list;
    }
}

function parseTransition(t: unknown, p: string, now: number): Transition {
    if (!isPlainObject(t)) throw new SeedError(`${p}: must be an object {afterSeconds, status}`);
    for (const k of Object.keys(t)) {
        if (!["afterSeconds", "status", "failureReason", "eventType", "message", "billableDuration"].includes(k)) {
            throw new SeedError(
                `${p}${memberAccessor(k)}: unknown member (allowed: afterSeconds, status, failureReason, eventType, message, billableDuration)`,
            );
        }
    }
    if (!afterSecondsOk(t.afterSeconds)) throw new SeedError(`${p}.afterSeconds: ${AFTER_SECONDS_RULE}`);
    if (typeof t.status !== "string" || !JOB_STATUSES.includes(t.status)) {
        throw new SeedError(`${p}.status: must be one of ${JOB_STATUSES.join(", ")}`);
    }
    const out: Transition = { at: now + t.afterSeconds * 1000, status: t.status };
    const check = (member: string, shapeName: string): void => {
        const v: Violation[] = [];
        validateValue(shapeName, t[member], [], "seed", v);
        if (v.length) throw new SeedError(`${p}.${member}: ${v.map((x) => x.constraint).join("; ")}`);
    };
    if (t.failureReason !== undefined) {
        check("failureReason", "String1024");
        if (t.status !== "FAILED") throw new SeedError(`${p}.failureReason: only allowed on a transition to FAILED`);
        out.failureReason = t.failureReason as string;
    }
    if (t.eventType !== undefined) {
        check("eventType", "JobEventType");
        out.eventType = t.eventType as string;
    }
    if (t.message !== undefined) {
        check("message", "JobEventDetailsMessageString");
        out.message = t.message as string;
    }
    if (t.billableDuration !== undefined) {
        if (!Number.isInteger(t.billableDuration) || (t.billableDuration as number) < 0 || (t.billableDuration as number) > INT32_MAX) {
            throw new SeedError(`${p}.billableDuration: must be an integer from 0 to ${INT32_MAX} (the model's Integer)`);
        }
        out.billableDuration = t.billableDuration as number;
    }
    return out;
}

/** Applies every transition scheduled at or before `now`. */
export function materialize(rec: JobRecord, now: number): void {
    while (rec.pending.length > 0 && rec.pending[0].at <= now) {
        applyTransition(rec, rec.pending.shift()!);
    }
}

/** Moves a job to a status and keeps the body consistent (timestamps, events, failureReason). */
export function applyTransition(rec: JobRecord, t: Transition): void {
    const body = rec.body;
    if (body.status === t.status) {
        if (t.status === "FAILED" && t.failureReason) body.failureReason = t.failureReason;
        return;
    }
    const iso = new Date(t.at).toISOString();
    body.status = t.status;
    if (TERMINAL.has(t.status)) {
        body.endedAt = iso;
        const started = typeof body.startedAt === "string" ? parseIsoTimestamp(body.startedAt) : undefined;
        // The model does not state the unit of billableDuration; the emulator uses milliseconds.
        // An Integer in the model (32 bits): a computed duration beyond it (24.8 days in ms) is capped.
        body.billableDuration =
            t.billableDuration ?? (started === undefined ? 0 : Math.min(INT32_MAX, Math.max(0, Math.round(t.at - started))));
        rec.pending = [];
    } else {
        delete body.endedAt;
        delete body.billableDuration;
        if (t.status === QUEUED) delete body.startedAt;
        if (t.status === RUNNING && body.startedAt === undefined) body.startedAt = iso;
    }
    if (t.status === "FAILED") {
        body.failureReason =
            t.failureReason ?? (typeof body.failureReason === "string" ? body.failureReason : "InternalError: the emulated job failed.");
    } else {
        delete body.failureReason;
    }
    const eventType = t.eventType ?? EVENT_FOR_STATUS[t.status];
    if (eventType) {
        const message =
            t.message ??
            (t.status === "FAILED" ? String(body.failureReason).slice(0, 2500) : (EVENT_MESSAGE[t.status] ?? `Job is ${t.status}.`));
        const events = Array.isArray(body.events) ? (body.events as unknown[]) : [];
        events.push({ eventType, timeOfEvent: iso, message });
        body.events = events.slice(-MAX_EVENTS);
    }
}

/** Sets a job's status right now (programmatic control). Pending transitions survive unless the status ends the job or is CANCELLING. */
export function setStatusNow(rec: JobRecord, status: string, now: number, failureReason?: string): void {
    if (!JOB_STATUSES.includes(status)) throw new Error(`setStatus: ${status} is not a JobPrimaryStatus (${JOB_STATUSES.join(", ")})`);
    if (failureReason !== undefined && status !== "FAILED") throw new Error("setStatus: failureReason is only allowed with status FAILED");
    materialize(rec, now);
    applyTransition(rec, { at: now, status, failureReason });
    if (status === CANCELLING) rec.pending = [];
    rec.pending = rec.pending.filter((t) => t.at > now);
}

/** CancelJob semantics. Throws ConflictException for jobs that already ended. */
export function cancelJob(rec: JobRecord, now: number, cancelDelayMs: number): string {
    materialize(rec, now);
    const status = rec.body.status as string;
    if (TERMINAL.has(status)) {
        throw new ApiError("ConflictException", `Job ${rec.arn} is already in ${status} status and cannot be cancelled.`);
    }
    if (status === CANCELLING) return CANCELLING;
    applyTransition(rec, { at: now, status: CANCELLING });
    rec.pending = [{ at: now + cancelDelayMs, status: CANCELLED }];
    return CANCELLING;
}

/** Queue position of a QUEUED job at `now` (see the module comment). */
export function queuePosition(rec: JobRecord, now: number): number {
    if (rec.queueSteps.length > 0) {
        let pos = rec.queueInitial ?? rec.queueSteps[0].position;
        for (const s of rec.queueSteps) if (s.at <= now) pos = s.position;
        return pos;
    }
    const initial = rec.queueInitial ?? 1;
    const next = rec.pending.find((t) => t.status !== QUEUED);
    if (next && next.at > rec.loadedAt) {
        const left = (next.at - now) / (next.at - rec.loadedAt);
        return Math.max(1, Math.min(initial, Math.ceil(initial * left)));
    }
    return initial;
}

export function queueInfo(rec: JobRecord, now: number): { queue: string; position: string; message?: string } {
    const status = rec.body.status as string;
    if (status === QUEUED) return { queue: JOBS_QUEUE, position: String(queuePosition(rec, now)) };
    return {
        queue: JOBS_QUEUE,
        position: "None",
        message: `Queue position is only reported while a job is QUEUED; this job is ${status}.`,
    };
}

/** The GetJob response body: only modeled members, timestamps as ISO strings. */
export function getJobBody(rec: JobRecord, now: number, withQueueInfo: boolean): JobBody {
    materialize(rec, now);
    const out = pickModeled("GetJobResponse", rec.body) as JobBody;
    if (withQueueInfo) out.queueInfo = queueInfo(rec, now);
    else delete out.queueInfo;
    return out;
}

/** A JobSummary (SearchJobs) for a job. */
export function jobSummary(rec: JobRecord, now: number): JobBody {
    materialize(rec, now);
    const b = rec.body;
    const device = (b.deviceConfig as { device?: unknown } | undefined)?.device;
    return pickModeled("JobSummary", { ...b, device }) as JobBody;
}
