/**
 * Finding hybrid jobs without their ARN: Braket's SearchJobs through the AWS SDK's own paginator,
 * every page paced under Braket's quota and bounded like a GetJob (clients.ts), each page checked
 * against the model (mapping.ts), and the summaries filtered, ordered and chosen (jobFilters.ts).
 * A name lookup then reads the chosen job with GetJob (hybridJob.ts), so its result is exactly an
 * ARN lookup's.
 */
import { paginateSearchJobs, type SearchJobsCommandInput } from "@aws-sdk/client-braket";
import { braketConnection, pacedClient, sdkDefaultRegion, type BraketTarget, type SendReport } from "./clients";
import { effectiveSettings, type ProviderConfig } from "./config";
import { BraketJobError, fromSdkError, HybridJobArgumentError } from "./errors";
import { resolveLookup, type HybridJobLookup } from "./hybridJob";
import { InFlight } from "./inFlight";
import {
    checkJobFilters,
    chooseJob,
    compareSummaries,
    describeFilters,
    matchesFilters,
    NAME_LOOKUP_FILTERS,
    SEARCH_PAGE_SIZE,
    searchJobsFilters,
    type JobFilters,
    type SearchTally,
} from "./jobFilters";
import { toHybridJobSummaries } from "./mapping";
import type { HybridJobSummary } from "./types";
import { checkAttributeNames, checkEndpoint, checkProfile, checkRegion, checkSdkEnvironment } from "./validation";

/**
 * The most pages one search reads (100 jobs each): past it the search fails rather than hold an
 * account's whole history in memory; a time window (createdAfter) keeps a search well inside.
 */
export const MAX_SEARCH_PAGES = 1_000;

/** A checked search whose region may still have to come from the AWS SDK's chain (no I/O yet). */
export interface PendingSearch {
    filters: JobFilters;
    /** The region given (the call's, else the provider's), if any. */
    region?: string;
    profile?: string;
    endpoint?: string;
    maxRetries?: number;
    retryMode?: ProviderConfig["retryMode"];
    /** Some filter was a secret: messages then show none of them. */
    redact: boolean;
}

/** A search ready to send. */
export interface HybridJobSearch {
    filters: JobFilters;
    target: BraketTarget;
    redact: boolean;
}

/**
 * Checks a search's filters (those named in `allowed`) and settings before any request: what
 * `check` can do during a preview. The settings come from the call, else from the provider.
 */
export function checkSearch(
    args: Record<string, unknown>,
    allowed: readonly string[],
    options: { redact?: boolean; provider?: ProviderConfig; env?: NodeJS.ProcessEnv } = {},
): PendingSearch {
    const redact = options.redact ?? false;
    const filters = checkJobFilters(args, allowed, redact);
    const settings = effectiveSettings(
        { region: checkRegion(args.region), profile: checkProfile(args.profile), endpoint: checkEndpoint(args.endpoint) },
        options.provider ?? {},
    );
    checkSdkEnvironment(options.env ?? process.env, {
        endpoint: settings.endpoint === undefined,
        maxAttempts: settings.maxRetries === undefined,
    });
    return { filters, ...settings, redact };
}

/**
 * Decides the region: the one given, else the AWS SDK's (AWS_REGION, the profile's region). A
 * job ARN is not there to take it from, so with none the search fails here, before any request.
 */
export async function resolveSearch(pending: PendingSearch): Promise<HybridJobSearch> {
    let region = pending.region;
    if (region === undefined) {
        const fromSdk = await sdkDefaultRegion(pending.profile);
        const where = pending.profile
            ? `AWS_REGION or profile ${JSON.stringify(pending.profile)}'s region`
            : "AWS_REGION or the profile's region";
        try {
            region = checkRegion(fromSdk);
        } catch {
            throw new HybridJobArgumentError(
                `The AWS SDK's region ${JSON.stringify(String(fromSdk).slice(0, 40))} (from ${where}) is not an AWS region name. Fix it, or pass region.`,
                "region",
            );
        }
    }
    if (region === undefined) {
        throw new HybridJobArgumentError(
            "A search for jobs (jobName, getHybridJobs, --job-name) needs a region, as there is no job ARN to take it from. " +
                "Pass region, set braket:region (or a Provider's region), or set AWS_REGION.",
            "region",
        );
    }
    const { filters, redact, profile, endpoint, maxRetries, retryMode } = pending;
    return { filters, redact, target: { region, profile, endpoint, maxRetries, retryMode } };
}

/** Where a search looked, for messages. */
export function searchedWhere(search: HybridJobSearch): string {
    return `region ${search.target.region}${search.target.endpoint ? ` (endpoint ${search.target.endpoint})` : ""}`;
}

/** Counts of what this process has searched, for tests and the benchmark. */
export const searchCounters = { pages: 0, deduplicated: 0 };

/** What a search found: every matching summary, newest first, and what it took. */
export interface SearchOutcome {
    jobs: HybridJobSummary[];
    tally: SearchTally;
}

/**
 * Reads every page of SearchJobs for the search's time window and keeps the summaries that match
 * every filter, newest first. A page that breaks the model, a page token that comes back again
 * (the pages would never end) or more than MAX_SEARCH_PAGES pages end it with an error: nothing
 * is returned half-read. `signal` aborts it.
 */
export async function fetchSearch(search: HybridJobSearch, signal?: AbortSignal): Promise<SearchOutcome> {
    const subject = `hybrid jobs ${describeFilters(search.filters, search.redact)}`;
    const where = searchedWhere(search);
    // The report of the page under way (a failed page's error tells of its own attempts only).
    let report: SendReport = { attempts: 0 };
    const tally: SearchTally = { pages: 0, scanned: 0 };
    const matches: HybridJobSummary[] = [];
    const tokens = new Set<string>();
    const connection = braketConnection(search.target);
    try {
        const pages = paginateSearchJobs(
            { client: pacedClient(connection, signal, () => (report = { attempts: 0 })), pageSize: SEARCH_PAGE_SIZE },
            { filters: searchJobsFilters(search.filters) as SearchJobsCommandInput["filters"] },
        );
        for await (const page of pages) {
            tally.pages++;
            searchCounters.pages++;
            const jobs = toHybridJobSummaries(page, `${subject} in ${where}`);
            tally.scanned += jobs.length;
            matches.push(...jobs.filter((job) => matchesFilters(job, search.filters)));
            const next = page.nextToken;
            if (next !== undefined && next !== null && next !== "") {
                if (tokens.has(next)) {
                    throw new BraketJobError(
                        `SearchJobs for ${subject} in ${where} returned a page token it had already returned (page ${tally.pages}): the pages would never end. Nothing was returned; check the endpoint.`,
                        { region: search.target.region },
                    );
                }
                tokens.add(next);
                if (tally.pages >= MAX_SEARCH_PAGES) {
                    throw new BraketJobError(
                        `SearchJobs for ${subject} in ${where} had more than ${MAX_SEARCH_PAGES} pages (${tally.scanned} jobs read). Nothing was returned; narrow the search with createdAfter (it is sent to the service).`,
                        { region: search.target.region },
                    );
                }
            }
        }
    } catch (err) {
        if (signal?.aborted) {
            throw signal.reason;
        }
        throw fromSdkError(err, {
            operation: "SearchJobs",
            shownArn: "",
            subject: tally.pages > 0 ? `${subject} (page ${tally.pages + 1})` : subject,
            region: search.target.region,
            endpoint: search.target.endpoint,
            resolvedEndpoint: report.endpoint,
            profile: search.target.profile,
            secretRequest: search.redact,
        });
    }
    return { jobs: matches.sort(compareSummaries), tally };
}

const inFlight = new InFlight<SearchOutcome>();

/**
 * A search, shared with identical searches in flight at the same time. Never kept after it
 * returns: a job of that name may start at any moment.
 */
export function searchHybridJobs(search: HybridJobSearch, signal?: AbortSignal): Promise<SearchOutcome> {
    const key = JSON.stringify([search.filters, search.target, search.redact]);
    return inFlight.share(
        key,
        () => fetchSearch(search, signal),
        () => searchCounters.deduplicated++,
    );
}

/**
 * A name lookup: finds the one job (the only match, or the newest with `mostRecent`) and returns
 * the ARN lookup that reads it, in the region searched, with the search's settings.
 */
export async function findHybridJob(
    search: HybridJobSearch,
    options: { mostRecent: boolean; additionalAttributeNames?: unknown; provider?: ProviderConfig; signal?: AbortSignal },
): Promise<HybridJobLookup> {
    const { jobs, tally } = await searchHybridJobs(search, options.signal);
    const job = chooseJob(jobs, {
        filters: search.filters,
        mostRecent: options.mostRecent,
        where: searchedWhere(search),
        tally,
        redact: search.redact,
    });
    return resolveLookup(
        {
            jobArn: job.jobArn,
            additionalAttributeNames: options.additionalAttributeNames,
            region: search.target.region,
            profile: search.target.profile,
            endpoint: search.target.endpoint,
        },
        { redact: search.redact, hideName: search.redact, provider: options.provider },
    );
}

/** Checks `mostRecent`: a boolean, default false. */
export function checkMostRecent(value: unknown): boolean {
    if (value === undefined || value === null) {
        return false;
    }
    if (typeof value !== "boolean") {
        throw new HybridJobArgumentError(`mostRecent must be true or false, got ${typeof value}.`, "mostRecent");
    }
    return value;
}

/** The arguments that only a search by jobName takes. */
export const NAME_LOOKUP_ARGUMENTS: readonly string[] = [...NAME_LOOKUP_FILTERS.filter((k) => k !== "jobName"), "mostRecent"];

/** Which job a call names, checked (no I/O): by its ARN, or by name and filters (a search first). */
export type JobReference =
    { by: "arn"; lookup: HybridJobLookup } | { by: "name"; search: PendingSearch; mostRecent: boolean; additionalAttributeNames: string[] };

const given = (v: unknown) => v !== undefined && v !== null;

/**
 * Checks that a call names its job by `jobArn` or by `jobName`, exactly one, with the arguments
 * that go with it, before any request. `secret` names the secret arguments: a secret ARN is
 * `[secret]` in messages, and a search with any secret argument shows none of its filters.
 */
export function checkJobReference(
    args: Record<string, unknown>,
    options: { secret: ReadonlySet<string>; provider?: ProviderConfig; env?: NodeJS.ProcessEnv; caller: string },
): JobReference {
    const { caller } = options;
    if (given(args.jobArn) && given(args.jobName)) {
        throw new HybridJobArgumentError(
            `${caller} takes jobArn or jobName, not both: jobArn names one job; jobName finds one with SearchJobs. Leave one out.`,
            "jobName",
        );
    }
    if (!given(args.jobName)) {
        // `mostRecent: false` says nothing about a search (a program may set it from config either way).
        const stray = NAME_LOOKUP_ARGUMENTS.filter((k) => given(args[k]) && !(k === "mostRecent" && args[k] === false));
        if (!given(args.jobArn) && stray.length === 0) {
            throw new HybridJobArgumentError(
                `jobArn is not set: ${caller} needs jobArn (the job's ARN) or jobName (the name it was created with, found with SearchJobs).`,
                "jobArn",
            );
        }
        if (stray.length > 0) {
            throw new HybridJobArgumentError(
                `${stray.join(", ")} ${stray.length === 1 ? "applies" : "apply"} only to a search by jobName${given(args.jobArn) ? "; with jobArn, leave " + (stray.length === 1 ? "it" : "them") + " out" : ": pass jobName too"}.`,
                stray[0],
            );
        }
        return {
            by: "arn",
            lookup: resolveLookup(args as { jobArn: unknown }, {
                redact: options.secret.has("jobArn"),
                provider: options.provider,
                env: options.env,
            }),
        };
    }
    const redact = [...options.secret].some((k) => k !== "additionalAttributeNames");
    return {
        by: "name",
        additionalAttributeNames: checkAttributeNames(args.additionalAttributeNames),
        mostRecent: checkMostRecent(args.mostRecent),
        search: checkSearch(args, NAME_LOOKUP_FILTERS, { redact, provider: options.provider, env: options.env }),
    };
}

/** The ARN lookup of a checked reference: the one given, or the job a search finds. */
export async function lookupOfReference(
    ref: JobReference,
    provider: ProviderConfig | undefined,
    signal?: AbortSignal,
): Promise<HybridJobLookup> {
    if (ref.by === "arn") {
        return ref.lookup;
    }
    const search = await resolveSearch(ref.search);
    return findHybridJob(search, { mostRecent: ref.mostRecent, additionalAttributeNames: ref.additionalAttributeNames, provider, signal });
}
