/**
 * The one place where AWS clients are built, and requests sent. Clients are reused per region,
 * profile, endpoint and retry settings, each with its own request pacer. Credentials, signing,
 * retries (and their backoff), timeouts, endpoint resolution (`AWS_ENDPOINT_URL_BRAKET`,
 * `AWS_ENDPOINT_URL`, shared config) and the credential chain are the AWS SDK's own; this file
 * only configures them.
 */
import {
    BraketClient,
    type GetJobCommand,
    type GetJobCommandOutput,
    type SearchJobsCommand,
    type SearchJobsCommandOutput,
    type ServiceInputTypes,
    type ServiceOutputTypes,
} from "@aws-sdk/client-braket";
import { AsyncLocalStorage } from "node:async_hooks";
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from "@smithy/core/config";
import {
    AdaptiveRetryStrategy,
    DefaultRateLimiter,
    NODE_MAX_ATTEMPT_CONFIG_OPTIONS,
    NODE_RETRY_MODE_CONFIG_OPTIONS,
    StandardRetryStrategy,
} from "@smithy/core/retry";
import type {
    FinalizeRequestMiddleware,
    MiddlewareStack,
    Provider,
    RetryErrorInfo,
    RetryStrategyV2,
    RetryToken,
    StandardRetryBackoffStrategy,
} from "@smithy/types";
import { DEFAULT_MAX_RETRIES, type RetryMode } from "./config";
import { HybridJobArgumentError } from "./errors";
import { RequestPacer, pacerOptionsFromEnv } from "./pacing";

/** Where requests go, who signs them, and how failed ones are retried. */
export interface BraketTarget {
    region: string;
    /** A shared-config profile; undefined lets the SDK's chain decide (AWS_PROFILE, …). */
    profile?: string;
    /** An endpoint URL; undefined lets the SDK resolve it. */
    endpoint?: string;
    /** Retries after the first attempt; undefined: AWS_MAX_ATTEMPTS, shared config's max_attempts, else DEFAULT_MAX_RETRIES. */
    maxRetries?: number;
    /** undefined: AWS_RETRY_MODE, shared config's retry_mode, else standard. */
    retryMode?: RetryMode;
}

/**
 * The time bounds of every request (all in milliseconds). Worst cases with the defaults:
 *
 * - connecting (DNS and TCP): 5 s per attempt, then the attempt fails as a timeout (retried);
 * - an answer: its status and headers within 30 s of the attempt's start, and its body never idle
 *   for 30 s; past either the attempt is ended (the socket destroyed) and retried on a new
 *   connection. The SDK's own handler only logs a warning at `requestTimeout` unless told to throw
 *   (`throwOnRequestTimeout`), which it is here;
 * - a whole lookup (one GetJob: every attempt, the SDK's backoff between them, and the pacer's
 *   queue): 5 minutes, whatever maxRetries or AWS_MAX_ATTEMPTS say, then a clear error naming the
 *   endpoint, the region and the bound. A black-hole endpoint (accepts, never answers) so ends a
 *   lookup at 300 s (about 10 attempts of 30 s); without retries (maxRetries 0) at 30 s.
 * - between attempts, the SDK's standard backoff: a random delay up to 50 ms × 2^n for a 5xx or a
 *   network error, up to 1 s × 2^n for throttling, never over 20 s (a Retry-After hint may add up
 *   to 5 s, within the 20 s). So an endpoint that refuses, resets or answers 5xx every time ends a
 *   lookup after its 26 attempts in about 3 minutes on average, one that throttles every time in
 *   about 3.5 minutes, either at most at the 5-minute bound; a host that does not exist in DNS
 *   (ENOTFOUND) at once, after one attempt.
 * - the pacer's queue counts: at Braket's default quota (5 GetJob/s) about 1,500 requests fit in
 *   5 minutes, so a provider asked for more distinct jobs at once ends the last ones with
 *   "no request could be sent" (raise PULUMI_BRAKET_REQUESTS_PER_SECOND with the quota).
 * - a wait (the gate, `pulumi-braket wait`) has its own deadline, to the second; each of its reads
 *   is one lookup, so a stuck read ends within the bounds above and the wait reads again.
 *
 * PULUMI_BRAKET_CONNECT_TIMEOUT_SECONDS, PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS and
 * PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS (decimals allowed), in the provider's environment, change them.
 */
export interface ClientTimeouts {
    /** DNS lookup and TCP connection of one attempt. */
    connectionTimeoutMs: number;
    /** One attempt, until the answer's headers; and the longest silence while its body is read. */
    requestTimeoutMs: number;
    /** One lookup (one send), every attempt and backoff and the pacer's queue included. */
    lookupTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<ClientTimeouts> = Object.freeze({
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
    lookupTimeoutMs: 5 * 60_000,
});

/** Node's timers hold at most 2^31 - 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Reads the time bounds: the defaults, overridable by environment variables (in seconds). */
export function timeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): ClientTimeouts {
    const ms = (name: string, fallback: number): number => {
        const raw = env[name];
        if (raw === undefined || raw === "") {
            return fallback;
        }
        const seconds = Number(raw);
        if (!/^\s*\d*\.?\d+\s*$/.test(raw) || !Number.isFinite(seconds) || seconds <= 0 || seconds * 1000 > MAX_TIMER_MS) {
            throw new HybridJobArgumentError(
                `${name}=${JSON.stringify(raw.slice(0, 40))} is not a positive number of seconds (at most ${Math.floor(MAX_TIMER_MS / 1000)}). Unset it or give e.g. ${fallback / 1000}.`,
                name,
            );
        }
        return Math.max(1, Math.round(seconds * 1000));
    };
    return {
        connectionTimeoutMs: ms("PULUMI_BRAKET_CONNECT_TIMEOUT_SECONDS", DEFAULT_TIMEOUTS.connectionTimeoutMs),
        requestTimeoutMs: ms("PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS", DEFAULT_TIMEOUTS.requestTimeoutMs),
        lookupTimeoutMs: ms("PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS", DEFAULT_TIMEOUTS.lookupTimeoutMs),
    };
}

/** A client, the pacer of its requests, and the bounds it was built with. */
export interface BraketConnection {
    client: BraketClient;
    pacer: RequestPacer;
    timeouts: ClientTimeouts;
}

/** Whether an error (or its cause) is a DNS answer that the host does not exist. */
export function isHostNotFound(error: unknown, depth = 0): boolean {
    if (typeof error !== "object" || error === null || depth > 5) {
        return false;
    }
    const e = error as { code?: unknown; cause?: unknown };
    return e.code === "ENOTFOUND" || isHostNotFound(e.cause, depth + 1);
}

/**
 * The AWS SDK's strategy of a retry mode, for one request: adaptive (with the client's rate
 * limiter), else standard, as the SDK reads an unknown mode; `backoff` replaces its backoff
 * calculator (BraketRetryStrategy's DeferredBackoff).
 */
export function sdkRetryStrategy(
    mode: string,
    attempts: number,
    rateLimiter = new DefaultRateLimiter(),
    backoff?: StandardRetryBackoffStrategy,
): RetryStrategyV2 {
    // AdaptiveRetryStrategy takes its attempts from its options, as a number, when it has options.
    return mode === "adaptive"
        ? new AdaptiveRetryStrategy(attempts, { maxAttempts: attempts, rateLimiter, backoff })
        : new StandardRetryStrategy({ maxAttempts: attempts, backoff });
}

/** The abort signal of the send under way (sendPaced's), for the backoff between its attempts. */
const sendSignal = new AsyncLocalStorage<AbortSignal>();

/** The AWS SDK's own backoff calculator, as its standard strategy builds it. */
class SdkBackoff extends StandardRetryStrategy {
    static create(): StandardRetryBackoffStrategy {
        return new SdkBackoff(1).retryBackoffStrategy;
    }
}

/**
 * The SDK's backoff, computed when the SDK's strategy asks for it (with the base the strategy
 * sets: 1 s for throttling, 50 ms otherwise), but not slept by the strategy: it is given 0 and
 * the delay is kept for BraketRetryStrategy to sleep, abortably.
 */
class DeferredBackoff implements StandardRetryBackoffStrategy {
    private readonly sdk = SdkBackoff.create();
    /** The delay last computed, in ms. */
    delayMs = 0;

    setDelayBase(delayBase: number): void {
        this.sdk.setDelayBase(delayBase);
    }

    computeNextBackoffDelay(retries: number): number {
        this.delayMs = this.sdk.computeNextBackoffDelay(retries);
        return 0;
    }
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts, clearing the timer. */
function backoffSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (ms <= 0) {
        return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}

/**
 * The AWS SDK's own retry strategies (`StandardRetryStrategy`, or `AdaptiveRetryStrategy` with one
 * client-side rate limiter for the whole client), deciding, spacing and counting every retry as
 * they do, with two changes of policy:
 *
 * - The retry quota (500 tokens; a retry of a 5xx or a network error costs 14, of throttling 5, a
 *   success refunds) counts per request, not per client. Shared by a client, it empties within a
 *   few hundred requests of a brownout (30% throttling and 15% errors cost about 2.4 tokens per
 *   request), and every request after that fails on its first error: a third of `npm run soak`'s
 *   lookups did. Terraform's AWS provider turns the quota off (aws-sdk-go-base's retryer has no
 *   rate limiter). Here a request may still retry at most 35 times for 5xx and network errors,
 *   100 times for throttling, within maxRetries and the lookup's bound.
 * - A DNS answer that the host does not exist (ENOTFOUND: NXDOMAIN, or no address) is not retried,
 *   as aws-sdk-go-v2 (Terraform's) does not retry it: it names a region or endpoint that does not
 *   exist, and does not go away by asking again. A failed DNS lookup (EAI_AGAIN: no answer from
 *   the resolver) stays transient and is retried.
 *
 * And one change of mechanics: the backoff between two attempts (the SDK's delay, as the SDK
 * computes it, and its rule for a Retry-After hint: at least the hint, at most 5 s over the
 * delay) is slept here, and ends when the send's signal aborts (sendPaced's: the caller's
 * signal or the lookup's bound), its timer cleared. The SDK's strategy sleeps it in
 * refreshRetryTokenForRetry on a timer nothing can clear: its retry middleware stops waiting
 * when the signal aborts, but the timer (up to 20 s, 25 s with a hint) stayed, keeping a
 * finished program alive, e.g. `pulumi-braket wait` past its timeout. (The adaptive mode's rate
 * limiter still sleeps on timers of its own, as the SDK does.)
 *
 * The v2 strategies in this SDK take no quota option (their capacity is private), and the strategy
 * that does (`DeprecatedStandardRetryStrategy`'s `retryQuota`) sleeps between retries without
 * heeding the abort signal, which would make a wait miss its deadline.
 */
export class BraketRetryStrategy implements RetryStrategyV2 {
    private readonly byToken = new WeakMap<RetryToken, { strategy: RetryStrategyV2; backoff: DeferredBackoff }>();
    private readonly rateLimiter = new DefaultRateLimiter();

    constructor(
        private readonly maxAttempts: Provider<number>,
        private readonly retryMode: Provider<string>,
    ) {}

    async acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
        const backoff = new DeferredBackoff();
        const strategy = sdkRetryStrategy(await this.retryMode(), await this.maxAttempts(), this.rateLimiter, backoff);
        const token = await strategy.acquireInitialRetryToken(retryTokenScope);
        this.byToken.set(token, { strategy, backoff });
        return token;
    }

    async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
        const entry = this.byToken.get(token);
        if (!entry) {
            throw new Error("No retry token available");
        }
        const signal = sendSignal.getStore();
        // The SDK's strategy decides and counts, and sleeps nothing: its backoff gives it 0, and the
        // hint, which it would sleep for, is applied below instead.
        const { retryAfterHint, ...rest } = errorInfo;
        const info: RetryErrorInfo = isHostNotFound(rest.error) ? { ...rest, errorType: "CLIENT_ERROR" } : rest;
        entry.backoff.delayMs = 0;
        const next = await entry.strategy.refreshRetryTokenForRetry(token, info);
        this.byToken.set(next, entry);
        let delayMs = entry.backoff.delayMs;
        if (retryAfterHint instanceof Date) {
            delayMs = Math.max(delayMs, Math.min(retryAfterHint.getTime() - Date.now(), delayMs + 5_000));
        }
        const retryLog = (next as { $retryLog?: { acquisitionDelay?: number } }).$retryLog;
        if (retryLog) {
            retryLog.acquisitionDelay = delayMs; // the SDK's $metadata.totalRetryDelay counts it
        }
        await backoffSleep(delayMs, signal);
        return next;
    }

    recordSuccess(token: RetryToken): void {
        this.byToken.get(token)?.strategy.recordSuccess(token);
    }
}

const connections = new Map<string, BraketConnection>();

function keyOf(target: BraketTarget): string {
    return JSON.stringify([
        target.region,
        target.profile ?? null,
        target.endpoint ?? null,
        target.maxRetries ?? null,
        target.retryMode ?? null,
    ]);
}

/** The attempts of one request: braket:maxRetries + 1, else AWS_MAX_ATTEMPTS, shared config's max_attempts, else DEFAULT_MAX_RETRIES + 1. */
function maxAttemptsOf(target: BraketTarget): Provider<number> {
    if (target.maxRetries !== undefined) {
        const attempts = target.maxRetries + 1;
        return async () => attempts;
    }
    return loadConfig({ ...NODE_MAX_ATTEMPT_CONFIG_OPTIONS, default: DEFAULT_MAX_RETRIES + 1 }, { profile: target.profile });
}

/** The retry mode: braket:retryMode, else AWS_RETRY_MODE, shared config's retry_mode, else standard. */
function retryModeOf(target: BraketTarget): Provider<string> {
    if (target.retryMode !== undefined) {
        const mode = target.retryMode;
        return async () => mode;
    }
    return loadConfig({ ...NODE_RETRY_MODE_CONFIG_OPTIONS, default: "standard" }, { profile: target.profile });
}

/** The shared client for a target, built on first use. */
export function braketConnection(target: BraketTarget): BraketConnection {
    const key = keyOf(target);
    let connection = connections.get(key);
    if (!connection) {
        const timeouts = timeoutsFromEnv();
        const maxAttempts = maxAttemptsOf(target);
        connection = {
            client: new BraketClient({
                region: target.region,
                ...(target.profile === undefined ? {} : { profile: target.profile }),
                ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
                maxAttempts,
                retryStrategy: new BraketRetryStrategy(maxAttempts, retryModeOf(target)),
                requestHandler: {
                    connectionTimeout: timeouts.connectionTimeoutMs,
                    requestTimeout: timeouts.requestTimeoutMs,
                    throwOnRequestTimeout: true,
                    socketTimeout: timeouts.requestTimeoutMs,
                },
            }),
            pacer: new RequestPacer(pacerOptionsFromEnv()),
            timeouts,
        };
        connections.set(key, connection);
    }
    return connection;
}

/** What became of one send's attempts, for its error message. */
export interface SendReport {
    /** Attempts that left the pacer (requests sent, or tried). */
    attempts: number;
    /** The endpoint the SDK resolved, as `scheme://host[:port]` (never user info). */
    endpoint?: string;
    /** The error of the last attempt that failed by itself (not cut off by the bound or the caller). */
    lastError?: unknown;
}

/** The error a send ends with when the lookup's bound passed first (fromSdkError maps it). */
export class LookupTimeout extends Error {
    override readonly name = "LookupTimeout";
    constructor(
        readonly timeoutMs: number,
        readonly report: SendReport,
        /** Each attempt's bound for an answer. */
        readonly requestTimeoutMs: number,
    ) {
        super(`no answer within the lookup's bound of ${timeoutMs / 1000} s`);
    }
}

function endpointOf(request: unknown): string | undefined {
    const r = request as { protocol?: string; hostname?: string; port?: number } | undefined;
    if (!r?.hostname) {
        return undefined;
    }
    return `${r.protocol ?? "https:"}//${r.hostname}${r.port ? `:${r.port}` : ""}`;
}

/** Counts of what this process has sent, for tests and the benchmark. */
export const attemptCounters = { attempts: 0 };

/**
 * Sends one command: every attempt (the first and each of the SDK's retries) waits for the
 * connection's pacer, so retries stay under Braket's quota too; the whole send is bounded by the
 * connection's lookupTimeoutMs. Rejects with the SDK's error, the caller's signal's reason when it
 * aborted, or a LookupTimeout.
 */
export async function sendPaced(
    connection: BraketConnection,
    command: GetJobCommand,
    signal?: AbortSignal,
    report?: SendReport,
): Promise<GetJobCommandOutput>;
export async function sendPaced(
    connection: BraketConnection,
    command: SearchJobsCommand,
    signal?: AbortSignal,
    report?: SendReport,
): Promise<SearchJobsCommandOutput>;
export async function sendPaced(
    connection: BraketConnection,
    command: GetJobCommand | SearchJobsCommand,
    signal?: AbortSignal,
    report: SendReport = { attempts: 0 },
): Promise<ServiceOutputTypes> {
    const { client, pacer, timeouts } = connection;
    if (signal?.aborted) {
        throw signal.reason;
    }
    const bound = new AbortController();
    const onAbort = () => bound.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(
        () => bound.abort(new LookupTimeout(timeouts.lookupTimeoutMs, report, timeouts.requestTimeoutMs)),
        timeouts.lookupTimeoutMs,
    );
    const paced: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
        const release = await pacer.acquire(bound.signal);
        report.attempts++;
        attemptCounters.attempts++;
        report.endpoint = endpointOf(args.request) ?? report.endpoint;
        try {
            return await next(args);
        } catch (err) {
            if (!bound.signal.aborted) {
                report.lastError = err;
            }
            throw err;
        } finally {
            release();
        }
    };
    // After the SDK's retry middleware (so: each attempt), before signing (a fresh signature per attempt).
    // (The stack is typed per command; the middleware handles any.)
    (command.middlewareStack as unknown as MiddlewareStack<ServiceInputTypes, ServiceOutputTypes>).addRelativeTo(paced, {
        name: "pulumiBraketPacing",
        relation: "before",
        toMiddleware: "httpSigningMiddleware",
        override: true,
    });
    try {
        // The bound's signal reaches the retry strategy's backoff (BraketRetryStrategy) through sendSignal.
        return await sendSignal.run(bound.signal, () => client.send(command as GetJobCommand, { abortSignal: bound.signal }));
    } catch (err) {
        if (signal?.aborted) {
            throw signal.reason;
        }
        if (bound.signal.aborted) {
            throw bound.signal.reason;
        }
        throw err;
    } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
    }
}

/**
 * The connection's client as the AWS SDK's paginators take it (they accept only a BraketClient),
 * whose every send goes through sendPaced: each page is paced and bounded as one lookup, and
 * `signal` stops the pages. `newReport` gives each send (each page) its own report.
 */
export function pacedClient(connection: BraketConnection, signal: AbortSignal | undefined, newReport: () => SendReport): BraketClient {
    return Object.create(connection.client, {
        send: { value: (command: SearchJobsCommand) => sendPaced(connection, command, signal, newReport()) },
    }) as BraketClient;
}

/**
 * The region the AWS SDK would choose for a profile (AWS_REGION, then the profile's `region` in
 * the shared config), for calls that have no ARN to take one from; undefined when there is none.
 */
export async function sdkDefaultRegion(profile?: string): Promise<string | undefined> {
    try {
        return await loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, profile })();
    } catch {
        return undefined; // the SDK's chain found none
    }
}

/** How many clients exist (for tests of reuse). */
export function connectionCount(): number {
    return connections.size;
}

/** Destroys every client and its sockets; later calls build new ones. */
export function destroyConnections(): void {
    for (const { client } of connections.values()) {
        client.destroy();
    }
    connections.clear();
}
