/**
 * `npm run bench`: pulumi-braket measured against its peers, on this machine, against the local
 * Braket endpoint (provider/emulator) with a simulated round-trip latency.
 *
 *   node dist/test/bench/bench.js [--latency-ms 20] [--n 500] [--runs 10] [--cold-runs 7] [--only 1,3] [--json]
 *
 *   1. Per-lookup overhead: getHybridJob on distinct jobs against a bare BraketClient.send(GetJob),
 *      same process, same endpoint, alternating, after warm-up (pacer overridden high: see below).
 *   2. Shelling out: `aws braket get-job` (a process) against one in-process getHybridJob and
 *      against `node dist/provider/cli.js get` (a process).
 *   3. Fan-out: 200 distinct jobs each asked for twice at once, DEFAULT pacer: GetJob calls counted
 *      on the endpoint, wall time against a token bucket at Braket's GetJob quota.
 *   4. Waiting (simulated clock): waitForHybridJob's default polling against fixed 5 s polling.
 *   5. Cold start: require("pulumi-braket") on top of @pulumi/pulumi, in fresh processes.
 *
 * The table goes to stdout; with --json, one JSON object goes to stdout instead and nothing else.
 * Progress goes to stderr.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { BraketClient, GetJobCommand } from "@aws-sdk/client-braket";
import * as braket from "pulumi-braket";
import { destroyConnections } from "../../provider/clients";
import { startBraketEmulator, type EmulatorRequestLogEntry } from "../../provider/emulator";
import { mulberry32 } from "../../provider/emulator/faults";
import { fetchHybridJob, requestCounters, resolveLookup, type HybridJobLookup } from "../../provider/hybridJob";
import { GETJOB_BURST, GETJOB_RATE_PER_SECOND, pacerOptionsFromEnv } from "../../provider/pacing";
import { DEFAULT_POLLING, waitForHybridJob } from "../../provider/wait";
import { SimulatedClock } from "../support/clock";
import { AwsTestEnvironment, TEST_CREDENTIALS } from "../support/emulator";
import {
    CLI_JS,
    distinctJobs,
    fmtMiB,
    fmtMs,
    fmtRatio,
    machineInfo,
    markdownTable,
    median,
    msSince,
    newJobArn,
    percentile,
    REGION,
    REPO_ROOT,
    setEnv,
    template,
    timedRun,
    type JobBody,
    type MachineInfo,
} from "./common";

/** Pacer settings that never hold a request back: for measurements that are not about pacing. */
const UNPACED = {
    PULUMI_BRAKET_REQUESTS_PER_SECOND: "1000000",
    PULUMI_BRAKET_REQUEST_BURST: "1000000",
    PULUMI_BRAKET_MAX_IN_FLIGHT: "100000",
};
/** No override: the pacer's defaults (Braket's GetJob quota). */
const DEFAULT_PACING = {
    PULUMI_BRAKET_REQUESTS_PER_SECOND: undefined,
    PULUMI_BRAKET_REQUEST_BURST: undefined,
    PULUMI_BRAKET_MAX_IN_FLIGHT: undefined,
};

/** The Braket Python SDK's default poll interval (QuantumJob.DEFAULT_RESULTS_POLL_INTERVAL). */
const PYTHON_SDK_POLL_SECONDS = 5;

export interface BenchOptions {
    latencyMs: number;
    n: number;
    runs: number;
    coldRuns: number;
    only: Set<number>;
}

/** One line of the table: a figure, its peer, and ours / peer. */
export interface Row {
    item: string;
    figure: string;
    ours: string;
    peer: string;
    peerValue: string;
    ratio: number;
    target: string;
    met?: boolean;
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// 1. Per-lookup overhead

export interface LookupOverhead {
    latencyMs: number;
    n: number;
    warmup: number;
    ours: { medianMs: number; p95Ms: number; meanMs: number };
    bare: { medianMs: number; p95Ms: number; meanMs: number };
    /** Median of (ours - bare) over the pairs. */
    medianPairDiffMs: number;
    getJobCalls: number;
}

async function lookupOverhead(latencyMs: number, n: number, warmup: number): Promise<LookupOverhead> {
    const jobs = distinctJobs(2 * (n + warmup), "bench-overhead");
    const emu = await startBraketEmulator({ jobs, latencyMs, logLimit: 0 });
    const restore = setEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, ...UNPACED });
    destroyConnections();
    // The bare SDK as a user would build it: region of the jobs, endpoint and credentials from the environment.
    const bare = new BraketClient({ region: REGION });
    const ours: number[] = [];
    const peer: number[] = [];
    let next = 0;
    const oursOnce = async (record: boolean) => {
        const arn = jobs[next++].jobArn;
        const t = process.hrtime.bigint();
        const job = await braket.getHybridJob({ jobArn: arn });
        const ms = msSince(t);
        if (job.jobArn !== arn) throw new Error(`getHybridJob returned ${job.jobArn} for ${arn}`);
        if (record) ours.push(ms);
    };
    const bareOnce = async (record: boolean) => {
        const arn = jobs[next++].jobArn;
        const t = process.hrtime.bigint();
        const out = await bare.send(new GetJobCommand({ jobArn: arn }));
        const ms = msSince(t);
        if (out.jobArn !== arn) throw new Error(`GetJob returned ${out.jobArn} for ${arn}`);
        if (record) peer.push(ms);
    };
    try {
        for (let i = 0; i < warmup; i++) {
            await oursOnce(false);
            await bareOnce(false);
        }
        emu.resetStats();
        for (let i = 0; i < n; i++) {
            // Alternate which goes first, so that neither always follows the other.
            if (i % 2 === 0) {
                await oursOnce(true);
                await bareOnce(true);
            } else {
                await bareOnce(true);
                await oursOnce(true);
            }
        }
        const diffs = ours.map((v, i) => v - peer[i]);
        const summary = (v: number[]) => ({
            medianMs: median(v),
            p95Ms: percentile(v, 95),
            meanMs: v.reduce((s, x) => s + x, 0) / v.length,
        });
        return {
            latencyMs,
            n,
            warmup,
            ours: summary(ours),
            bare: summary(peer),
            medianPairDiffMs: median(diffs),
            getJobCalls: emu.stats.byOperation.GetJob ?? 0,
        };
    } finally {
        bare.destroy();
        destroyConnections();
        restore();
        await emu.close();
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Against shelling out

export interface ShellOut {
    latencyMs: number;
    runs: number;
    awsCli: { path: string; version: string; medianMs: number; allMs: number[] } | { skipped: string };
    ourCli: { medianMs: number; allMs: number[] };
    inProcess: { medianMs: number; allMs: number[] };
}

/** The AWS CLI on PATH; a pyenv shim is resolved to the real script so the shim's cost is not counted. */
function findAwsCli(): { path: string; version: string } | undefined {
    const which = spawnSync("sh", ["-c", "command -v aws"], { encoding: "utf8" });
    let found = which.status === 0 ? which.stdout.trim() : "";
    if (!found) return undefined;
    if (found.includes("/shims/")) {
        const real = spawnSync("pyenv", ["which", "aws"], { encoding: "utf8" });
        if (real.status === 0 && real.stdout.trim()) found = real.stdout.trim();
    }
    const v = spawnSync(found, ["--version"], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir() } });
    if (v.status !== 0) return undefined;
    return { path: found, version: `${v.stdout}${v.stderr}`.trim() };
}

async function shellOut(latencyMs: number, runs: number): Promise<ShellOut> {
    const jobs = distinctJobs(3 * (runs + 1), "bench-shell");
    const emu = await startBraketEmulator({ jobs, latencyMs, logLimit: 0 });
    // Default pacing: one lookup at a time is never held back (the bucket starts with its burst).
    const restore = setEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, ...DEFAULT_PACING });
    destroyConnections();
    const home = mkdtempSync(path.join(os.tmpdir(), "bench-awscli-"));
    writeFileSync(path.join(home, "config"), "");
    writeFileSync(path.join(home, "credentials"), "");
    const awsEnv: NodeJS.ProcessEnv = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        LANG: "C.UTF-8",
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_CONFIG_FILE: path.join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_PAGER: "",
        ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
    };
    const aws = findAwsCli();
    const awsMs: number[] = [];
    const cliMs: number[] = [];
    const inProcMs: number[] = [];
    let next = 0;
    const check = (what: string, run: { code: number | null; stdout: string; stderr: string }, arn: string) => {
        if (run.code !== 0) throw new Error(`${what} exited ${run.code}: ${run.stderr.slice(0, 2000)}`);
        const body = JSON.parse(run.stdout) as { jobArn?: string };
        if (body.jobArn !== arn) throw new Error(`${what} printed jobArn ${body.jobArn} for ${arn}`);
    };
    try {
        for (let r = 0; r <= runs; r++) {
            const record = r > 0; // run 0 warms the OS caches and Python's bytecode cache
            if (aws) {
                const arn = jobs[next++].jobArn;
                const run = await timedRun(
                    aws.path,
                    ["braket", "get-job", "--job-arn", arn, "--endpoint-url", emu.endpoint, "--region", REGION, "--output", "json"],
                    awsEnv,
                    120_000,
                    home,
                );
                check("aws braket get-job", run, arn);
                if (record) awsMs.push(run.wallMs);
            }
            {
                const arn = jobs[next++].jobArn;
                const run = await timedRun(process.execPath, [CLI_JS, "get", "--job-arn", arn], process.env, 60_000);
                check("pulumi-braket get", run, arn);
                if (record) cliMs.push(run.wallMs);
            }
            {
                const arn = jobs[next++].jobArn;
                const t = process.hrtime.bigint();
                const job = await braket.getHybridJob({ jobArn: arn });
                const ms = msSince(t);
                if (job.jobArn !== arn) throw new Error(`getHybridJob returned ${job.jobArn}`);
                if (record) inProcMs.push(ms);
            }
        }
        return {
            latencyMs,
            runs,
            awsCli: aws
                ? { path: aws.path, version: aws.version, medianMs: median(awsMs), allMs: awsMs }
                : { skipped: "no AWS CLI on PATH (apt-get install awscli)" },
            ourCli: { medianMs: median(cliMs), allMs: cliMs },
            inProcess: { medianMs: median(inProcMs), allMs: inProcMs },
        };
    } finally {
        destroyConnections();
        restore();
        rmSync(home, { recursive: true, force: true });
        await emu.close();
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Fan-out under the default pacer

export interface FanOut {
    latencyMs: number;
    jobs: number;
    lookups: number;
    pacer: { ratePerSecond: number; burst: number; maxInFlight: number };
    getJobCalls: number;
    deduplicated: number;
    wallMs: number;
    roundTripMs: number;
    idealMs: number;
    /** Arrivals a server-side token bucket at (rate, burst) would have refused, with a 20 ms grace. */
    overQuotaArrivals: number;
    /** Most arrivals in any 1 s window. */
    maxPerSecond: number;
}

/** Arrivals that a token bucket (rate/s, burst), full at the first arrival, would refuse. */
export function overQuota(arrivalsMs: number[], rate: number, burst: number, graceTokens: number): number {
    const times = [...arrivalsMs].sort((a, b) => a - b);
    let tokens = burst;
    let last = times[0] ?? 0;
    let refused = 0;
    for (const t of times) {
        tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
        last = t;
        if (tokens >= 1 - graceTokens) tokens -= 1;
        else refused++;
    }
    return refused;
}

function maxInWindow(arrivalsMs: number[], windowMs: number): number {
    const times = [...arrivalsMs].sort((a, b) => a - b);
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
        while (times[hi] - times[lo] >= windowMs) lo++;
        best = Math.max(best, hi - lo + 1);
    }
    return best;
}

async function fanOut(latencyMs: number, count = 200): Promise<FanOut> {
    const jobs = distinctJobs(count + 20, "bench-fanout");
    const emu = await startBraketEmulator({ jobs, latencyMs, logLimit: 10_000 });
    try {
        // The round trip, measured with a bare client (not through the pacer).
        const bare = new BraketClient({ region: REGION, endpoint: emu.endpoint });
        const rtts: number[] = [];
        for (const job of jobs.slice(count)) {
            const t = process.hrtime.bigint();
            await bare.send(new GetJobCommand({ jobArn: job.jobArn }));
            rtts.push(msSince(t));
        }
        bare.destroy();
        const roundTripMs = median(rtts.slice(5));

        const restore = setEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, ...DEFAULT_PACING });
        destroyConnections();
        emu.resetStats();
        const pacer = pacerOptionsFromEnv();
        const arns = jobs.slice(0, count).map((j) => j.jobArn);
        // Each job asked for twice, the second asks in another order, all at once (as a program's
        // top level does: every getHybridJob call is made before any answer arrives).
        const rnd = mulberry32(7);
        const again = [...arns].sort(() => rnd() - 0.5);
        const before = { ...requestCounters };
        try {
            const t = process.hrtime.bigint();
            const results = await Promise.all(
                [...arns, ...again].map((jobArn) => braket.getHybridJob({ jobArn }).then((j) => [jobArn, j] as const)),
            );
            const wallMs = msSince(t);
            for (const [arn, job] of results) {
                if (job.jobArn !== arn) throw new Error(`getHybridJob returned ${job.jobArn} for ${arn}`);
            }
            const stats = emu.stats;
            const arrivals = stats.log.filter((e: EmulatorRequestLogEntry) => e.operation === "GetJob").map((e) => Date.parse(e.time));
            const idealMs = (Math.max(0, count - pacer.burst) / pacer.ratePerSecond) * 1000 + roundTripMs;
            return {
                latencyMs,
                jobs: count,
                lookups: results.length,
                pacer: { ratePerSecond: pacer.ratePerSecond, burst: pacer.burst, maxInFlight: pacer.maxInFlight },
                getJobCalls: stats.byOperation.GetJob ?? 0,
                deduplicated: requestCounters.deduplicated - before.deduplicated,
                wallMs,
                roundTripMs,
                idealMs,
                overQuotaArrivals: overQuota(arrivals, GETJOB_RATE_PER_SECOND, GETJOB_BURST, 0.1),
                maxPerSecond: maxInWindow(arrivals, 1000),
            };
        } finally {
            destroyConnections();
            restore();
        }
    } finally {
        await emu.close();
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Waiting, on a simulated clock

export interface WaitRun {
    calls: number;
    delayMs: number;
}

export interface WaitingCase {
    finishSeconds: number;
    phasesSeconds: number[];
    ours: { runs: WaitRun[]; medianCalls: number; medianDelayMs: number; maxDelayMs: number };
    fixed: { runs: WaitRun[]; medianCalls: number; medianDelayMs: number; maxDelayMs: number };
}

/** A job that is QUEUED (position 2), RUNNING after 20 s, and COMPLETED `endSeconds` after `start`. */
function lifecycleJob(start: number, endSeconds: number): JobBody & { emulator: unknown } {
    const base = template("qaoa-maxcut-queued");
    return {
        ...base,
        jobArn: newJobArn(),
        createdAt: new Date(start).toISOString(),
        emulator: {
            queuePosition: 2,
            transitions: [
                { afterSeconds: Math.min(20, endSeconds / 2), status: "RUNNING" },
                { afterSeconds: endSeconds, status: "COMPLETED" },
            ],
        },
    };
}

async function oneWait(latencyMs: number, endSeconds: number, how: "ours" | "fixed", seed: number): Promise<WaitRun> {
    const clock = new SimulatedClock();
    const start = clock.now();
    const job = lifecycleJob(start, endSeconds);
    const emu = await startBraketEmulator({ jobs: [job], latencyMs, now: () => clock.now(), logLimit: 0 });
    try {
        const lookup: HybridJobLookup = resolveLookup({ jobArn: job.jobArn, endpoint: emu.endpoint });
        let status: string;
        if (how === "ours") {
            const done = await waitForHybridJob(lookup, { timeoutSeconds: 6 * 3600, clock, random: mulberry32(seed) });
            status = done.status;
        } else {
            // What the Braket Python SDK's AwsQuantumJob.result() does: GetJob, then sleep 5 s, until terminal.
            const never = new AbortController().signal;
            for (;;) {
                const read = await fetchHybridJob(lookup);
                if (read.isTerminal) {
                    status = read.status;
                    break;
                }
                await clock.sleep(PYTHON_SDK_POLL_SECONDS * 1000, never);
            }
        }
        if (status !== "COMPLETED") throw new Error(`the wait ended with ${status}`);
        return { calls: emu.stats.byOperation.GetJob ?? 0, delayMs: clock.now() - (start + endSeconds * 1000) };
    } finally {
        await emu.close();
    }
}

async function waiting(latencyMs: number): Promise<WaitingCase[]> {
    // Pacing is in real time while these waits run on a simulated clock: an hour of fixed 5 s polls
    // would otherwise take minutes of real time, without changing any count or simulated delay.
    const restore = setEnv(UNPACED);
    destroyConnections();
    // Five finishing times spread over one 5 s interval, so the fixed poller is not flattered by a job
    // that ends exactly on its grid.
    const phases = [0.5, 1.5, 2.5, 3.5, 4.5];
    try {
        const cases: WaitingCase[] = [];
        for (const finishSeconds of [60, 600, 3600]) {
            const runs = await Promise.all(
                phases.flatMap((p, i) => [
                    oneWait(latencyMs, finishSeconds + p, "ours", i + 1),
                    oneWait(latencyMs, finishSeconds + p, "fixed", i + 1),
                ]),
            );
            const ours = runs.filter((_, i) => i % 2 === 0);
            const fixed = runs.filter((_, i) => i % 2 === 1);
            const summary = (r: WaitRun[]) => ({
                runs: r,
                medianCalls: median(r.map((x) => x.calls)),
                medianDelayMs: median(r.map((x) => x.delayMs)),
                maxDelayMs: Math.max(...r.map((x) => x.delayMs)),
            });
            cases.push({ finishSeconds, phasesSeconds: phases, ours: summary(ours), fixed: summary(fixed) });
            log(`  waiting ${finishSeconds} s: ours ${median(ours.map((x) => x.calls))} calls, fixed ${median(fixed.map((x) => x.calls))}`);
        }
        return cases;
    } finally {
        destroyConnections();
        restore();
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Cold start

export interface ColdStart {
    runs: number;
    pulumi: { medianMs: number; rssBytes: number; heapBytes: number };
    braket: { medianMs: number; rssBytes: number; heapBytes: number };
    /** In a second set of processes: @aws-sdk/client-braket loaded between the two. */
    awsSdkShare: { clientBraketMs: number; braketAfterSdkMs: number; clientBraketHeapBytes: number };
}

const COLD_SCRIPT = `
const { performance } = require("node:perf_hooks");
const steps = process.argv.slice(1);
const out = [];
global.gc();
let mem = process.memoryUsage();
for (const id of steps) {
  const t = performance.now();
  require(id);
  const ms = performance.now() - t;
  global.gc();
  const now = process.memoryUsage();
  out.push({ id, ms, rss: now.rss - mem.rss, heap: now.heapUsed - mem.heapUsed });
  mem = now;
}
process.stdout.write(JSON.stringify(out));
`;

interface ColdStep {
    id: string;
    ms: number;
    rss: number;
    heap: number;
}

async function coldRun(steps: string[]): Promise<ColdStep[]> {
    const run = await timedRun(
        process.execPath,
        ["--expose-gc", "-e", COLD_SCRIPT, ...steps],
        { ...process.env, NODE_NO_WARNINGS: "1" },
        60_000,
    );
    if (run.code !== 0) throw new Error(`cold-start child failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as ColdStep[];
}

async function coldStart(runs: number): Promise<ColdStart> {
    const a: ColdStep[][] = [];
    const b: ColdStep[][] = [];
    await coldRun(["@pulumi/pulumi", "pulumi-braket"]); // warms the OS file cache
    for (let i = 0; i < runs; i++) {
        a.push(await coldRun(["@pulumi/pulumi", "pulumi-braket"]));
        b.push(await coldRun(["@pulumi/pulumi", "@aws-sdk/client-braket", "pulumi-braket"]));
    }
    const col = (set: ColdStep[][], i: number, k: "ms" | "rss" | "heap") => median(set.map((r) => r[i][k]));
    return {
        runs,
        pulumi: { medianMs: col(a, 0, "ms"), rssBytes: col(a, 0, "rss"), heapBytes: col(a, 0, "heap") },
        braket: { medianMs: col(a, 1, "ms"), rssBytes: col(a, 1, "rss"), heapBytes: col(a, 1, "heap") },
        awsSdkShare: { clientBraketMs: col(b, 1, "ms"), braketAfterSdkMs: col(b, 2, "ms"), clientBraketHeapBytes: col(b, 1, "heap") },
    };
}

// ---------------------------------------------------------------------------------------------

export interface BenchReport {
    date: string;
    machine: MachineInfo;
    options: { latencyMs: number; n: number; runs: number; coldRuns: number; only: number[] };
    pacingDefaults: { ratePerSecond: number; burst: number; maxInFlight: number };
    lookupOverhead?: LookupOverhead;
    lookupOverheadNoLatency?: LookupOverhead;
    shellOut?: ShellOut;
    fanOut?: FanOut;
    waiting?: WaitingCase[];
    coldStart?: ColdStart;
    rows: Row[];
    notes: string[];
}

function rowsOf(r: BenchReport): Row[] {
    const rows: Row[] = [];
    const o = r.lookupOverhead;
    if (o) {
        const peer = `bare BraketClient.send(GetJob)`;
        const ratioMed = o.ours.medianMs / o.bare.medianMs;
        const ratioP95 = o.ours.p95Ms / o.bare.p95Ms;
        rows.push({
            item: "1",
            figure: `getHybridJob median, ${o.latencyMs} ms RTT, N=${o.n}`,
            ours: fmtMs(o.ours.medianMs),
            peer,
            peerValue: fmtMs(o.bare.medianMs),
            ratio: ratioMed,
            target: "≤ 1.15×",
            met: ratioMed <= 1.15,
        });
        rows.push({
            item: "1",
            figure: `getHybridJob p95, ${o.latencyMs} ms RTT, N=${o.n}`,
            ours: fmtMs(o.ours.p95Ms),
            peer,
            peerValue: fmtMs(o.bare.p95Ms),
            ratio: ratioP95,
            target: "≤ 1.15×",
            met: ratioP95 <= 1.15,
        });
    }
    const z = r.lookupOverheadNoLatency;
    if (z) {
        const peer = `bare BraketClient.send(GetJob)`;
        rows.push({
            item: "1b",
            figure: `getHybridJob median, 0 ms RTT (pure CPU cost)`,
            ours: fmtMs(z.ours.medianMs),
            peer,
            peerValue: fmtMs(z.bare.medianMs),
            ratio: z.ours.medianMs / z.bare.medianMs,
            target: "info",
        });
        rows.push({
            item: "1b",
            figure: `getHybridJob p95, 0 ms RTT (pure CPU cost)`,
            ours: fmtMs(z.ours.p95Ms),
            peer,
            peerValue: fmtMs(z.bare.p95Ms),
            ratio: z.ours.p95Ms / z.bare.p95Ms,
            target: "info",
        });
    }
    const s = r.shellOut;
    if (s) {
        if ("medianMs" in s.awsCli) {
            const peer = `aws braket get-job (process)`;
            rows.push({
                item: "2",
                figure: `one lookup, getHybridJob in-process (median of ${s.runs})`,
                ours: fmtMs(s.inProcess.medianMs),
                peer,
                peerValue: fmtMs(s.awsCli.medianMs),
                ratio: s.inProcess.medianMs / s.awsCli.medianMs,
                target: "info",
            });
            rows.push({
                item: "2",
                figure: `one lookup, pulumi-braket get (process, median of ${s.runs})`,
                ours: fmtMs(s.ourCli.medianMs),
                peer,
                peerValue: fmtMs(s.awsCli.medianMs),
                ratio: s.ourCli.medianMs / s.awsCli.medianMs,
                target: "info",
            });
        } else {
            rows.push({
                item: "2",
                figure: `one lookup, pulumi-braket get (process)`,
                ours: fmtMs(s.ourCli.medianMs),
                peer: s.awsCli.skipped,
                peerValue: "n/a",
                ratio: NaN,
                target: "info",
            });
        }
    }
    const f = r.fanOut;
    if (f) {
        rows.push({
            item: "3",
            figure: `GetJob calls, ${f.jobs} jobs × 2 concurrent asks`,
            ours: String(f.getJobCalls),
            peer: "one per distinct job",
            peerValue: String(f.jobs),
            ratio: f.getJobCalls / f.jobs,
            target: `exactly ${f.jobs}`,
            met: f.getJobCalls === f.jobs,
        });
        rows.push({
            item: "3",
            figure: `wall time, default pacer (${f.pacer.ratePerSecond}/s, burst ${f.pacer.burst}, ${f.pacer.maxInFlight} in flight)`,
            ours: fmtMs(f.wallMs),
            peer: `ideal: bucket(${f.pacer.ratePerSecond}/s, ${f.pacer.burst}) admits ${f.jobs} + 1 RTT`,
            peerValue: fmtMs(f.idealMs),
            ratio: f.wallMs / f.idealMs,
            target: "≈ 1×",
            met: f.wallMs / f.idealMs <= 1.05,
        });
        rows.push({
            item: "3",
            figure: `arrivals over Braket's GetJob quota (5/s, burst 25)`,
            ours: String(f.overQuotaArrivals),
            peer: "none",
            peerValue: "0",
            ratio: NaN,
            target: "0",
            met: f.overQuotaArrivals === 0,
        });
    }
    for (const c of r.waiting ?? []) {
        const label = c.finishSeconds >= 3600 ? `${c.finishSeconds / 3600} h` : `${c.finishSeconds / 60} min`;
        const ratio = c.ours.medianCalls / c.fixed.medianCalls;
        rows.push({
            item: "4",
            figure: `GetJob calls, job done after ${label} (+0.5…4.5 s), median of 5`,
            ours: String(c.ours.medianCalls),
            peer: `fixed ${PYTHON_SDK_POLL_SECONDS} s polling`,
            peerValue: String(c.fixed.medianCalls),
            ratio,
            target: "≤ 0.20× (≥ 5× fewer)",
            met: ratio <= 0.2,
        });
        rows.push({
            item: "4",
            figure: `detection delay, ${label}: median (max)`,
            ours: `${(c.ours.medianDelayMs / 1000).toFixed(1)} s (${(c.ours.maxDelayMs / 1000).toFixed(1)} s)`,
            peer: `fixed ${PYTHON_SDK_POLL_SECONDS} s polling`,
            peerValue: `${(c.fixed.medianDelayMs / 1000).toFixed(1)} s (${(c.fixed.maxDelayMs / 1000).toFixed(1)} s)`,
            ratio: c.ours.medianDelayMs / c.fixed.medianDelayMs,
            target: `max ≤ ${DEFAULT_POLLING.maxIntervalSeconds} s`,
            met: c.ours.maxDelayMs <= DEFAULT_POLLING.maxIntervalSeconds * 1000,
        });
    }
    const cs = r.coldStart;
    if (cs) {
        const peer = `require("@pulumi/pulumi") alone`;
        rows.push({
            item: "5",
            figure: `require("pulumi-braket") after @pulumi/pulumi, time (median of ${cs.runs})`,
            ours: fmtMs(cs.braket.medianMs),
            peer,
            peerValue: fmtMs(cs.pulumi.medianMs),
            ratio: cs.braket.medianMs / cs.pulumi.medianMs,
            target: "info",
        });
        rows.push({
            item: "5",
            figure: `… RSS delta`,
            ours: fmtMiB(cs.braket.rssBytes),
            peer,
            peerValue: fmtMiB(cs.pulumi.rssBytes),
            ratio: cs.braket.rssBytes / cs.pulumi.rssBytes,
            target: "info",
        });
        rows.push({
            item: "5",
            figure: `… heap delta (after GC)`,
            ours: fmtMiB(cs.braket.heapBytes),
            peer,
            peerValue: fmtMiB(cs.pulumi.heapBytes),
            ratio: cs.braket.heapBytes / cs.pulumi.heapBytes,
            target: "info",
        });
        rows.push({
            item: "5",
            figure: `… of which @aws-sdk/client-braket (time; heap)`,
            ours: `${fmtMs(cs.awsSdkShare.clientBraketMs)}; ${fmtMiB(cs.awsSdkShare.clientBraketHeapBytes)}`,
            peer: "pulumi-braket after it",
            peerValue: fmtMs(cs.awsSdkShare.braketAfterSdkMs),
            ratio: NaN,
            target: "info",
        });
    }
    return rows;
}

export function renderTable(rows: Row[]): string {
    return markdownTable(
        ["#", "figure", "ours", "peer", "peer value", "ours/peer", "target", "met"],
        rows.map((x) => [
            x.item,
            x.figure,
            x.ours,
            x.peer,
            x.peerValue,
            fmtRatio(x.ratio),
            x.target,
            x.met === undefined ? "–" : x.met ? "yes" : "**no**",
        ]),
    );
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
    const env = new AwsTestEnvironment();
    env.apply({ ...DEFAULT_PACING });
    const want = (i: number) => options.only.size === 0 || options.only.has(i);
    const defaults = pacerOptionsFromEnv({});
    const report: BenchReport = {
        date: new Date().toISOString(),
        machine: machineInfo(),
        options: { latencyMs: options.latencyMs, n: options.n, runs: options.runs, coldRuns: options.coldRuns, only: [...options.only] },
        pacingDefaults: defaults,
        rows: [],
        notes: [],
    };
    try {
        if (want(1)) {
            log(`1. per-lookup overhead: ${options.n} pairs at ${options.latencyMs} ms…`);
            report.lookupOverhead = await lookupOverhead(options.latencyMs, options.n, 50);
            log(`1b. per-lookup overhead: ${options.n} pairs at 0 ms…`);
            report.lookupOverheadNoLatency = await lookupOverhead(0, options.n, 50);
            report.notes.push(
                "Item 1 runs with PULUMI_BRAKET_REQUESTS_PER_SECOND/REQUEST_BURST/MAX_IN_FLIGHT set very high, so the pacer admits every request at once and only its bookkeeping is measured; items 2 (one lookup at a time, never held back by the burst of 25) and 3 use the default pacer.",
            );
        }
        if (want(2)) {
            log(`2. shelling out: ${options.runs} runs each…`);
            report.shellOut = await shellOut(options.latencyMs, options.runs);
            if ("path" in report.shellOut.awsCli) {
                report.notes.push(
                    `Item 2: AWS CLI ${report.shellOut.awsCli.version} run as ${report.shellOut.awsCli.path} (a pyenv shim on PATH is resolved, so the shim's own start-up is not charged to the CLI).`,
                );
            }
        }
        if (want(3)) {
            log(`3. fan-out with the default pacer (takes ~${Math.round((200 - defaults.burst) / defaults.ratePerSecond)} s)…`);
            report.fanOut = await fanOut(options.latencyMs);
        }
        if (want(4)) {
            log(`4. waiting (simulated clock)…`);
            report.waiting = await waiting(options.latencyMs);
            report.notes.push(
                `Item 4: the job finishes 0.5, 1.5, 2.5, 3.5 and 4.5 s after the nominal time (one run each; waitForHybridJob's jitter seeded 1…5); fixed polling is GetJob then sleep ${PYTHON_SDK_POLL_SECONDS} s, as the Braket Python SDK's AwsQuantumJob.result()/download_result() does. Default polling: first interval ${DEFAULT_POLLING.initialIntervalSeconds} s, ×${DEFAULT_POLLING.backoffRate}, cap ${DEFAULT_POLLING.maxIntervalSeconds} s, equal jitter. The pacer is overridden high here (real-time pacing, simulated time).`,
            );
        }
        if (want(5)) {
            log(`5. cold start: ${options.coldRuns} fresh processes…`);
            report.coldStart = await coldStart(options.coldRuns);
        }
    } finally {
        destroyConnections();
        env.restore();
    }
    report.rows = rowsOf(report);
    return report;
}

export function renderReport(r: BenchReport): string {
    const m = r.machine;
    const lines = [
        `pulumi-braket benchmark — ${r.date}`,
        `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform} ${m.release}, Node ${m.node}`,
        `endpoint: local Braket emulator, simulated round trip ${r.options.latencyMs} ms; default pacer ${r.pacingDefaults.ratePerSecond}/s, burst ${r.pacingDefaults.burst}, ${r.pacingDefaults.maxInFlight} in flight`,
        "",
        renderTable(r.rows),
        "",
    ];
    if (r.fanOut) {
        const f = r.fanOut;
        lines.push(
            `3: ${f.lookups} getHybridJob calls → ${f.getJobCalls} GetJob requests (${f.deduplicated} shared); round trip ${fmtMs(f.roundTripMs)}; most arrivals in 1 s: ${f.maxPerSecond}.`,
        );
    }
    if (r.lookupOverhead) {
        const o = r.lookupOverhead;
        lines.push(
            `1: median of per-pair differences (ours − bare): ${fmtMs(o.medianPairDiffMs)} at ${o.latencyMs} ms RTT` +
                (r.lookupOverheadNoLatency ? `, ${fmtMs(r.lookupOverheadNoLatency.medianPairDiffMs)} at 0 ms.` : "."),
        );
    }
    for (const n of r.notes) lines.push(`- ${n}`);
    return lines.join("\n");
}

function parseOptions(argv: string[]): { options: BenchOptions; json: boolean } {
    const { values } = parseArgs({
        args: argv,
        options: {
            "latency-ms": { type: "string" },
            n: { type: "string" },
            runs: { type: "string" },
            "cold-runs": { type: "string" },
            only: { type: "string" },
            json: { type: "boolean" },
            help: { type: "boolean", short: "h" },
        },
        strict: true,
        allowPositionals: false,
    });
    if (values.help) {
        process.stdout.write(
            "Usage: node dist/test/bench/bench.js [--latency-ms 20] [--n 500] [--runs 10] [--cold-runs 7] [--only 1,2,3,4,5] [--json]\n",
        );
        process.exit(0);
    }
    const num = (name: string, raw: string | undefined, fallback: number, min: number) => {
        if (raw === undefined) return fallback;
        const v = Number(raw);
        if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${JSON.stringify(raw)}`);
        return v;
    };
    const only = new Set(
        (values.only ?? "")
            .split(",")
            .filter(Boolean)
            .map((s) => num("only", s, 0, 1)),
    );
    return {
        options: {
            latencyMs: num("latency-ms", values["latency-ms"], 20, 0),
            n: Math.floor(num("n", values.n, 500, 1)),
            runs: Math.floor(num("runs", values.runs, 10, 1)),
            coldRuns: Math.floor(num("cold-runs", values["cold-runs"], 7, 1)),
            only,
        },
        json: values.json === true,
    };
}

if (require.main === module) {
    let parsed: ReturnType<typeof parseOptions>;
    try {
        parsed = parseOptions(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`bench: ${(err as Error).message}\n`);
        process.exit(2);
    }
    const { options, json } = parsed;
    process.chdir(REPO_ROOT);
    runBench(options).then(
        (report) => {
            process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${renderReport(report)}\n`);
        },
        (err) => {
            process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exitCode = 1;
        },
    );
}
