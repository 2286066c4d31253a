/**
 * Client-side pacing of Braket requests: a token bucket (steady rate plus burst) and a cap on
 * requests in flight, so that a program reading many jobs stays under Braket's GetJob quota instead
 * of provoking throttling and retries. Throttling that still happens is retried by the AWS SDK.
 */
import { HybridJobArgumentError } from "./errors";

/**
 * Braket's default GetJob quotas per account and region (see README, "Rate limits"):
 * - "Rate of GetJob requests": 5 per second, adjustable (Service Quotas code L-C4A587F5; at most 2× on request);
 * - "Burst rate of GetJob requests": 25, not adjustable.
 * Sources: https://docs.aws.amazon.com/braket/latest/developerguide/braket-quotas.html and
 * https://docs.aws.amazon.com/general/latest/gr/braket.html ("Service quotas"), checked 2026-11-29.
 * The bucket holds `burst` tokens (not rate + burst): the conservative reading of "additional requests in one burst".
 */
export const GETJOB_RATE_PER_SECOND = 5;
export const GETJOB_BURST = 25;
/** Requests in flight at once per client. */
export const MAX_IN_FLIGHT = 10;

export interface PacerOptions {
    ratePerSecond: number;
    burst: number;
    maxInFlight: number;
    /** Clock in ms; injectable for tests. */
    now?: () => number;
}

/** Reads the pacing settings: defaults from Braket's quotas, overridable by environment variables. */
export function pacerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PacerOptions {
    const num = (name: string, fallback: number): number => {
        const raw = env[name];
        if (raw === undefined || raw === "") {
            return fallback;
        }
        const value = Number(raw);
        if (!Number.isFinite(value) || value <= 0) {
            throw new HybridJobArgumentError(
                `${name}=${JSON.stringify(raw)} is not a positive number. Unset it or give e.g. ${fallback}.`,
                name,
            );
        }
        return value;
    };
    return {
        ratePerSecond: num("PULUMI_BRAKET_REQUESTS_PER_SECOND", GETJOB_RATE_PER_SECOND),
        burst: Math.max(1, Math.floor(num("PULUMI_BRAKET_REQUEST_BURST", GETJOB_BURST))),
        maxInFlight: Math.max(1, Math.floor(num("PULUMI_BRAKET_MAX_IN_FLIGHT", MAX_IN_FLIGHT))),
    };
}

interface Waiter {
    resolve: () => void;
    reject: (err: unknown) => void;
    signal?: AbortSignal;
    onAbort?: () => void;
}

/** Hands out permission to send one request at a time, in order of asking. */
export class RequestPacer {
    private tokens: number;
    private last: number;
    private inFlight = 0;
    private readonly queue: Waiter[] = [];
    private timer: NodeJS.Timeout | undefined;
    private readonly now: () => number;

    constructor(private readonly options: PacerOptions) {
        this.now = options.now ?? Date.now;
        this.tokens = options.burst;
        this.last = this.now();
    }

    /** Resolves when a request may be sent; call the returned function when it has finished. */
    async acquire(signal?: AbortSignal): Promise<() => void> {
        if (signal?.aborted) {
            throw signal.reason;
        }
        await new Promise<void>((resolve, reject) => {
            const waiter: Waiter = { resolve, reject, signal };
            if (signal) {
                waiter.onAbort = () => {
                    const i = this.queue.indexOf(waiter);
                    if (i >= 0) {
                        this.queue.splice(i, 1);
                    }
                    reject(signal.reason);
                };
                signal.addEventListener("abort", waiter.onAbort, { once: true });
            }
            this.queue.push(waiter);
            this.drain();
        });
        let released = false;
        return () => {
            if (!released) {
                released = true;
                this.inFlight--;
                this.drain();
            }
        };
    }

    private refill(): void {
        const now = this.now();
        this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.ratePerSecond);
        this.last = now;
    }

    private drain(): void {
        this.refill();
        while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight && this.tokens >= 1) {
            const waiter = this.queue.shift() as Waiter;
            if (waiter.signal && waiter.onAbort) {
                waiter.signal.removeEventListener("abort", waiter.onAbort);
            }
            this.tokens -= 1;
            this.inFlight++;
            waiter.resolve();
        }
        if (this.queue.length > 0 && this.inFlight < this.options.maxInFlight && this.timer === undefined) {
            const wait = Math.max(1, Math.ceil(((1 - this.tokens) / this.options.ratePerSecond) * 1000));
            this.timer = setTimeout(() => {
                this.timer = undefined;
                this.drain();
            }, wait);
        }
    }
}
