/**
 * SearchJobs: filter matching and pagination (pure logic).
 *
 * Filter names are the ones the model's documentation of
 * SearchJobsFilter.name allows (the `<code>` literals: jobArn, createdAt).
 * Operators depend on the type of the same-named JobSummary member:
 *  - timestamp members (createdAt): LT, LTE, GT, GTE (exactly 1 value),
 *    EQUAL (1..n values, any may match), BETWEEN (exactly 2 values, inclusive).
 *    Values are ISO-8601 date-times (a missing zone means UTC), dates
 *    (YYYY-MM-DD = midnight UTC) or epoch seconds.
 *  - string members (jobArn): EQUAL (exact, any value), CONTAINS (substring, any value).
 * Filters are ANDed. Jobs are returned newest first (createdAt descending,
 * then jobArn ascending). nextToken is an opaque, stable keyset token bound to
 * the region and the filters of the search that issued it.
 */
import { createHash } from "node:crypto";
import { ApiError } from "./errors";
import { codeLiteralsInDocs, enumOf, shape } from "./model";
import { own } from "./validate";

export interface SearchFilter {
    name: string;
    operator: string;
    values: string[];
}

export interface Searchable {
    jobArn: string;
    createdAtMs: number;
    /** The JobSummary of the job; filters read the member named like the filter. */
    summary?: Record<string, unknown>;
}

const OPERATORS = enumOf("SearchJobsFilterOperator");
const ORDERED_OPERATORS = ["LT", "LTE", "EQUAL", "GT", "GTE", "BETWEEN"].filter((o) => OPERATORS.includes(o));
const STRING_OPERATORS = ["EQUAL", "CONTAINS"].filter((o) => OPERATORS.includes(o));

/** Filter name -> supported operators, derived from the model. */
export const FILTER_OPERATORS: Readonly<Record<string, readonly string[]>> = (() => {
    const names = codeLiteralsInDocs(shape("SearchJobsFilter").members?.name?.documentation);
    const summary = shape("JobSummary").members ?? {};
    const out: Record<string, readonly string[]> = {};
    for (const n of names) {
        const ref = summary[n];
        if (!ref) continue;
        const t = shape(ref.shape).type;
        if (t === "timestamp") out[n] = ORDERED_OPERATORS;
        else if (t === "string") out[n] = STRING_OPERATORS;
    }
    if (Object.keys(out).length === 0) throw new Error("emulator bug: no SearchJobs filter names found in the model docs");
    return out;
})();

const TS_WITH_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EPOCH = /^\d{1,12}(\.\d+)?$/;

export function parseFilterTimestamp(v: string): number | undefined {
    let ms: number;
    const m = TS_WITH_TIME.exec(v);
    if (m) ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? "Z"}`);
    else if (DATE_ONLY.test(v)) ms = Date.parse(`${v}T00:00:00Z`);
    else if (EPOCH.test(v)) ms = Math.round(Number(v) * 1000);
    else return undefined;
    return Number.isFinite(ms) ? ms : undefined;
}

type Predicate = (job: Searchable) => boolean;

function invalid(message: string): ApiError {
    return new ApiError("ValidationException", message);
}

/** Compiles (already model-validated) filters into one predicate; throws ValidationException. */
export function compileFilters(filters: SearchFilter[]): Predicate {
    const preds: Predicate[] = filters.map((f, i) => compileFilter(f, i));
    return (job) => preds.every((p) => p(job));
}

function compileFilter(f: SearchFilter, index: number): Predicate {
    const where = `filters.${index + 1}.member`;
    // An own property only: `constructor`, `toString` or `__proto__` are unsupported names like any other.
    const allowed = own(FILTER_OPERATORS, f.name);
    if (!allowed) {
        throw invalid(
            `Invalid filter name '${f.name}' at '${where}.name'. Supported filter names: ${Object.keys(FILTER_OPERATORS).join(", ")}.`,
        );
    }
    if (!allowed.includes(f.operator)) {
        throw invalid(
            `Operator '${f.operator}' is not supported for filter '${f.name}' at '${where}.operator'. Supported operators: ${allowed.join(", ")}.`,
        );
    }
    const values = f.values;
    const needs = (n: number): void => {
        if (values.length !== n) {
            throw invalid(
                `Operator '${f.operator}' for filter '${f.name}' requires exactly ${n} value${n === 1 ? "" : "s"}, got ${values.length}.`,
            );
        }
    };
    const field = (j: Searchable): unknown =>
        f.name === "jobArn" ? j.jobArn : f.name === "createdAt" ? j.createdAtMs : j.summary?.[f.name];
    if (allowed === STRING_OPERATORS) {
        const get = (j: Searchable): string => String(field(j) ?? "");
        if (f.operator === "EQUAL") return (j) => values.includes(get(j));
        return (j) => values.some((v) => get(j).includes(v));
    }
    // Timestamp filter (createdAt).
    if (f.operator === "BETWEEN") needs(2);
    else if (f.operator !== "EQUAL") needs(1);
    const times = values.map((v) => {
        const t = parseFilterTimestamp(v);
        if (t === undefined) {
            throw invalid(
                `Invalid value '${v}' for filter '${f.name}': expected an ISO-8601 timestamp (e.g. 2026-11-29T12:00:00Z) or epoch seconds.`,
            );
        }
        return t;
    });
    const get = (j: Searchable): number => {
        const v = field(j);
        return typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : NaN;
    };
    switch (f.operator) {
        case "LT":
            return (j) => get(j) < times[0];
        case "LTE":
            return (j) => get(j) <= times[0];
        case "GT":
            return (j) => get(j) > times[0];
        case "GTE":
            return (j) => get(j) >= times[0];
        case "BETWEEN": {
            const [lo, hi] = times[0] <= times[1] ? [times[0], times[1]] : [times[1], times[0]];
            return (j) => get(j) >= lo && get(j) <= hi;
        }
        default: // EQUAL
            return (j) => times.includes(get(j));
    }
}

export function compareJobs(a: Searchable, b: Searchable): number {
    if (a.createdAtMs !== b.createdAtMs) return b.createdAtMs - a.createdAtMs;
    return a.jobArn < b.jobArn ? -1 : a.jobArn > b.jobArn ? 1 : 0;
}

const TOKEN_KEY = "pulumi-braket-emulator/SearchJobs/v1";

/** Identifies a search (region + filters) so a token cannot be replayed against another search. */
export function searchDigest(region: string, filters: SearchFilter[]): string {
    const norm = filters.map((f) => [f.name, f.operator, f.values]);
    return createHash("sha256")
        .update(JSON.stringify([region, norm]))
        .digest("hex")
        .slice(0, 16);
}

interface TokenPayload {
    c: number; // createdAt (ms) of the last job returned
    a: string; // jobArn of the last job returned
    q: string; // search digest
}

function mac(payload: string): string {
    return createHash("sha256").update(TOKEN_KEY).update(payload).digest("base64url").slice(0, 22);
}

export function encodeToken(last: Searchable, digest: string): string {
    const payload = Buffer.from(JSON.stringify({ c: last.createdAtMs, a: last.jobArn, q: digest } satisfies TokenPayload)).toString(
        "base64url",
    );
    return `${payload}.${mac(payload)}`;
}

export function decodeToken(token: string, digest: string): TokenPayload {
    const bad = invalid("The nextToken is invalid: it is malformed or was not issued for this search (same region and filters).");
    const dot = token.lastIndexOf(".");
    if (dot <= 0) throw bad;
    const payload = token.slice(0, dot);
    if (mac(payload) !== token.slice(dot + 1)) throw bad;
    let parsed: unknown;
    try {
        parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
        throw bad;
    }
    const p = parsed as Partial<TokenPayload>;
    if (typeof p !== "object" || p === null || typeof p.c !== "number" || typeof p.a !== "string" || p.q !== digest) throw bad;
    return p as TokenPayload;
}

/** Sorts, applies the token and cuts one page. */
export function paginate<T extends Searchable>(
    matching: T[],
    maxResults: number,
    token: TokenPayload | undefined,
    digest: string,
): { page: T[]; nextToken?: string } {
    const sorted = [...matching].sort(compareJobs);
    const after = token ? sorted.filter((j) => compareJobs(j, { createdAtMs: token.c, jobArn: token.a }) > 0) : sorted;
    const page = after.slice(0, maxResults);
    const nextToken = after.length > maxResults ? encodeToken(page[page.length - 1], digest) : undefined;
    return { page, nextToken };
}
