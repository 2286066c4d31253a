/**
 * `npm run soak`: pulumi-braket under injected faults.
 *
 *   node dist/test/bench/soak.js [--lookups 1000] [--waits 20] [--batch 50] [--batches] [--seed 1] [--latency-ms 5]
 *                                [--budget-seconds 180] [--json]
 *
 * The local Braket endpoint (in this process) answers 30% of requests with ThrottlingException,
 * 10% with a 500, drops 5% of connections without an answer and answers 5% 1.5 s late. A child
 * process, as the plugin is one, makes the lookups through the invoke's handler as the plugin runs
 * it (test/support/lookup.ts: marshalled arguments, one cancellation signal for the process),
 * distinct and repeated jobs, `batch` of them in flight at once (a new one starting as each settles,
 * as the engine's invokes do; `--batches`: in batches, each waiting for its slowest), and runs the
 * waits (jobs whose lifecycles run on a short real clock; some waits are meant to time out) at the
 * same time. Then this process checks that:
 *
 * - every lookup gave the right answer: the right data (deep-equal to the endpoint's job, mapped),
 *   or for a job that does not exist HybridJobNotFoundError; any other end (a clear error of our
 *   classes naming the ARN and the region, after the retries) is counted, and is a failed check;
 * - every wait ended with the right final status, or (when meant to) a clear timeout;
 * - the program saw no unhandled rejection and no MaxListenersExceededWarning (every lookup shares
 *   the process's signal, as the plugin's invokes share the server's);
 * - no request for a wait's job arrived after its deadline (or after the wait returned), and none
 *   for a lookup's job after its last lookup settled, and none after the program finished;
 * - the program exited by itself within a few seconds of finishing (no leaked timer or socket);
 *   its process.getActiveResourcesInfo() at the end is reported;
 * - no credential appears in the program's output;
 * - the program finished within its time budget (`--budget-seconds`).
 *
 * It prints the counts of retries (requests the endpoint saw minus requests the library sent), of
 * errors by class and of faults injected. Exit code 1 when any check failed.
 *
 * Client timeouts and retries: the library's own (provider/clients.ts: 30 s for an answer, 5 minutes
 * for a lookup, 25 retries of the AWS SDK's standard strategy, its retry quota per request), larger
 * than the slow answers (1.5 s): a slow answer is then just late, as a slow AWS answer is.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { startBraketEmulator, type EmulatorFaults, type EmulatorRequestLogEntry } from "../../provider/emulator";
import { mulberry32 } from "../../provider/emulator/faults";
import { DEFAULT_TIMEOUTS } from "../../provider/clients";
import { DEFAULT_MAX_RETRIES } from "../../provider/config";
import { requestCounters, resolveLookup } from "../../provider/hybridJob";
import { toHybridJobResult } from "../../provider/mapping";
import type { HybridJobTerminalStatus } from "../../provider/types";
import { waitForHybridJob } from "../../provider/wait";
import { lookUp } from "../support/lookup";
import { fmtMs, machineInfo, markdownTable, newJobArn, REGION, REPO_ROOT, template, type JobBody } from "./common";

export const SOAK_FAULTS: EmulatorFaults = { throttle: 0.3, serverError: 0.1, drop: 0.05, slow: 0.05, slowMs: 1500 };

/** Distinctive fake credentials: none of them may ever appear in the program's output. */
export const SOAK_CREDENTIALS = {
    accessKeyId: "AKIASOAKTESTKEY00042",
    secretAccessKey: "soak/Secret+Access/Key/0000000000000000042",
    sessionToken: "SOAK-SESSION-TOKEN-0000000000000000000000000000000000042",
};

export interface SoakOptions {
    lookups: number;
    waits: number;
    /** Lookups in flight at once. */
    batch: number;
    /** In batches of `batch`, each waiting for its slowest, instead of `batch` in flight at once. */
    batches: boolean;
    /** The program's time budget, in ms: past it, a failed check. */
    budgetMs: number;
    seed: number;
    latencyMs: number;
    faults: EmulatorFaults;
    /** How long the program may take to exit after it finished, in ms. */
    exitGraceMs: number;
    /** Slack for "no request after a deadline", for the hop from client to endpoint, in ms. */
    toleranceMs: number;
    /** Pacer of the program (environment overrides); see the README of the results. */
    pacing: { ratePerSecond: number; burst: number; maxInFlight: number };
}

export const DEFAULT_SOAK: SoakOptions = {
    lookups: 1000,
    waits: 20,
    batch: 50,
    batches: false,
    budgetMs: 180_000,
    seed: 1,
    latencyMs: 5,
    faults: SOAK_FAULTS,
    exitGraceMs: 5000,
    toleranceMs: 50,
    pacing: { ratePerSecond: 200, burst: 50, maxInFlight: 25 },
};

type WaitKind = "completes" | "fails" | "cancelled-terminal" | "queued-completes" | "times-out";

interface WaitPlan {
    arn: string;
    kind: WaitKind;
    timeoutSeconds: number;
    until: "COMPLETED" | "TERMINAL";
}

interface ChildConfig {
    lookups: string[];
    batch: number;
    batches: boolean;
    waits: WaitPlan[];
    resultsFile: string;
}

interface LookupResult {
    ok: boolean;
    job?: unknown;
    errorClass?: string;
    message?: string;
    errJobArn?: string;
    errRegion?: string;
    /** The AWS SDK's attempts for the failed request (retries included). */
    attempts?: number;
    settledAt: number;
}

interface WaitResult {
    arn: string;
    startedAt: number;
    deadlineAt: number;
    endedAt: number;
    status?: string;
    errorClass?: string;
    message?: string;
    errJobArn?: string;
    errRegion?: string;
    errStatus?: string;
    transientErrors: number;
    transientSamples: string[];
}

interface ChildResults {
    lookups: LookupResult[];
    waits: WaitResult[];
    counters: { getJob: number; deduplicated: number };
    unhandledRejections: number;
    unhandledSamples: string[];
    warnings: string[];
    workMs: number;
}

// ---------------------------------------------------------------------------------------------
// The program (child process)

function describeError(err: unknown): {
    errorClass: string;
    message: string;
    errJobArn?: string;
    errRegion?: string;
    errStatus?: string;
    attempts?: number;
} {
    if (err instanceof Error) {
        const e = err as Error & { jobArn?: string; region?: string; status?: string; attempts?: number };
        return {
            errorClass: e.constructor.name,
            message: e.message,
            errJobArn: e.jobArn,
            errRegion: e.region,
            errStatus: e.status,
            attempts: e.attempts,
        };
    }
    return { errorClass: typeof err, message: String(err) };
}

async function runChild(configFile: string): Promise<void> {
    const cfg = JSON.parse(readFileSync(configFile, "utf8")) as ChildConfig;
    let unhandledRejections = 0;
    const unhandledSamples: string[] = [];
    process.on("unhandledRejection", (reason) => {
        unhandledRejections++;
        if (unhandledSamples.length < 5) unhandledSamples.push(String(reason instanceof Error ? (reason.stack ?? reason.message) : reason));
    });
    const warnings: string[] = [];
    process.on("warning", (w) => warnings.push(`${w.name}: ${w.message.split("\n")[0]}`));
    const started = Date.now();

    const waits = Promise.all(
        cfg.waits.map(async (plan): Promise<WaitResult> => {
            const startedAt = Date.now();
            const result: WaitResult = {
                arn: plan.arn,
                startedAt,
                deadlineAt: startedAt + plan.timeoutSeconds * 1000,
                endedAt: 0,
                transientErrors: 0,
                transientSamples: [],
            };
            const successStatuses: HybridJobTerminalStatus[] =
                plan.until === "TERMINAL" ? ["COMPLETED", "FAILED", "CANCELLED"] : ["COMPLETED"];
            try {
                const job = await waitForHybridJob(resolveLookup({ jobArn: plan.arn }), {
                    timeoutSeconds: plan.timeoutSeconds,
                    initialIntervalSeconds: 0.25,
                    maxIntervalSeconds: 1,
                    successStatuses,
                    onProgress: (p) => {
                        if (p.transientError) {
                            result.transientErrors++;
                            if (result.transientSamples.length < 3) result.transientSamples.push(p.transientError);
                        }
                    },
                });
                result.status = job.status;
            } catch (err) {
                Object.assign(result, describeError(err));
            }
            result.endedAt = Date.now();
            return result;
        }),
    );

    const lookUpOne = async (jobArn: string): Promise<LookupResult> => {
        try {
            const job = await lookUp({ jobArn });
            return { ok: true, job, settledAt: Date.now() };
        } catch (err) {
            return { ok: false, ...describeError(err), settledAt: Date.now() };
        }
    };
    const lookups: LookupResult[] = new Array<LookupResult>(cfg.lookups.length);
    if (cfg.batches) {
        for (let b = 0; b < cfg.lookups.length; b += cfg.batch) {
            const batch = cfg.lookups.slice(b, b + cfg.batch);
            (await Promise.all(batch.map(lookUpOne))).forEach((r, i) => (lookups[b + i] = r));
        }
    } else {
        let next = 0;
        const worker = async () => {
            while (next < cfg.lookups.length) {
                const i = next++;
                lookups[i] = await lookUpOne(cfg.lookups[i]);
            }
        };
        await Promise.all(Array.from({ length: Math.min(cfg.batch, cfg.lookups.length) }, worker));
    }
    const results: ChildResults = {
        lookups,
        waits: await waits,
        counters: { ...requestCounters },
        unhandledRejections,
        unhandledSamples,
        warnings,
        workMs: Date.now() - started,
    };
    writeFileSync(cfg.resultsFile, JSON.stringify(results));
    // After this turn of the event loop nothing of ours should be left that keeps the process alive.
    setImmediate(() => {
        process.stdout.write(`SOAK-CHILD-DONE ${JSON.stringify(process.getActiveResourcesInfo())}\n`);
    });
}

// ---------------------------------------------------------------------------------------------
// The soak (this process): endpoint, plan, checks

export interface SoakReport {
    date: string;
    machine: ReturnType<typeof machineInfo>;
    options: SoakOptions;
    lookups: {
        total: number;
        distinctJobs: number;
        missingJobLookups: number;
        rightData: number;
        /** Right data, or HybridJobNotFoundError for a job that does not exist. */
        rightAnswers: number;
        clearErrors: number;
        errorsByClass: Record<string, number>;
        /** Failed lookups by the AWS SDK's attempts: fewer than its 3 means its retry quota was empty. */
        failedByAttempts: Record<string, number>;
        failureRate: number;
    };
    waits: { total: number; right: number; outcomes: Record<string, number>; transientErrorsSurvived: number };
    requests: {
        endpointGetJob: number;
        sentByLibrary: number;
        retries: number;
        lookupRequests: number;
        lookupSends: number;
        lookupRetries: number;
        waitRequests: number;
        waitSends: number;
        waitRetries: number;
        deduplicated: number;
        byStatus: Record<string, number>;
    };
    faultsInjected: Record<string, number>;
    unhandledRejections: number;
    warnings: string[];
    afterDeadline: { requests: number; maxOvershootMs: number };
    afterLookupSettled: number;
    afterProgramFinished: number;
    exit: { code: number | null; exitedByItselfMs: number | null; activeResourcesAtEnd: string[] };
    credentialLeaks: number;
    workMs: number;
    totalMs: number;
    problems: string[];
}

/**
 * The timeout of the waits meant to end (their jobs end 2 to 6 s after they start). Each read of a
 * wait is one lookup, with the AWS SDK's retries: under the soak's faults one read can spend 20 to
 * 50 s in the SDK's backoff (a random delay up to 1 s × 2^n per throttled retry, at most 20 s), as
 * the unluckiest lookup does. With 30 s, about one wait in 100 missed its job's end by that (3 of
 * 456 in runs, 1 in 70 in a simulation of the faults and the backoff; 3 to 5% of short soaks, a
 * wait ending HybridJobWaitTimeoutError, still RUNNING or unread); with 100 s, about one in 13,000
 * in the simulation. 100 s is within the short soak's budget.
 */
export const ENDING_WAIT_TIMEOUT_SECONDS = 100;

function waitPlans(count: number, rnd: () => number): { plans: WaitPlan[]; jobs: Record<string, unknown>[] } {
    const kinds: WaitKind[] = ["completes", "fails", "times-out", "cancelled-terminal", "queued-completes"];
    const plans: WaitPlan[] = [];
    const jobs: Record<string, unknown>[] = [];
    const running = template("grover-search-running");
    const queued = template("qaoa-maxcut-queued");
    for (let i = 0; i < count; i++) {
        const kind = kinds[i % kinds.length];
        const arn = newJobArn();
        const ends = 2 + Math.round(rnd() * 40) / 10; // 2 … 6 s after the job is put
        const name = `soak-wait-${i}`;
        if (kind === "times-out") {
            jobs.push({ ...running, jobArn: arn, jobName: name });
            plans.push({ arn, kind, timeoutSeconds: 1.5 + Math.round(rnd() * 20) / 10, until: "COMPLETED" });
            continue;
        }
        const final = kind === "fails" ? "FAILED" : kind === "cancelled-terminal" ? "CANCELLED" : "COMPLETED";
        const base = kind === "queued-completes" ? queued : running;
        const transitions: Record<string, unknown>[] = [];
        if (kind === "queued-completes") transitions.push({ afterSeconds: ends / 2, status: "RUNNING" });
        transitions.push({
            afterSeconds: ends,
            status: final,
            ...(final === "FAILED" ? { failureReason: "AlgorithmError: soak test failure" } : {}),
        });
        jobs.push({ ...base, jobArn: arn, jobName: name, emulator: { queuePosition: 3, transitions } });
        plans.push({
            arn,
            kind,
            timeoutSeconds: ENDING_WAIT_TIMEOUT_SECONDS,
            until: kind === "cancelled-terminal" ? "TERMINAL" : "COMPLETED",
        });
    }
    return { plans, jobs };
}

function expectedWait(kind: WaitKind): string {
    switch (kind) {
        case "completes":
        case "queued-completes":
            return "COMPLETED";
        case "cancelled-terminal":
            return "CANCELLED";
        case "fails":
            return "HybridJobFailedError(FAILED)";
        case "times-out":
            return "HybridJobWaitTimeoutError";
    }
}

function childEnv(endpoint: string, home: string, pacing: SoakOptions["pacing"]): NodeJS.ProcessEnv {
    return {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        AWS_ACCESS_KEY_ID: SOAK_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SOAK_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: SOAK_CREDENTIALS.sessionToken,
        AWS_REGION: "eu-central-1",
        AWS_CONFIG_FILE: path.join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL_BRAKET: endpoint,
        PULUMI_BRAKET_REQUESTS_PER_SECOND: String(pacing.ratePerSecond),
        PULUMI_BRAKET_REQUEST_BURST: String(pacing.burst),
        PULUMI_BRAKET_MAX_IN_FLIGHT: String(pacing.maxInFlight),
    };
}

const inc = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

export async function runSoak(partial: Partial<SoakOptions> = {}, progress: (msg: string) => void = () => undefined): Promise<SoakReport> {
    const options: SoakOptions = { ...DEFAULT_SOAK, ...partial };
    const t0 = Date.now();
    const rnd = mulberry32(options.seed);
    const problems: string[] = [];
    const problem = (msg: string) => {
        if (problems.length < 50) problems.push(msg);
        else if (problems.length === 50) problems.push("… (more problems not listed)");
    };

    // Static jobs (their data never changes), of every shape the fixtures have.
    const shapes = [
        "qaoa-maxcut-forte",
        "vqe-lih-custom-container",
        "qml-classifier-cancelled",
        "vqe-h2-https-output",
        "grover-search-running",
        "qaoa-maxcut-queued",
    ];
    const templates = shapes.map((s) => template(s));
    const distinct = Math.max(1, Math.round(options.lookups * 0.6));
    const found: JobBody[] = [];
    for (let i = 0; i < distinct; i++) {
        found.push({ ...structuredClone(templates[i % templates.length]), jobArn: newJobArn(), jobName: `soak-${i}` });
    }
    const missing = Array.from({ length: Math.max(1, Math.round(options.lookups * 0.02)) }, () => newJobArn());
    // Every found job once, then repeats and missing jobs, shuffled (seeded).
    const plan: string[] = found.map((j) => j.jobArn);
    for (const arn of missing) plan.push(arn);
    while (plan.length < options.lookups) plan.push(found[Math.floor(rnd() * found.length)].jobArn);
    plan.length = options.lookups;
    for (let i = plan.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [plan[i], plan[j]] = [plan[j], plan[i]];
    }
    const missingSet = new Set(missing);

    const emu = await startBraketEmulator({
        jobs: found,
        faults: options.faults,
        seed: options.seed,
        latencyMs: options.latencyMs,
        logLimit: 10_000_000,
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-braket-soak-"));
    try {
        const expected = new Map<string, unknown>();
        for (const job of found) expected.set(job.jobArn, JSON.parse(JSON.stringify(toHybridJobResult(emu.getJob(job.jobArn)))));
        const { plans: waits, jobs: waitJobs } = waitPlans(options.waits, rnd);
        const config: ChildConfig = {
            lookups: plan,
            batch: options.batch,
            batches: options.batches,
            waits,
            resultsFile: path.join(dir, "results.json"),
        };
        writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
        for (const job of waitJobs) emu.putJob(job); // lifecycles count from now

        progress(
            `program: ${plan.length} lookups (${distinct} distinct jobs, ${missing.length} missing), ${options.batches ? "in batches of" : "in flight at once:"} ${options.batch}, ${waits.length} waits`,
        );
        const child = spawn(process.execPath, [__filename, "--child", path.join(dir, "config.json")], {
            cwd: REPO_ROOT,
            env: childEnv(emu.endpoint, dir, options.pacing),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        let doneAt: number | undefined;
        let requestsAtDone = 0;
        child.stdout.on("data", (d: Buffer) => {
            stdout += d.toString();
            if (doneAt === undefined && stdout.includes("SOAK-CHILD-DONE")) {
                doneAt = Date.now();
                requestsAtDone = emu.stats.requests;
            }
        });
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        // The program's whole run is bounded: 10 min, then it is killed.
        const killer = setTimeout(() => child.kill("SIGKILL"), 600_000);
        const poll = setInterval(() => {
            if (doneAt !== undefined && Date.now() - doneAt > options.exitGraceMs) child.kill("SIGKILL");
        }, 100);
        const code = await exited;
        const exitAt = Date.now();
        clearTimeout(killer);
        clearInterval(poll);
        // Anything the program left in flight would arrive now.
        await new Promise((r) => setTimeout(r, 500));
        const stats = emu.stats;

        const doneLine = stdout.split("\n").find((l) => l.startsWith("SOAK-CHILD-DONE")) ?? "";
        const activeResourcesAtEnd = doneLine ? (JSON.parse(doneLine.slice("SOAK-CHILD-DONE ".length)) as string[]) : [];
        const exitedByItselfMs = doneAt !== undefined && code === 0 ? exitAt - doneAt : null;
        if (doneAt === undefined) problem(`the program did not finish (exit ${code}): ${stderr.slice(-2000)}`);
        else if (exitedByItselfMs === null || exitedByItselfMs > options.exitGraceMs)
            problem(
                `the program did not exit by itself within ${options.exitGraceMs} ms of finishing (exit ${code}); active resources then: ${activeResourcesAtEnd.join(", ")}`,
            );
        if (activeResourcesAtEnd.includes("Timeout"))
            problem(`a timer was still pending when the program finished: ${activeResourcesAtEnd.join(", ")}`);
        const results = JSON.parse(readFileSync(config.resultsFile, "utf8")) as ChildResults;

        // Lookups
        const errorsByClass: Record<string, number> = {};
        const failedByAttempts: Record<string, number> = {};
        let rightData = 0;
        let rightAnswers = 0;
        let clearErrors = 0;
        const lastSettled = new Map<string, number>();
        results.lookups.forEach((r, i) => {
            const arn = plan[i];
            lastSettled.set(arn, Math.max(lastSettled.get(arn) ?? 0, r.settledAt));
            if (r.ok) {
                if (missingSet.has(arn)) problem(`lookup ${i} of a missing job ${arn} returned data`);
                else if (!isDeepStrictEqual(r.job, expected.get(arn)))
                    problem(`lookup ${i} of ${arn} returned data that differs from the endpoint's job`);
                else {
                    rightData++;
                    rightAnswers++;
                }
                return;
            }
            if (missingSet.has(arn) && r.errorClass === "HybridJobNotFoundError") rightAnswers++;
            inc(errorsByClass, r.errorClass ?? "?");
            inc(failedByAttempts, String(r.attempts ?? "?"));
            const allowed = missingSet.has(arn)
                ? ["HybridJobNotFoundError", "BraketUnavailableError", "HybridJobThrottledError"]
                : ["BraketUnavailableError", "HybridJobThrottledError"];
            const clear =
                allowed.includes(r.errorClass ?? "") &&
                (r.message ?? "").includes(arn) &&
                (r.message ?? "").includes(`region ${REGION}`) &&
                r.errJobArn === arn &&
                r.errRegion === REGION;
            if (clear) clearErrors++;
            else problem(`lookup ${i} of ${arn} failed unclearly: ${r.errorClass}: ${r.message}`);
        });
        if (rightAnswers < results.lookups.length) {
            const wrong = results.lookups.findIndex(
                (r, i) => !(r.ok || (missingSet.has(plan[i]) && r.errorClass === "HybridJobNotFoundError")),
            );
            problem(
                `${results.lookups.length - rightAnswers} lookup(s) did not give the right answer, e.g. lookup ${wrong}: ${results.lookups[wrong]?.errorClass}: ${results.lookups[wrong]?.message}`,
            );
        }
        if (results.workMs > options.budgetMs)
            problem(`the program took ${fmtMs(results.workMs)}, over its budget of ${fmtMs(options.budgetMs)}`);

        // Waits
        const outcomes: Record<string, number> = {};
        let rightWaits = 0;
        let transientErrorsSurvived = 0;
        results.waits.forEach((w, i) => {
            const p = waits[i];
            const outcome =
                w.status ?? (w.errorClass === "HybridJobFailedError" ? `HybridJobFailedError(${w.errStatus})` : (w.errorClass ?? "?"));
            inc(outcomes, outcome);
            transientErrorsSurvived += w.transientErrors;
            const want = expectedWait(p.kind);
            const named = w.status !== undefined || ((w.message ?? "").includes(p.arn) && w.errJobArn === p.arn);
            if (outcome === want && named) rightWaits++;
            else
                problem(
                    `wait ${i} (${p.kind}, timeout ${p.timeoutSeconds} s) for ${p.arn} ended ${outcome}, expected ${want}: ${w.message ?? ""}`,
                );
            for (const s of w.transientSamples) {
                if (!s.includes(p.arn)) problem(`a transient error seen by wait ${i} does not name the job: ${s}`);
            }
        });

        // Requests against deadlines and completions
        const log = stats.log.filter((e: EmulatorRequestLogEntry) => e.operation === "GetJob");
        const byArn = new Map<string, number[]>();
        for (const e of log) {
            if (!e.jobArn) continue;
            const list = byArn.get(e.jobArn) ?? [];
            list.push(Date.parse(e.time));
            byArn.set(e.jobArn, list);
        }
        let afterDeadline = 0;
        // For the waits that timed out: the last request's arrival relative to the deadline (< 0: before it).
        let maxOvershootMs = -Infinity;
        results.waits.forEach((w) => {
            const limit = Math.min(w.deadlineAt, w.endedAt);
            for (const t of byArn.get(w.arn) ?? []) {
                if (w.errorClass === "HybridJobWaitTimeoutError") maxOvershootMs = Math.max(maxOvershootMs, t - w.deadlineAt);
                if (t > limit + options.toleranceMs) afterDeadline++;
            }
        });
        if (afterDeadline > 0)
            problem(`${afterDeadline} request(s) for a waited job arrived after its deadline or after the wait returned`);
        let afterLookupSettled = 0;
        for (const [arn, settled] of lastSettled) {
            for (const t of byArn.get(arn) ?? []) if (t > settled + options.toleranceMs) afterLookupSettled++;
        }
        if (afterLookupSettled > 0) problem(`${afterLookupSettled} request(s) arrived after every lookup of their job had settled`);
        const afterProgramFinished = doneAt === undefined ? 0 : stats.requests - requestsAtDone;
        if (afterProgramFinished > 0) problem(`${afterProgramFinished} request(s) arrived after the program finished`);

        if (results.unhandledRejections > 0)
            problem(`${results.unhandledRejections} unhandled rejection(s): ${results.unhandledSamples.join(" | ")}`);
        for (const w of results.warnings) if (/MaxListenersExceeded/.test(w)) problem(`warning: ${w}`);
        let credentialLeaks = 0;
        for (const secret of Object.values(SOAK_CREDENTIALS)) {
            if (stdout.includes(secret) || stderr.includes(secret) || readFileSync(config.resultsFile, "utf8").includes(secret))
                credentialLeaks++;
        }
        if (credentialLeaks > 0) problem(`${credentialLeaks} credential string(s) appeared in the program's output`);

        const waitArns = new Set(waits.map((w) => w.arn));
        const lookupRequests = log.filter((e) => e.jobArn !== undefined && !waitArns.has(e.jobArn)).length;
        const waitRequests = log.length - lookupRequests;
        const lookupSends = results.lookups.length - results.counters.deduplicated;
        const waitSends = results.counters.getJob - lookupSends;
        if (lookupSends < 0 || waitSends < 0) problem(`inconsistent counters: ${JSON.stringify(results.counters)}`);
        const failed = results.lookups.length - rightAnswers;

        return {
            date: new Date(t0).toISOString(),
            machine: machineInfo(),
            options,
            lookups: {
                total: results.lookups.length,
                distinctJobs: distinct,
                missingJobLookups: plan.filter((a) => missingSet.has(a)).length,
                rightData,
                rightAnswers,
                clearErrors,
                errorsByClass,
                failedByAttempts,
                failureRate: failed / results.lookups.length,
            },
            waits: { total: results.waits.length, right: rightWaits, outcomes, transientErrorsSurvived },
            requests: {
                endpointGetJob: log.length,
                sentByLibrary: results.counters.getJob,
                retries: log.length - results.counters.getJob,
                lookupRequests,
                lookupSends,
                lookupRetries: lookupRequests - lookupSends,
                waitRequests,
                waitSends,
                waitRetries: waitRequests - waitSends,
                deduplicated: results.counters.deduplicated,
                byStatus: stats.byStatus,
            },
            faultsInjected: stats.faults,
            unhandledRejections: results.unhandledRejections,
            warnings: [...new Set(results.warnings)],
            afterDeadline: { requests: afterDeadline, maxOvershootMs },
            afterLookupSettled,
            afterProgramFinished,
            exit: { code, exitedByItselfMs, activeResourcesAtEnd },
            credentialLeaks,
            workMs: results.workMs,
            totalMs: Date.now() - t0,
            problems,
        };
    } finally {
        await emu.close();
        rmSync(dir, { recursive: true, force: true });
    }
}

export function renderSoak(r: SoakReport): string {
    const o = r.options;
    const f = o.faults;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const rows: string[][] = [
        [
            "lookups",
            `${r.lookups.total} (${r.lookups.distinctJobs} distinct jobs, ${r.lookups.missingJobLookups} of missing jobs), ${o.batches ? `batches of ${o.batch}` : `${o.batch} in flight at once`}`,
        ],
        [
            "… right answers (the job's data, or not found for a missing job)",
            `${r.lookups.rightAnswers} (${pct(1 - r.lookups.failureRate)}); wrong: ${r.lookups.total - r.lookups.rightAnswers}`,
        ],
        ["… right data (deep-equal to the endpoint's job)", String(r.lookups.rightData)],
        ["… errors, all clear and of our classes (ARN + region named)", String(r.lookups.clearErrors)],
        [
            "… errors by class",
            Object.entries(r.lookups.errorsByClass)
                .map(([k, v]) => `${k} ${v}`)
                .join(", ") || "none",
        ],
        [
            "… failed lookups by the SDK's attempts",
            Object.entries(r.lookups.failedByAttempts)
                .map(([k, v]) => `${k} attempt${k === "1" ? "" : "s"}: ${v}`)
                .join(", ") || "none",
        ],
        ["waits", `${r.waits.total}: ${r.waits.right} ended as expected`],
        [
            "… outcomes",
            Object.entries(r.waits.outcomes)
                .map(([k, v]) => `${k} ${v}`)
                .join(", "),
        ],
        ["… transient errors survived by waits", String(r.waits.transientErrorsSurvived)],
        ["GetJob requests at the endpoint", String(r.requests.endpointGetJob)],
        [
            "GetJob requests sent by the library",
            `${r.requests.sentByLibrary} (${r.requests.deduplicated} lookups shared a request in flight or a terminal job's read)`,
        ],
        [
            "retries (endpoint − library)",
            `${r.requests.retries}: lookups ${r.requests.lookupRetries} (${r.requests.lookupRequests} − ${r.requests.lookupSends}), waits ${r.requests.waitRetries} (${r.requests.waitRequests} − ${r.requests.waitSends})`,
        ],
        [
            "responses by status",
            Object.entries(r.requests.byStatus)
                .map(([k, v]) => `${k}: ${v}`)
                .join(", "),
        ],
        [
            "faults injected",
            Object.entries(r.faultsInjected)
                .map(([k, v]) => `${k} ${v}`)
                .join(", "),
        ],
        ["unhandled rejections", String(r.unhandledRejections)],
        [
            "requests after a wait's deadline / return",
            `${r.afterDeadline.requests} (timed-out waits: last request ${Number.isFinite(r.afterDeadline.maxOvershootMs) ? `${-r.afterDeadline.maxOvershootMs} ms before the deadline` : "n/a"})`,
        ],
        ["requests after a job's last lookup settled", String(r.afterLookupSettled)],
        ["requests after the program finished", String(r.afterProgramFinished)],
        [
            "program exited by itself",
            r.exit.exitedByItselfMs === null ? `no (exit ${r.exit.code})` : `yes, ${r.exit.exitedByItselfMs} ms after finishing`,
        ],
        ["process.getActiveResourcesInfo() at the end", r.exit.activeResourcesAtEnd.join(", ") || "(none)"],
        ["credentials in the program's output", String(r.credentialLeaks)],
        ["warnings in the program", r.warnings.map((w) => w.slice(0, 80)).join(" | ") || "none"],
        ["time", `program ${fmtMs(r.workMs)} (budget ${fmtMs(o.budgetMs)}), soak in all ${fmtMs(r.totalMs)}`],
    ];
    return [
        `pulumi-braket fault soak — ${r.date}`,
        `machine: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}`,
        `faults: throttle ${f.throttle}, 5xx ${f.serverError}, drop ${f.drop}, slow ${f.slow} (${f.slowMs} ms); seed ${o.seed}; round trip ${o.latencyMs} ms; ` +
            `program pacer ${o.pacing.ratePerSecond}/s, burst ${o.pacing.burst}, ${o.pacing.maxInFlight} in flight; the library's client ` +
            `(${DEFAULT_TIMEOUTS.requestTimeoutMs / 1000} s for an answer, ${DEFAULT_TIMEOUTS.lookupTimeoutMs / 1000} s for a lookup, ${DEFAULT_MAX_RETRIES} retries, standard mode)`,
        "",
        markdownTable(["", "result"], rows),
        "",
        r.problems.length === 0 ? "PASS: every check held." : `FAIL:\n${r.problems.map((p) => `- ${p}`).join("\n")}`,
    ].join("\n");
}

if (require.main === module) {
    if (process.argv[2] === "--child") {
        runChild(process.argv[3]).catch((err) => {
            process.stderr.write(`soak program failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exitCode = 1;
        });
    } else {
        const { values } = parseArgs({
            args: process.argv.slice(2),
            options: {
                lookups: { type: "string" },
                waits: { type: "string" },
                batch: { type: "string" },
                batches: { type: "boolean" },
                "budget-seconds": { type: "string" },
                seed: { type: "string" },
                "latency-ms": { type: "string" },
                json: { type: "boolean" },
            },
            strict: true,
        });
        const int = (raw: string | undefined, fallback: number) => (raw === undefined ? fallback : Math.max(0, Math.floor(Number(raw))));
        const options: Partial<SoakOptions> = {
            lookups: int(values.lookups, DEFAULT_SOAK.lookups),
            waits: int(values.waits, DEFAULT_SOAK.waits),
            batch: Math.max(1, int(values.batch, DEFAULT_SOAK.batch)),
            batches: values.batches === true,
            budgetMs: int(values["budget-seconds"], DEFAULT_SOAK.budgetMs / 1000) * 1000,
            seed: int(values.seed, DEFAULT_SOAK.seed),
            latencyMs: int(values["latency-ms"], DEFAULT_SOAK.latencyMs),
        };
        runSoak(options, (m) => process.stderr.write(`[soak] ${m}\n`)).then(
            (report) => {
                process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${renderSoak(report)}\n`);
                if (report.problems.length > 0) process.exitCode = 1;
            },
            (err) => {
                process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
                process.exitCode = 1;
            },
        );
    }
}
