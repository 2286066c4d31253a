/**
 * The emulated Braket operations over an in-memory job store (no HTTP).
 * Implemented: GetJob, SearchJobs, CancelJob. Every other model operation is
 * answered with 404 UnknownOperationException by the server.
 */
import { ApiError } from "./errors";
import {
    cancelJob,
    getJobBody,
    jobSummary,
    materialize,
    parseSeedJob,
    setStatusNow,
    SeedError,
    type JobBody,
    type JobRecord,
} from "./jobs";
import { shape } from "./model";
import { compileFilters, decodeToken, paginate, searchDigest, type SearchFilter } from "./search";
import { pickModeled } from "./validate";

export const IMPLEMENTED_OPERATIONS: readonly string[] = ["GetJob", "SearchJobs", "CancelJob"];

/** Page size when SearchJobs has no maxResults (the model gives no default; 20 is what the emulator uses). */
export const DEFAULT_SEARCH_PAGE_SIZE = 20;

export class JobStore {
    private readonly jobs = new Map<string, JobRecord>();
    constructor(
        private readonly now: () => number,
        private readonly cancelDelayMs: number,
    ) {}

    /** Validates and loads seed jobs; throws SeedError naming the job index and member. */
    load(raw: unknown[], labelPrefix = "jobs"): void {
        const t = this.now();
        const parsed = raw.map((j, i) => parseSeedJob(j, `${labelPrefix}[${i}]`, t));
        const seen = new Map<string, number>();
        parsed.forEach((rec, i) => {
            const prev = seen.get(rec.arn);
            if (prev !== undefined)
                throw new SeedError(`${labelPrefix}[${i}] (${rec.arn}): duplicate jobArn, already used by ${labelPrefix}[${prev}]`);
            if (this.jobs.has(rec.arn))
                throw new SeedError(`${labelPrefix}[${i}] (${rec.arn}): duplicate jobArn, already loaded from another source`);
            seen.set(rec.arn, i);
        });
        for (const rec of parsed) this.jobs.set(rec.arn, rec);
    }

    put(raw: unknown): void {
        const rec = parseSeedJob(raw, "putJob", this.now());
        this.jobs.set(rec.arn, rec);
    }

    record(arn: string): JobRecord | undefined {
        return this.jobs.get(arn);
    }

    setStatus(arn: string, status: string, failureReason?: string): void {
        const rec = this.jobs.get(arn);
        if (!rec) throw new Error(`setStatus: no job ${arn} is loaded in the emulator`);
        setStatusNow(rec, status, this.now(), failureReason);
    }

    /** The current GetJob body (no queueInfo), or undefined. */
    snapshot(arn: string): JobBody | undefined {
        const rec = this.jobs.get(arn);
        return rec ? getJobBody(rec, this.now(), false) : undefined;
    }

    get size(): number {
        return this.jobs.size;
    }

    all(): JobRecord[] {
        return [...this.jobs.values()];
    }

    /** A job visible from `region`, or 404 as the real service answers for unknown jobs and jobs of other regions. */
    private visible(arn: string, region: string): JobRecord {
        const rec = this.jobs.get(arn);
        if (!rec || rec.region !== region) {
            throw new ApiError("ResourceNotFoundException", `Braket hybrid job ${arn} not found.`);
        }
        return rec;
    }

    /** Runs an implemented operation on validated input; returns the (modeled) response body. */
    execute(operation: string, input: Record<string, unknown>, region: string): JobBody {
        const now = this.now();
        switch (operation) {
            case "GetJob": {
                const rec = this.visible(input.jobArn as string, region);
                const attrs = (input.additionalAttributeNames as string[] | undefined) ?? [];
                return getJobBody(rec, now, attrs.includes("QueueInfo"));
            }
            case "CancelJob": {
                const rec = this.visible(input.jobArn as string, region);
                const cancellationStatus = cancelJob(rec, now, this.cancelDelayMs);
                return pickModeled("CancelJobResponse", { jobArn: rec.arn, cancellationStatus }) as JobBody;
            }
            case "SearchJobs": {
                const filters = input.filters as SearchFilter[];
                const predicate = compileFilters(filters);
                const digest = searchDigest(region, filters);
                const token = typeof input.nextToken === "string" ? decodeToken(input.nextToken, digest) : undefined;
                const max = (input.maxResults as number | undefined) ?? DEFAULT_SEARCH_PAGE_SIZE;
                const candidates = this.all()
                    .filter((r) => r.region === region)
                    .map((r) => {
                        materialize(r, now);
                        const summary = jobSummary(r, now);
                        return { jobArn: r.arn, createdAtMs: Date.parse(r.body.createdAt as string), summary };
                    })
                    .filter(predicate);
                const { page, nextToken } = paginate(candidates, max, token, digest);
                const body: JobBody = { jobs: page.map((p) => p.summary) };
                if (nextToken) body.nextToken = nextToken;
                return body;
            }
            default:
                throw new Error(`emulator bug: ${operation} is not implemented`);
        }
    }
}

/** Asserts at load time that the operations the emulator implements exist in the model with the shapes it expects. */
for (const name of IMPLEMENTED_OPERATIONS) shape(`${name}Request`);
