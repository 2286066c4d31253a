/**
 * Finding hybrid jobs without their ARN: the filters of a name lookup (getHybridJob and the gate
 * with `jobName`) and of a list (getHybridJobs), checked before any request, turned into
 * SearchJobs's filters, matched against the job summaries, ordered, and the one job chosen. Pure.
 *
 * SearchJobs filters on `jobArn` and `createdAt` only (the model's SearchJobsFilter.name says so),
 * so a time window is sent to the service, and the name, statuses and device are matched here on
 * each JobSummary. A lookup therefore reads every page the time window lets through.
 */
import { anchoredPattern, codeLiteralsInDocs, enumOf, shape } from "./model";
import { BraketJobError, HybridJobArgumentError } from "./errors";
import { describe } from "./validation";
import type { GetHybridJobsResult, HybridJobStatus, HybridJobSummary } from "./types";

const JOB_NAME = anchoredPattern("CreateJobRequestJobNameString");
const JOB_NAME_MAX = shape("CreateJobRequestJobNameString").max ?? 50;
const STATUSES = enumOf("JobPrimaryStatus");
const OPERATORS = enumOf("SearchJobsFilterOperator");
const DEVICE_MAX = shape("String256").max ?? 256;

/** The filter names SearchJobs accepts, from the model's documentation of SearchJobsFilter.name. */
export const SEARCH_FILTER_NAMES: readonly string[] = codeLiteralsInDocs(shape("SearchJobsFilter").members?.name?.documentation);
if (!SEARCH_FILTER_NAMES.includes("createdAt")) {
    throw new Error("The Braket model no longer documents createdAt as a SearchJobs filter: revisit provider/jobFilters.ts.");
}

/** The operators a `createdAt` filter takes: every one of the model's but CONTAINS, which is for text. */
export const CREATED_AT_OPERATORS: readonly string[] = OPERATORS.filter((o) => o !== "CONTAINS");

/** The largest page SearchJobs returns (the model's maxResults range). */
export const SEARCH_PAGE_SIZE = shape("SearchJobsRequestMaxResultsInteger").max ?? 100;

/** getHybridJobs's cap on the jobs it returns: the default, and the most it may be raised to. */
export const DEFAULT_MAX_JOBS = 100;
export const MAX_JOBS_LIMIT = 10_000;

/** A createdAt filter with the API's operators (getHybridJobs's `createdAt`). */
export interface CreatedAtFilter {
    operator: string;
    /** ISO-8601 UTC timestamps. */
    values: string[];
}

/** Checked filters: what every matching job must be. */
export interface JobFilters {
    jobName?: string;
    /** Sorted, without repeats. */
    statuses?: HybridJobStatus[];
    device?: string;
    /** ISO-8601 UTC; strictly after. */
    createdAfter?: string;
    /** ISO-8601 UTC; strictly before. */
    createdBefore?: string;
    createdAt?: CreatedAtFilter;
}

/** A SearchJobs filter as the API takes it. */
export interface SearchJobsFilter {
    name: string;
    operator: string;
    values: string[];
}

/** The argument names of the filters, per caller. */
export const NAME_LOOKUP_FILTERS = ["jobName", "statuses", "createdAfter", "createdBefore", "device"] as const;
export const LIST_FILTERS = [...NAME_LOOKUP_FILTERS, "createdAt"] as const;

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * An ISO-8601 timestamp with a zone (`2026-11-29T12:00:00Z`, `…+01:00`) or a date (midnight UTC),
 * as an ISO UTC string. A time without a zone is refused: its meaning would depend on the machine.
 */
export function checkTimestamp(value: unknown, label: string, redact = false): string {
    const shown = redact ? "[secret]" : describe(value);
    const m = typeof value === "string" ? TIMESTAMP.exec(value.trim()) : null;
    const ms = m
        ? Date.parse(m[2] ? `${m[1]}T${m[2]}${m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3]}` : `${m[1]}T00:00:00Z`)
        : NaN;
    // A day the month does not have (2026-02-30) is refused, not rolled over into the next month.
    const [y, mo, d] = m ? m[1].split("-").map(Number) : [];
    const realDay = m !== null && new Date(Date.UTC(y, mo - 1, d)).toISOString().slice(0, 10) === m[1];
    if (!m || !Number.isFinite(ms) || !realDay) {
        throw new HybridJobArgumentError(
            `${label} ${shown} is not a timestamp with a time zone. Pass ISO-8601 like "2026-11-29T12:00:00Z" (or "+01:00" for a zone), or a date like "2026-11-29" (midnight UTC).`,
            label,
        );
    }
    return new Date(ms).toISOString();
}

function checkJobName(value: unknown, redact: boolean): string {
    const shown = redact ? "[secret]" : describe(value);
    if (typeof value !== "string" || value.length === 0) {
        throw new HybridJobArgumentError(
            `jobName ${shown} is not a job name. Pass the name the job was created with, e.g. "qaoa-maxcut".`,
            "jobName",
        );
    }
    if (value.length > JOB_NAME_MAX || !JOB_NAME.test(value)) {
        throw new HybridJobArgumentError(
            `jobName ${shown} cannot be the name of a hybrid job: Braket's names are 1 to ${JOB_NAME_MAX} letters, digits and hyphens, starting and ending with a letter or digit (CreateJob's pattern). Pass the name exactly as the job was created with.`,
            "jobName",
        );
    }
    return value;
}

function checkStatuses(value: unknown, redact: boolean): HybridJobStatus[] {
    const fix = `Pass a list of ${STATUSES.join(", ")}, e.g. ["COMPLETED"].`;
    if (!Array.isArray(value) || value.length === 0) {
        throw new HybridJobArgumentError(`statuses must be a non-empty list, got ${describe(value)}. ${fix}`, "statuses");
    }
    for (const s of value) {
        if (typeof s !== "string" || !STATUSES.includes(s)) {
            throw new HybridJobArgumentError(
                `statuses has ${redact ? "[secret]" : describe(s)}, which is not a hybrid job status. ${fix}`,
                "statuses",
            );
        }
    }
    return [...new Set(value as HybridJobStatus[])].sort();
}

function checkDevice(value: unknown, redact: boolean): string {
    const shown = redact ? "[secret]" : describe(value);
    if (typeof value !== "string" || value.length === 0 || value.length > DEVICE_MAX || /[\s\p{Cc}]/u.test(value)) {
        throw new HybridJobArgumentError(
            `device ${shown} is not a device. Pass the job's primary device as Braket names it, e.g. "arn:aws:braket:::device/quantum-simulator/amazon/sv1" (at most ${DEVICE_MAX} characters).`,
            "device",
        );
    }
    return value;
}

function checkCreatedAt(value: unknown, redact: boolean): CreatedAtFilter {
    const fix = `Pass {operator, values} with operator one of ${CREATED_AT_OPERATORS.join(", ")}; BETWEEN takes 2 timestamps, EQUAL 1 to 10, the others 1.`;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new HybridJobArgumentError(`createdAt must be an object, got ${describe(value)}. ${fix}`, "createdAt");
    }
    const { operator, values, ...rest } = value as Record<string, unknown>;
    if (Object.keys(rest).length > 0) {
        throw new HybridJobArgumentError(
            `createdAt has ${Object.keys(rest)
                .map((k) => JSON.stringify(k))
                .join(", ")}, which it does not take. ${fix}`,
            "createdAt",
        );
    }
    if (typeof operator !== "string" || !CREATED_AT_OPERATORS.includes(operator)) {
        throw new HybridJobArgumentError(
            `createdAt.operator ${redact ? "[secret]" : describe(operator)} is not one of ${CREATED_AT_OPERATORS.join(", ")}. ${fix}`,
            "createdAt",
        );
    }
    const [least, most] = operator === "BETWEEN" ? [2, 2] : operator === "EQUAL" ? [1, 10] : [1, 1];
    if (!Array.isArray(values) || values.length < least || values.length > most) {
        throw new HybridJobArgumentError(
            `createdAt.values must be a list of ${least === most ? least : `${least} to ${most}`} timestamp${most === 1 ? "" : "s"} for ${operator}, got ${Array.isArray(values) ? `${values.length}` : describe(values)}. ${fix}`,
            "createdAt",
        );
    }
    return { operator, values: values.map((v, i) => checkTimestamp(v, `createdAt.values[${i}]`, redact)) };
}

/**
 * Checks the filters among `args` (those named in `allowed`; others are the caller's), and that
 * the time window is not empty. `redact` keeps secret values out of messages.
 */
export function checkJobFilters(args: Record<string, unknown>, allowed: readonly string[], redact = false): JobFilters {
    const given = (k: string) => allowed.includes(k) && args[k] !== undefined && args[k] !== null;
    const filters: JobFilters = {};
    if (given("jobName")) filters.jobName = checkJobName(args.jobName, redact);
    if (given("statuses")) filters.statuses = checkStatuses(args.statuses, redact);
    if (given("device")) filters.device = checkDevice(args.device, redact);
    if (given("createdAfter")) filters.createdAfter = checkTimestamp(args.createdAfter, "createdAfter", redact);
    if (given("createdBefore")) filters.createdBefore = checkTimestamp(args.createdBefore, "createdBefore", redact);
    if (given("createdAt")) filters.createdAt = checkCreatedAt(args.createdAt, redact);
    if (filters.createdAfter && filters.createdBefore && filters.createdAfter >= filters.createdBefore) {
        throw new HybridJobArgumentError(
            `createdAfter ${redact ? "[secret]" : filters.createdAfter} is not before createdBefore ${redact ? "[secret]" : filters.createdBefore}: no job can match. Swap or widen them.`,
            "createdAfter",
        );
    }
    return filters;
}

/**
 * SearchJobs's filters for these: the time window (the only one the API takes). Both bounds go as
 * one BETWEEN (inclusive; matchesFilters then applies them strictly), so that no filter name is
 * sent twice for both; BETWEEN's values go in order.
 */
export function searchJobsFilters(filters: JobFilters): SearchJobsFilter[] {
    const out: SearchJobsFilter[] = [];
    const { createdAfter: after, createdBefore: before, createdAt } = filters;
    if (after && before) out.push({ name: "createdAt", operator: "BETWEEN", values: [after, before] });
    else if (after) out.push({ name: "createdAt", operator: "GT", values: [after] });
    else if (before) out.push({ name: "createdAt", operator: "LT", values: [before] });
    if (createdAt) {
        const values = createdAt.operator === "BETWEEN" ? [...createdAt.values].sort() : [...createdAt.values];
        out.push({ name: "createdAt", operator: createdAt.operator, values });
    }
    return out;
}

/** Whether a createdAt (ms) passes a filter with the API's operator (BETWEEN inclusive, either order). */
function passesCreatedAt(at: number, f: CreatedAtFilter): boolean {
    const t = f.values.map((v) => Date.parse(v));
    switch (f.operator) {
        case "LT":
            return at < t[0];
        case "LTE":
            return at <= t[0];
        case "GT":
            return at > t[0];
        case "GTE":
            return at >= t[0];
        case "BETWEEN":
            return at >= Math.min(t[0], t[1]) && at <= Math.max(t[0], t[1]);
        default: // EQUAL
            return t.includes(at);
    }
}

/**
 * Whether a job summary matches every filter. The time window is checked again here, so the
 * result means what the arguments say whichever way the service treats its boundaries.
 */
export function matchesFilters(job: HybridJobSummary, filters: JobFilters): boolean {
    const at = Date.parse(job.createdAt);
    return (
        (filters.jobName === undefined || job.jobName === filters.jobName) &&
        (filters.statuses === undefined || filters.statuses.includes(job.status)) &&
        (filters.device === undefined || job.device === filters.device) &&
        (filters.createdAfter === undefined || at > Date.parse(filters.createdAfter)) &&
        (filters.createdBefore === undefined || at < Date.parse(filters.createdBefore)) &&
        (filters.createdAt === undefined || passesCreatedAt(at, filters.createdAt))
    );
}

/** The order of every list: newest first, then by ARN, so equal inputs give equal outputs. */
export function compareSummaries(a: HybridJobSummary, b: HybridJobSummary): number {
    const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
    return byTime !== 0 ? byTime : a.jobArn < b.jobArn ? -1 : a.jobArn > b.jobArn ? 1 : 0;
}

/** The filters in words, for messages: `named "x" with status COMPLETED, created after …`. */
export function describeFilters(filters: JobFilters, redact = false): string {
    if (redact) {
        return "matching the given filters ([secret])";
    }
    const parts: string[] = [];
    if (filters.statuses) parts.push(`with status ${filters.statuses.join(" or ")}`);
    if (filters.device !== undefined) parts.push(`on device ${filters.device}`);
    if (filters.createdAfter) parts.push(`created after ${filters.createdAfter}`);
    if (filters.createdBefore) parts.push(`created before ${filters.createdBefore}`);
    if (filters.createdAt) parts.push(`with createdAt ${filters.createdAt.operator} ${filters.createdAt.values.join(" and ")}`);
    const name = filters.jobName === undefined ? [] : [`named ${JSON.stringify(filters.jobName)}`];
    return [...name, parts.join(", ")].filter(Boolean).join(" ") || "of any name";
}

/** What a search went through, for messages and the benchmark. */
export interface SearchTally {
    /** SearchJobs pages read (one request each, retries aside). */
    pages: number;
    /** Job summaries the pages held, before the filters applied here. */
    scanned: number;
}

/**
 * Chooses the one job of a name lookup from the matching summaries (any order): the only one, or
 * the newest with `mostRecent`. None, or several without `mostRecent`, is an error that says how
 * to go on. `where` names the region (and endpoint) searched.
 */
export function chooseJob(
    matches: HybridJobSummary[],
    options: { filters: JobFilters; mostRecent: boolean; where: string; tally: SearchTally; redact?: boolean },
): HybridJobSummary {
    const { filters, where, tally, redact = false } = options;
    const sorted = [...matches].sort(compareSummaries);
    const what = `hybrid job ${describeFilters(filters, redact)}`;
    if (sorted.length === 0) {
        throw new NoMatchingJobError(
            `No ${what} in ${where} (SearchJobs read ${tally.pages} page${tally.pages === 1 ? "" : "s"}, ${tally.scanned} job${tally.scanned === 1 ? "" : "s"}). ` +
                "Check the name (exact and case-sensitive) and the filters, and the region: a job is only visible in its own region and account.",
        );
    }
    if (sorted.length > 1 && !options.mostRecent) {
        const shown = redact
            ? ""
            : ` (${sorted
                  .slice(0, 5)
                  .map((j) => `${j.jobArn} ${j.status} created ${j.createdAt}`)
                  .join("; ")}${sorted.length > 5 ? `; and ${sorted.length - 5} more` : ""})`;
        throw new HybridJobArgumentError(
            `${sorted.length} ${what.replace("hybrid job", "hybrid jobs")} match in ${where}${shown}. ` +
                "Narrow the search (statuses, createdAfter, createdBefore, device), or set mostRecent: true to take the newest.",
            "mostRecent",
        );
    }
    return sorted[0];
}

/** No job matches a name lookup: its "not found", as a lookup of an ARN that does not exist. */
export class NoMatchingJobError extends BraketJobError {}

/** Checks getHybridJobs's `maxResults`: a whole number from 1 to MAX_JOBS_LIMIT, default DEFAULT_MAX_JOBS. */
export function checkMaxJobs(value: unknown, redact = false): number {
    if (value === undefined || value === null) {
        return DEFAULT_MAX_JOBS;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_JOBS_LIMIT) {
        throw new HybridJobArgumentError(
            `maxResults ${redact ? "[secret]" : typeof value === "number" ? value : describe(value)} is not a whole number from 1 to ${MAX_JOBS_LIMIT}. Leave it out for ${DEFAULT_MAX_JOBS}.`,
            "maxResults",
        );
    }
    return value;
}

/** getHybridJobs's result from every matching summary (newest first): the newest `maxResults`, and what was left out. */
export function hybridJobList(matches: readonly HybridJobSummary[], maxResults: number, region: string): GetHybridJobsResult {
    const jobs = matches.slice(0, maxResults);
    return { jobs, jobArns: jobs.map((j) => j.jobArn), matchCount: matches.length, truncated: matches.length > maxResults, region };
}
