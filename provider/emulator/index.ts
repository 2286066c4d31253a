/**
 * A faithful local Amazon Braket endpoint (restJson1 over HTTP) for tests and
 * offline use. Routes, shapes, validation and errors come from the service
 * model in provider/model; see provider/emulator/README.md.
 *
 * Implemented operations: GetJob, SearchJobs, CancelJob.
 */
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { ApiError, internalError, renderError, renderJson, type RenderedResponse } from "./errors";
import {
    checkFaults,
    DEFAULT_SLOW_MS,
    FAULT_KINDS,
    mulberry32,
    pickFault,
    type EmulatorFaults,
    type FaultContext,
    type FaultKind,
} from "./faults";
import { bindInput, matchRoute, parseQuery, type RouteMatch } from "./http-binding";
import { SeedError } from "./jobs";
import { IMPLEMENTED_OPERATIONS, JobStore } from "./service";
import { authenticate } from "./sigv4";

export type { EmulatorFaults, FaultContext, FaultKind } from "./faults";
export { SeedError } from "./jobs";

export interface EmulatorOptions {
    /** Interface to listen on (default 127.0.0.1). */
    host?: string;
    /** Port (default 0 = a free random port). */
    port?: number;
    /** Seed jobs: GetJob response bodies (ISO timestamps), each may carry an "emulator" member. */
    jobs?: unknown[];
    /** A JSON file with seed jobs (an array, or {"jobs": [...]}); loaded after `jobs`. */
    jobsFile?: string;
    /** Emulator clock (ms since the epoch) for job lifecycles and timestamps. Default Date.now. */
    now?: () => number;
    /** Simulated round trip added to every response, in ms (default 0). */
    latencyMs?: number;
    /** Random faults (probabilities 0..1). */
    faults?: EmulatorFaults;
    /** Seed of the fault PRNG (default 1, so runs are reproducible). */
    seed?: number;
    /** Scripted faults; when it returns a kind, that fault is used instead of a random one. */
    faultFor?: (ctx: FaultContext) => FaultKind | undefined;
    /**
     * When given, SigV4 signatures are verified against these keys (unknown key
     * ids are refused). `allow` optionally restricts a key to IAM-style actions
     * ("braket:GetJob", "braket:Search*", "braket:*"); other actions get 403
     * AccessDeniedException.
     */
    credentials?: { accessKeyId: string; secretAccessKey: string; allow?: string[] }[];
    /** Time from CancelJob (CANCELLING) to CANCELLED on the emulator clock, in seconds (default 1). */
    cancelDelaySeconds?: number;
    /** How many recent requests stats.log keeps (default 500). */
    logLimit?: number;
}

export interface EmulatorRequestLogEntry {
    /** Real wall-clock time the request arrived (ISO-8601). */
    time: string;
    method: string;
    /** Raw request path, still percent-encoded. */
    path: string;
    /** Model operation name, or "Unknown". */
    operation: string;
    /** The jobArn path label decoded exactly once, when the route has one. */
    jobArn?: string;
    /** Decoded query parameters. */
    query: Record<string, string[]>;
    /** HTTP status sent; 0 when the connection was dropped without a response. */
    status: number;
    /** Error code sent (x-amzn-ErrorType), if any. */
    errorCode?: string;
    fault?: FaultKind;
    requestId?: string;
}

export interface EmulatorStats {
    requests: number;
    byOperation: Record<string, number>;
    /** Responses by HTTP status code ("200", "404", ...); dropped connections are not counted here. */
    byStatus: Record<string, number>;
    faults: Record<FaultKind, number>;
    /** The most recent requests, oldest first. */
    log: EmulatorRequestLogEntry[];
}

export interface BraketEmulator {
    /** e.g. http://127.0.0.1:43123 */
    readonly endpoint: string;
    /** A snapshot of the counters and the request log. */
    readonly stats: EmulatorStats;
    resetStats(): void;
    setFaults(f: EmulatorFaults | undefined): void;
    /** Adds or replaces a job (validated like seed jobs; its "emulator" times count from now). */
    putJob(job: unknown): void;
    /** Sets a job's status now on the emulator clock (startedAt/endedAt/events/failureReason follow). */
    setStatus(jobArn: string, status: string, extra?: { failureReason?: string }): void;
    /** The job's current GetJob body (without queueInfo), or undefined if there is no such job. */
    getJob(jobArn: string): unknown;
    /** Stops listening and closes every connection (keep-alive included). */
    close(): Promise<void>;
}

/** A manual emulator clock for tests: `now: clock.now`, then `clock.advanceSeconds(5)`. */
export class ManualClock {
    private t: number;
    constructor(start: number | string = "2026-11-29T12:00:00.000Z") {
        this.t = typeof start === "number" ? start : Date.parse(start);
        if (!Number.isFinite(this.t)) throw new Error(`ManualClock: invalid start time ${String(start)}`);
    }
    readonly now = (): number => this.t;
    advanceMs(ms: number): void {
        this.t += ms;
    }
    advanceSeconds(s: number): void {
        this.t += s * 1000;
    }
    set(ms: number): void {
        this.t = ms;
    }
}

/**
 * Reads a seed file: a JSON array of GetJob bodies, or an object {"jobs": [...]}.
 * The jobs are validated (errors name the file, the job index and the member).
 */
export function loadJobsFile(path: string): unknown[] {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (e) {
        throw new SeedError(`${path}: cannot read jobs file: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new SeedError(`${path}: not valid JSON: ${(e as Error).message}`);
    }
    const jobs = Array.isArray(parsed)
        ? parsed
        : typeof parsed === "object" &&
            parsed !== null &&
            Object.hasOwn(parsed, "jobs") &&
            Array.isArray((parsed as { jobs?: unknown }).jobs)
          ? (parsed as { jobs: unknown[] }).jobs
          : undefined;
    if (!jobs) throw new SeedError(`${path}: expected a JSON array of GetJob response bodies (or {"jobs": [...]})`);
    new JobStore(Date.now, 0).load(jobs, `${path}: jobs`);
    return jobs;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** How long a connection whose request body was refused stays open after the 413, in ms. */
const LINGER_MS = 500;

/** IAM-style action glob ("braket:Get*") -> RegExp (case-insensitive, like IAM). */
function actionPattern(glob: string): RegExp {
    const body = glob
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${body}$`, "i");
}

function emptyStats(): EmulatorStats {
    return {
        requests: 0,
        byOperation: {},
        byStatus: {},
        faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
        log: [],
    };
}

function nonNegative(name: string, v: unknown): number | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number >= 0, got ${String(v)}`);
    return v;
}

export async function startBraketEmulator(opts: EmulatorOptions = {}): Promise<BraketEmulator> {
    const host = opts.host ?? "127.0.0.1";
    const port = opts.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer 0..65535, got ${String(port)}`);
    const latencyMs = nonNegative("latencyMs", opts.latencyMs) ?? 0;
    const cancelDelayMs = (nonNegative("cancelDelaySeconds", opts.cancelDelaySeconds) ?? 1) * 1000;
    const logLimit = nonNegative("logLimit", opts.logLimit) ?? 500;
    const now = opts.now ?? Date.now;
    let faults = checkFaults(opts.faults);
    const seed = opts.seed ?? 1;
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${String(seed)}`);
    const random = mulberry32(seed);
    let credentials: Map<string, string> | undefined;
    const policies = new Map<string, RegExp[]>();
    if (opts.credentials !== undefined) {
        credentials = new Map();
        for (const [i, c] of opts.credentials.entries()) {
            if (typeof c?.accessKeyId !== "string" || typeof c?.secretAccessKey !== "string" || !c.accessKeyId) {
                throw new Error(`credentials[${i}] must be {accessKeyId: string, secretAccessKey: string, allow?: string[]}`);
            }
            credentials.set(c.accessKeyId, c.secretAccessKey);
            if (c.allow !== undefined) {
                if (!Array.isArray(c.allow) || c.allow.some((a) => typeof a !== "string")) {
                    throw new Error(`credentials[${i}].allow must be an array of actions such as "braket:GetJob" or "braket:*"`);
                }
                policies.set(c.accessKeyId, c.allow.map(actionPattern));
            }
        }
    }

    if (opts.jobs !== undefined && !Array.isArray(opts.jobs)) throw new SeedError("jobs must be an array of GetJob response bodies");
    const store = new JobStore(now, cancelDelayMs);
    store.load(opts.jobs ?? []);
    if (opts.jobsFile !== undefined) {
        store.load(loadJobsFile(opts.jobsFile), `${opts.jobsFile}: jobs`);
    }

    let stats = emptyStats();
    const timers = new Set<NodeJS.Timeout>();
    let closed = false;

    const record = (entry: EmulatorRequestLogEntry): void => {
        stats.log.push(entry);
        if (stats.log.length > logLimit) stats.log.splice(0, stats.log.length - logLimit);
    };

    const send = (
        res: http.ServerResponse,
        entry: EmulatorRequestLogEntry,
        r: RenderedResponse,
        delayMs: number,
        closeConnection = false,
    ): void => {
        const requestId = randomUUID();
        entry.status = r.status;
        entry.requestId = requestId;
        if (r.headers["x-amzn-ErrorType"]) entry.errorCode = r.headers["x-amzn-ErrorType"];
        stats.byStatus[String(r.status)] = (stats.byStatus[String(r.status)] ?? 0) + 1;
        const write = (): void => {
            if (res.destroyed || res.writableEnded) return;
            const body = Buffer.from(r.body, "utf8");
            res.writeHead(r.status, {
                "Content-Type": "application/json",
                "Content-Length": String(body.length),
                "x-amzn-RequestId": requestId,
                ...(closeConnection ? { Connection: "close" } : {}),
                ...r.headers,
            });
            res.end(body);
        };
        if (delayMs <= 0) return write();
        const t = setTimeout(() => {
            timers.delete(t);
            write();
        }, delayMs);
        timers.add(t);
    };

    /**
     * Reads a request body of at most MAX_BODY_BYTES. Undefined when it is larger: a Content-Length
     * over the limit is refused before a byte of the body is read, and a longer body (chunked, or
     * longer than it said) stops being read at the limit; the caller answers 413 and closes.
     */
    const readBody = (req: http.IncomingMessage): Promise<Buffer | undefined> =>
        new Promise((resolve, reject) => {
            const declared = req.headers["content-length"];
            if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > MAX_BODY_BYTES) {
                // read(0) marks the body as taken care of, so Node does not drain it after the answer.
                req.read(0);
                req.pause();
                return resolve(undefined);
            }
            const chunks: Buffer[] = [];
            let size = 0;
            const cleanup = (): void => {
                req.off("data", onData);
                req.off("end", onEnd);
                req.off("error", onError);
                req.off("close", onClose);
            };
            const onData = (b: Buffer): void => {
                size += b.length;
                if (size > MAX_BODY_BYTES) {
                    cleanup();
                    req.pause();
                    resolve(undefined);
                } else chunks.push(b);
            };
            const onEnd = (): void => {
                cleanup();
                resolve(Buffer.concat(chunks));
            };
            const onError = (e: Error): void => {
                cleanup();
                reject(e);
            };
            const onClose = (): void => {
                cleanup();
                reject(new Error("the client closed the connection before the body ended"));
            };
            req.on("data", onData);
            req.on("end", onEnd);
            req.on("error", onError);
            req.on("close", onClose);
        });

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
        const requestNumber = ++stats.requests;
        const method = (req.method ?? "GET").toUpperCase();
        let url = req.url ?? "/";
        if (!url.startsWith("/")) {
            try {
                const u = new URL(url);
                url = u.pathname + u.search;
            } catch {
                url = "/";
            }
        }
        const q = url.indexOf("?");
        const rawPath = q < 0 ? url : url.slice(0, q);
        const rawQuery = q < 0 ? "" : url.slice(q + 1);

        let route: RouteMatch | undefined;
        let routeError: ApiError | undefined;
        try {
            route = matchRoute(method, rawPath);
        } catch (e) {
            if (e instanceof ApiError) routeError = e;
            else throw e;
        }
        const operation = route?.operation.name ?? "Unknown";
        const jobArn = route?.labels.jobArn;
        stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
        const entry: EmulatorRequestLogEntry = { time: new Date().toISOString(), method, path: rawPath, operation, query: {}, status: 0 };
        if (jobArn !== undefined) entry.jobArn = jobArn;
        record(entry);

        let extraDelay = 0;
        try {
            const body = await readBody(req);
            if (body === undefined) {
                // The rest of the body is never read: answer, then close the connection (after a
                // moment, so that the client reads the answer before the close resets it).
                lingerThenClose(req.socket);
                send(
                    res,
                    entry,
                    renderError(new ApiError("RequestEntityTooLargeException", `Request body exceeds ${MAX_BODY_BYTES} bytes.`)),
                    0,
                    true,
                );
                return;
            }
            let query: Record<string, string[]> = {};
            let queryError: ApiError | undefined;
            try {
                query = parseQuery(rawQuery);
            } catch (e) {
                if (!(e instanceof ApiError)) throw e;
                queryError = e; // reported after authentication, like routing errors
            }
            entry.query = query;
            // No prototype: a header named `__proto__` or `constructor` is a header like any other.
            const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
            for (const [k, v] of Object.entries(req.headersDistinct)) if (v) headers[k] = v;

            const auth = await authenticate({ method, rawPath, query, headers, body }, { credentials, realNow: Date.now() });

            const policy = policies.get(auth.accessKeyId);
            if (policy && route) {
                const action = `braket:${operation}`;
                if (!policy.some((re) => re.test(action))) {
                    throw new ApiError(
                        "AccessDeniedException",
                        `User is not authorized to perform: ${action} on resource: ${jobArn ?? "*"} because no identity-based policy allows the ${action} action`,
                    );
                }
            }

            // Faults apply after auth. One PRNG draw per authenticated request keeps sequences reproducible.
            const r = random();
            const fault = opts.faultFor?.({ operation, jobArn, requestNumber }) ?? pickFault(faults, r);
            if (fault) {
                entry.fault = fault;
                stats.faults[fault]++;
                if (fault === "drop") {
                    req.socket.destroy();
                    return;
                }
                if (fault === "throttle") throw new ApiError("ThrottlingException", "Rate exceeded");
                if (fault === "serverError")
                    throw new ApiError("InternalServiceException", "We encountered an internal error. Please try again.");
                extraDelay = faults.slowMs ?? DEFAULT_SLOW_MS;
            }

            if (routeError) throw routeError;
            if (queryError) throw queryError;
            if (!route) throw new ApiError("UnknownOperationException", `No Braket operation matches ${method} ${rawPath.slice(0, 200)}.`);
            if (!IMPLEMENTED_OPERATIONS.includes(operation)) {
                throw new ApiError(
                    "UnknownOperationException",
                    `${operation} is not available on this endpoint (the pulumi-braket emulator implements ${IMPLEMENTED_OPERATIONS.join(", ")}).`,
                );
            }
            const input = bindInput(route.operation, route.labels, query, headers, body);
            const output = store.execute(operation, input, auth.region);
            send(res, entry, renderJson(route.operation.http.responseCode ?? 200, output), latencyMs + extraDelay);
        } catch (e) {
            const err = e instanceof ApiError ? e : internalError();
            send(res, entry, renderError(err), latencyMs + extraDelay);
        }
    };

    /**
     * For a request whose body is not read: Node sends the answer and a FIN (Connection: close);
     * the socket is then destroyed LINGER_MS later rather than at once, because closing a socket
     * with unread data sends a reset that can overtake the answer (the delay Go's net/http uses).
     * Meanwhile nothing more is read: the client's sending stalls on a full window.
     */
    const lingerThenClose = (socket: Socket): void => {
        socket.destroySoon = function (this: Socket): void {
            if (this.writable) this.end();
            const t = setTimeout(() => {
                timers.delete(t);
                this.destroy();
            }, LINGER_MS);
            t.unref();
            timers.add(t);
        };
    };

    const server = http.createServer((req, res) => {
        handle(req, res).catch(() => {
            if (!res.headersSent && !res.destroyed) {
                res.writeHead(500, { "Content-Type": "application/json", "x-amzn-ErrorType": "InternalServiceException" });
                res.end(JSON.stringify({ message: "An internal error occurred. Please try again." }));
            }
        });
    });

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
            server.off("error", reject);
            resolve();
        });
    });
    const addr = server.address() as AddressInfo;
    const endpoint = `http://${addr.family === "IPv6" || host.includes(":") ? `[${addr.address}]` : addr.address}:${addr.port}`;

    return {
        endpoint,
        get stats(): EmulatorStats {
            return structuredClone(stats);
        },
        resetStats(): void {
            stats = emptyStats();
        },
        setFaults(f: EmulatorFaults | undefined): void {
            faults = checkFaults(f);
        },
        putJob(job: unknown): void {
            store.put(job);
        },
        setStatus(arn: string, status: string, extra?: { failureReason?: string }): void {
            store.setStatus(arn, status, extra?.failureReason);
        },
        getJob(arn: string): unknown {
            return store.snapshot(arn);
        },
        async close(): Promise<void> {
            if (closed) return;
            closed = true;
            for (const t of timers) clearTimeout(t);
            timers.clear();
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
        },
    };
}
