/**
 * Fault injection (pure logic): a seeded PRNG and the choice of a fault for a
 * request. Exactly one random number is drawn per request (after auth), so a
 * given seed yields the same fault sequence for the same request sequence.
 */
export type FaultKind = "throttle" | "serverError" | "drop" | "slow";
export const FAULT_KINDS: readonly FaultKind[] = ["throttle", "serverError", "drop", "slow"];

export interface EmulatorFaults {
    /** Probability (0..1) of 429 ThrottlingException "Rate exceeded". */
    throttle?: number;
    /** Probability (0..1) of 500 InternalServiceException. */
    serverError?: number;
    /** Probability (0..1) of destroying the connection without any response. */
    drop?: number;
    /** Probability (0..1) of answering normally after an extra `slowMs`. */
    slow?: number;
    /** Extra delay of a "slow" fault, in ms (default 1500). */
    slowMs?: number;
}

export interface FaultContext {
    /** Model operation name (GetJob, SearchJobs, CancelJob, ...), or "Unknown" for unrouted requests. */
    operation: string;
    /** Decoded jobArn path label, when the operation has one. */
    jobArn?: string;
    /** 1-based number of this request since the emulator started or stats were last reset. */
    requestNumber: number;
}

export const DEFAULT_SLOW_MS = 1500;

/** mulberry32: small, fast, deterministic 32-bit PRNG returning [0, 1). */
export function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Throws a descriptive Error for probabilities outside 0..1 or a bad slowMs. */
export function checkFaults(f: EmulatorFaults | undefined): EmulatorFaults {
    if (f === undefined) return {};
    if (typeof f !== "object" || f === null) throw new Error("faults must be an object {throttle, serverError, drop, slow, slowMs}");
    for (const k of FAULT_KINDS) {
        const p = f[k];
        if (p !== undefined && (typeof p !== "number" || !(p >= 0 && p <= 1))) {
            throw new Error(`faults.${k} must be a probability between 0 and 1, got ${String(p)}`);
        }
    }
    const total = FAULT_KINDS.reduce((s, k) => s + (f[k] ?? 0), 0);
    if (total > 1 + 1e-9) throw new Error(`fault probabilities add up to ${total}; their sum must be at most 1`);
    if (f.slowMs !== undefined && (typeof f.slowMs !== "number" || !(f.slowMs >= 0) || !Number.isFinite(f.slowMs))) {
        throw new Error(`faults.slowMs must be a number of milliseconds >= 0, got ${String(f.slowMs)}`);
    }
    return { ...f };
}

/** Picks at most one fault from a uniform random number r in [0, 1). */
export function pickFault(f: EmulatorFaults, r: number): FaultKind | undefined {
    let acc = 0;
    for (const k of FAULT_KINDS) {
        acc += f[k] ?? 0;
        if (r < acc) return k;
    }
    return undefined;
}
