/**
 * `npm run bench`: pulumi-braket measured against its peers, on this machine, against the local
 * Braket endpoint (provider/emulator) with a simulated round-trip latency.
 *
 *   node dist/test/bench/bench.js [--latency-ms 20] [--n 500] [--runs 10] [--cold-runs 7]
 *       [--engine-n 200] [--startup-runs 20] [--preview-runs 5] [--search-runs 15] [--time-limit-s 360]
 *       [--only 1,3,6,A] [--json]
 *
 * "The in-process provider handler" is the invoke handler of the plugin (provider/getHybridJob.ts)
 * called in this process as the plugin calls it (test/support/lookup.ts: marshalled arguments,
 * validation, precedence, sharing, pacing, the AWS SDK client, GetJob, mapping), without the engine.
 *
 *   1. Per-lookup overhead: the in-process provider handler on distinct jobs against a bare
 *      BraketClient.send(GetJob), same process, same endpoint, alternating, after warm-up (pacer
 *      overridden high: see below).
 *   2. Shelling out: `aws braket get-job` (a process) against one lookup by the in-process provider
 *      handler and against `node dist/provider/cli.js get` (a process).
 *   3. Fan-out: 200 distinct jobs each asked for twice at once through the in-process provider
 *      handler, DEFAULT pacer: GetJob calls counted on the endpoint, wall time against a token
 *      bucket at Braket's GetJob quota.
 *   4. Waiting (simulated clock): waitForHybridJob's default polling against fixed 5 s polling.
 *   5. Cold start: require("pulumi-braket") (the SDK generated from the schema) on top of
 *      @pulumi/pulumi, in fresh processes.
 *   6. Finding a job by name: getHybridJob by jobName + mostRecent (SearchJobs, every page, then
 *      GetJob) against getHybridJob by jobArn of the same job, and getHybridJobs of the name, through
 *      the in-process provider handler, for 30 runs of a name (1 page) and 450 (5 pages), each with
 *      and without createdAfter; requests counted by the provider and by the endpoint. Unpaced
 *      (pacer overridden high), and one pair of rows under the DEFAULT pacer: with a fresh bucket
 *      (the burst covers it) and back to back once the burst is spent (the quota's cost).
 *   A. A lookup through the engine and the plugin: a Pulumi program (test/bench/programs/lookups)
 *      under the real engine (test/engine) with the plugin installed from its release tarball, as
 *      the e2e harness does; during `pulumi preview` it makes rounds of braket.getHybridJob (an
 *      invoke: program -> engine -> plugin -> GetJob), the in-process provider handler and a bare
 *      BraketClient.send(GetJob), on distinct jobs, one after another, order rotating, same process.
 *   B. Plugin start-up: exec of bin/pulumi-resource-braket to its port line, and its RSS then
 *      (provider/scripts/measure-startup.mjs), against the same bundle run by node.
 *   C. `pulumi preview` of a one-lookup program, whole (the CLI's wall time), against that of a
 *      program with no lookup and no pulumi-braket, alternating.
 *
 * The whole run is bounded by --time-limit-s: an item that would not fit is skipped, and items 1, A
 * and C stop measuring at the limit (the table says how many they got). The estimate and the limit
 * are printed at the start, the time taken at the end (stderr).
 *
 * The table goes to stdout; with --json, one JSON object goes to stdout instead and nothing else.
 * Progress goes to stderr.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { BraketClient, GetJobCommand } from "@aws-sdk/client-braket";
import * as grpc from "@grpc/grpc-js";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";
import { destroyConnections } from "../../provider/clients";
import { startBraketEmulator, type BraketEmulator, type EmulatorRequestLogEntry } from "../../provider/emulator";
import { mulberry32 } from "../../provider/emulator/faults";
import { parseProviderConfig } from "../../provider/config";
import { getHybridJobs } from "../../provider/getHybridJob";
import { fetchHybridJob, forgetFinishedJobs, requestCounters, resolveLookup, type HybridJobLookup } from "../../provider/hybridJob";
import { searchCounters } from "../../provider/hybridJobSearch";
import { SEARCH_PAGE_SIZE } from "../../provider/jobFilters";
import { GETJOB_BURST, GETJOB_RATE_PER_SECOND, pacerOptionsFromEnv } from "../../provider/pacing";
import { unwrapProperties, wrapProperties } from "../../provider/propertyValues";
import type { GetHybridJobsResult } from "../../provider/types";
import { DEFAULT_POLLING, waitForHybridJob } from "../../provider/wait";
import { copyProject, describeResult, runTracked, startWorld, type E2eWorld, type PulumiStack } from "../e2e/harness";
import { SimulatedClock } from "../support/clock";
import { AwsTestEnvironment, TEST_CREDENTIALS } from "../support/emulator";
import { jobSeries } from "../support/jobSeries";
import { lookUp, PROVIDER_SIGNAL } from "../support/lookup";
import {
    Budget,
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
    PLUGIN_BIN,
    PLUGIN_BUNDLE,
    REGION,
    REPO_ROOT,
    setEnv,
    summarize,
    template,
    timedRun,
    type JobBody,
    type MachineInfo,
    type Summary,
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

/** The items, in the order they run; --only takes any of them (case-insensitive; 1 includes 1b). */
export const ITEMS = ["1", "2", "3", "4", "5", "6", "A", "B", "C"] as const;
export type Item = (typeof ITEMS)[number];

export interface BenchOptions {
    latencyMs: number;
    n: number;
    runs: number;
    coldRuns: number;
    /** Rounds (engine, handler, bare) recorded in item A. */
    engineN: number;
    /** Starts of the plugin measured in item B (each command). */
    startupRuns: number;
    /** Previews of each program measured in item C. */
    previewRuns: number;
    /** Rounds of item 6 per case (each: a lookup by name, one by ARN, a getHybridJobs). */
    searchRuns: number;
    /** The whole run stops measuring (and skips what does not fit) after this many seconds. */
    timeLimitS: number;
    only: Set<Item>;
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
    /** The in-process provider handler. */
    ours: Summary;
    bare: Summary;
    /** Median of (ours - bare) over the pairs. */
    medianPairDiffMs: number;
    getJobCalls: number;
    /** Fewer pairs than asked for: the time limit came first. */
    cutShort: boolean;
}

async function lookupOverhead(latencyMs: number, n: number, warmup: number, budget: Budget): Promise<LookupOverhead> {
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
        const job = await lookUp({ jobArn: arn });
        const ms = msSince(t);
        if (job.jobArn !== arn) throw new Error(`the provider's handler returned ${job.jobArn} for ${arn}`);
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
            if (budget.over()) break;
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
        return {
            latencyMs,
            n: ours.length,
            warmup,
            ours: summarize(ours),
            bare: summarize(peer),
            medianPairDiffMs: median(diffs),
            getJobCalls: emu.stats.byOperation.GetJob ?? 0,
            cutShort: ours.length < n,
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
                const job = await lookUp({ jobArn: arn });
                const ms = msSince(t);
                if (job.jobArn !== arn) throw new Error(`the provider's handler returned ${job.jobArn}`);
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
            const results = await Promise.all([...arns, ...again].map((jobArn) => lookUp({ jobArn }).then((j) => [jobArn, j] as const)));
            const wallMs = msSince(t);
            for (const [arn, job] of results) {
                if (job.jobArn !== arn) throw new Error(`the provider's handler returned ${job.jobArn} for ${arn}`);
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
    pulumi: { medianMs: number; rssBytes: number; heapBytes: number; modules: number; awsSdkModules: number };
    /** require("pulumi-braket"): the generated SDK (its modules load lazily, on first use). */
    braket: { medianMs: number; rssBytes: number; heapBytes: number; modules: number; awsSdkModules: number };
    /** Then the first use of getHybridJob and HybridJobCompletion, which loads their modules. */
    firstUse: { medianMs: number; heapBytes: number; modules: number; awsSdkModules: number };
}

/** Steps: module ids to require, or "@use" (touch pulumi-braket's lazily loaded members). */
const COLD_SCRIPT = `
const { performance } = require("node:perf_hooks");
const steps = process.argv.slice(1);
const out = [];
const modules = () => Object.keys(require.cache);
const isAwsSdk = (f) => /[\\\\/]@aws-sdk[\\\\/]/.test(f);
global.gc();
let mem = process.memoryUsage();
let seen = modules();
for (const id of steps) {
  const t = performance.now();
  if (id === "@use") {
    const b = require("pulumi-braket");
    if (typeof b.getHybridJob !== "function" || typeof b.HybridJobCompletion !== "function") throw new Error("not the SDK");
  } else {
    require(id);
  }
  const ms = performance.now() - t;
  global.gc();
  const now = process.memoryUsage();
  const all = modules();
  const added = all.filter((f) => !seen.includes(f));
  out.push({ id, ms, rss: now.rss - mem.rss, heap: now.heapUsed - mem.heapUsed, modules: added.length, awsSdkModules: added.filter(isAwsSdk).length });
  mem = now;
  seen = all;
}
process.stdout.write(JSON.stringify(out));
`;

interface ColdStep {
    id: string;
    ms: number;
    rss: number;
    heap: number;
    modules: number;
    awsSdkModules: number;
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
    const steps = ["@pulumi/pulumi", "pulumi-braket", "@use"];
    const a: ColdStep[][] = [];
    await coldRun(steps); // warms the OS file cache
    for (let i = 0; i < runs; i++) a.push(await coldRun(steps));
    const col = (i: number, k: "ms" | "rss" | "heap" | "modules" | "awsSdkModules") => median(a.map((r) => r[i][k]));
    return {
        runs,
        pulumi: {
            medianMs: col(0, "ms"),
            rssBytes: col(0, "rss"),
            heapBytes: col(0, "heap"),
            modules: col(0, "modules"),
            awsSdkModules: col(0, "awsSdkModules"),
        },
        braket: {
            medianMs: col(1, "ms"),
            rssBytes: col(1, "rss"),
            heapBytes: col(1, "heap"),
            modules: col(1, "modules"),
            awsSdkModules: col(1, "awsSdkModules"),
        },
        firstUse: { medianMs: col(2, "ms"), heapBytes: col(2, "heap"), modules: col(2, "modules"), awsSdkModules: col(2, "awsSdkModules") },
    };
}

// ---------------------------------------------------------------------------------------------
// 6. Finding a job by name (SearchJobs, then GetJob) against reading it by ARN

/** Runs of one job name seeded in a region of their own: 1 page, and 5 pages of SearchJobs. */
const NAME_SERIES_RUNS = [30, 450] as const;
/** The newest run of each series (the job a name lookup with mostRecent finds). */
const NAME_SERIES_NEWEST = "2026-11-30T02:00:00.000Z";
/** createdAfter of the narrowed cases: the newest run less 3.5 days, so 4 runs (one a day) are in the window. */
const NAME_WINDOW_MS = 3.5 * 24 * 3_600_000;
const NAME_SERIES_JOB = "bench-nightly-train";
/** Lookups by ARN made to spend the pacer's burst before item 6's paced rows (at most). */
const BURST_DRAIN_LIMIT = 500;

/** The job list as the invoke getHybridJobs returns it, called as lookUp calls getHybridJob (test/support/lookup.ts). */
async function listUp(args: Record<string, unknown>): Promise<GetHybridJobsResult> {
    const result = await getHybridJobs(unwrapProperties(wrapProperties(args, [])), parseProviderConfig({}), PROVIDER_SIGNAL);
    return result.values as unknown as GetHybridJobsResult;
}

/** Requests one call made: as the provider counted them, and as the endpoint saw them. */
interface CallRequests {
    searchPages: number;
    getJobs: number;
    endpointSearchJobs: number;
    endpointGetJob: number;
}

/** One kind of call in item 6: its wall times, and the requests per call (the same for every call, or `varies`). */
export interface SearchCallStats {
    time: Summary;
    allMs: number[];
    /** SearchJobs pages and GetJob requests per call (the provider's counters). */
    searchPages: number;
    getJobs: number;
    /** Every call made the same requests, and the endpoint saw exactly what the provider counted. */
    consistent: boolean;
}

export interface NameLookupCase {
    /** Runs of the name in the region (the region holds nothing else). */
    runs: number;
    /** createdAfter sent (SearchJobs filter createdAt GT), if the case is narrowed. */
    createdAfter?: string;
    /** Jobs SearchJobs returns: all runs, or those in the window. */
    inWindow: number;
    /** ceil(inWindow / 100), at least 1. */
    expectedPages: number;
    rounds: number;
    cutShort: boolean;
    /** getHybridJob({ jobName, mostRecent: true, region }). */
    byName: SearchCallStats;
    /** getHybridJob({ jobArn }) of the job the name lookup finds. */
    byArn: SearchCallStats;
    /** getHybridJobs({ jobName, region }) (default maxResults 100). */
    list: SearchCallStats & { matchCount: number; returned: number; truncated: boolean };
}

/** A series of lookups under the default pacer: the first with a fresh bucket, then back to back once the burst is spent. */
export interface PacedSeries {
    requestsPerLookup: number;
    /** Each lookup with a fresh pacer (a full bucket), alternating with the other kind. */
    freshMs: number[];
    /** Lookups by ARN it took to spend the burst (until one was held back ≥ 100 ms). */
    drainLookups: number;
    /** Then this many lookups back to back. */
    steadyMs: number[];
    /** requestsPerLookup / rate: what the bucket allows per lookup once empty. */
    idealSteadyMs: number;
}

export interface PacedNameLookup {
    runs: number;
    pacer: { ratePerSecond: number; burst: number; maxInFlight: number };
    byName: PacedSeries;
    byArn: PacedSeries;
}

export interface NameLookups {
    latencyMs: number;
    warmup: number;
    cases: NameLookupCase[];
    paced?: PacedNameLookup;
}

function callStats(ms: number[], requests: CallRequests[]): SearchCallStats {
    const first = requests[0] ?? { searchPages: NaN, getJobs: NaN, endpointSearchJobs: NaN, endpointGetJob: NaN };
    const consistent = requests.every(
        (r) =>
            r.searchPages === first.searchPages &&
            r.getJobs === first.getJobs &&
            r.endpointSearchJobs === r.searchPages &&
            r.endpointGetJob === r.getJobs,
    );
    return { time: summarize(ms), allMs: ms, searchPages: first.searchPages, getJobs: first.getJobs, consistent };
}

/** Runs `call` once, timed, with the requests it made (counted outside the timed part). */
async function countedCall<T>(emu: BraketEmulator, call: () => Promise<T>): Promise<{ ms: number; value: T; requests: CallRequests }> {
    // A terminal job's read is reused by identical lookups in one process (hybridJob.ts); every
    // call here is the first of its process, as in a fresh deployment. (The newest run is RUNNING anyway.)
    forgetFinishedJobs();
    const before = { ...searchCounters, ...requestCounters, ops: emu.stats.byOperation };
    const t = process.hrtime.bigint();
    const value = await call();
    const ms = msSince(t);
    const ops = emu.stats.byOperation;
    return {
        ms,
        value,
        requests: {
            searchPages: searchCounters.pages - before.pages,
            getJobs: requestCounters.getJob - before.getJob,
            endpointSearchJobs: (ops.SearchJobs ?? 0) - (before.ops.SearchJobs ?? 0),
            endpointGetJob: (ops.GetJob ?? 0) - (before.ops.GetJob ?? 0),
        },
    };
}

/** The runs of the bench's job name, oldest first, the newest RUNNING (so no read of it is reused), one day apart. */
function nameSeries(runs: number): Record<string, unknown>[] {
    const first = new Date(Date.parse(NAME_SERIES_NEWEST) - (runs - 1) * 24 * 3_600_000).toISOString();
    const statuses = [...Array<string>(runs - 1).fill("COMPLETED"), "RUNNING"];
    return jobSeries({ name: NAME_SERIES_JOB, statuses, firstCreatedAt: first, region: REGION });
}

async function nameLookupCase(
    emu: BraketEmulator,
    series: Record<string, unknown>[],
    narrowed: boolean,
    rounds: number,
    warmup: number,
    budget: Budget,
): Promise<NameLookupCase> {
    const newest = series[series.length - 1];
    const newestArn = newest.jobArn as string;
    const createdAfter = narrowed ? new Date(Date.parse(newest.createdAt as string) - NAME_WINDOW_MS).toISOString() : undefined;
    const inWindow = createdAfter
        ? series.filter((j) => Date.parse(j.createdAt as string) > Date.parse(createdAfter)).length
        : series.length;
    const window = createdAfter ? { createdAfter } : {};
    const kinds: Record<"byName" | "byArn" | "list", () => Promise<unknown>> = {
        byName: async () => {
            const job = await lookUp({ jobName: NAME_SERIES_JOB, mostRecent: true, region: REGION, ...window });
            if (job.jobArn !== newestArn) throw new Error(`the name lookup found ${job.jobArn}, not the newest run ${newestArn}`);
        },
        byArn: async () => {
            const job = await lookUp({ jobArn: newestArn });
            if (job.jobArn !== newestArn) throw new Error(`the ARN lookup returned ${job.jobArn} for ${newestArn}`);
        },
        list: async () => {
            const list = await listUp({ jobName: NAME_SERIES_JOB, region: REGION, ...window });
            if (list.matchCount !== inWindow || list.jobArns[0] !== newestArn) {
                throw new Error(
                    `getHybridJobs matched ${list.matchCount} (first ${list.jobArns[0]}), expected ${inWindow} (first ${newestArn})`,
                );
            }
            return list;
        },
    };
    const order = ["byName", "byArn", "list"] as const;
    const ms: Record<(typeof order)[number], number[]> = { byName: [], byArn: [], list: [] };
    const requests: Record<(typeof order)[number], CallRequests[]> = { byName: [], byArn: [], list: [] };
    let lastList: GetHybridJobsResult | undefined;
    let recorded = 0;
    for (let i = 0; i < rounds + warmup; i++) {
        if (i >= warmup && budget.over()) break;
        // The order rotates each round, so that no kind always follows another.
        for (let k = 0; k < order.length; k++) {
            const kind = order[(i + k) % order.length];
            const run = await countedCall<unknown>(emu, kinds[kind]);
            if (kind === "list") lastList = run.value as GetHybridJobsResult;
            if (i >= warmup) {
                ms[kind].push(run.ms);
                requests[kind].push(run.requests);
            }
        }
        if (i >= warmup) recorded++;
    }
    return {
        runs: series.length,
        createdAfter,
        inWindow,
        expectedPages: Math.max(1, Math.ceil(inWindow / SEARCH_PAGE_SIZE)),
        rounds: recorded,
        cutShort: recorded < rounds,
        byName: callStats(ms.byName, requests.byName),
        byArn: callStats(ms.byArn, requests.byArn),
        list: {
            ...callStats(ms.list, requests.list),
            matchCount: lastList?.matchCount ?? NaN,
            returned: lastList?.jobs.length ?? NaN,
            truncated: lastList?.truncated ?? false,
        },
    };
}

/**
 * Under the default pacer (one bucket per endpoint and region, shared by SearchJobs and GetJob):
 * each kind first with a fresh bucket (`fresh` times, alternating), then the burst spent by ARN
 * lookups one after another until one is held back, then `steady` lookups back to back.
 */
async function pacedNameLookups(series: Record<string, unknown>[], fresh: number): Promise<PacedNameLookup> {
    const newestArn = series[series.length - 1].jobArn as string;
    const byName = () => lookUp({ jobName: NAME_SERIES_JOB, mostRecent: true, region: REGION });
    const byArn = () => lookUp({ jobArn: newestArn });
    const pacer = pacerOptionsFromEnv();
    const timed = async (call: () => Promise<unknown>) => {
        forgetFinishedJobs();
        const t = process.hrtime.bigint();
        await call();
        return msSince(t);
    };
    const freshName: number[] = [];
    const freshArn: number[] = [];
    for (let i = 0; i < fresh; i++) {
        destroyConnections(); // a new connection, a new pacer: a full bucket
        freshName.push(await timed(byName));
        destroyConnections();
        freshArn.push(await timed(byArn));
    }
    const drain = async () => {
        for (let n = 1; n <= BURST_DRAIN_LIMIT; n++) {
            if ((await timed(byArn)) >= 100) return n;
        }
        throw new Error(`${BURST_DRAIN_LIMIT} lookups by ARN one after another were never held back: is the default pacer in force?`);
    };
    const pacedSeries = async (
        call: () => Promise<unknown>,
        count: number,
        requestsPerLookup: number,
        freshMs: number[],
    ): Promise<PacedSeries> => {
        destroyConnections();
        const drainLookups = await drain();
        const steadyMs: number[] = [];
        for (let i = 0; i < count; i++) steadyMs.push(await timed(call));
        return { requestsPerLookup, freshMs, drainLookups, steadyMs, idealSteadyMs: (requestsPerLookup / pacer.ratePerSecond) * 1000 };
    };
    const namePages = Math.max(1, Math.ceil(series.length / SEARCH_PAGE_SIZE));
    return {
        runs: series.length,
        pacer: { ratePerSecond: pacer.ratePerSecond, burst: pacer.burst, maxInFlight: pacer.maxInFlight },
        byName: await pacedSeries(byName, 5, namePages + 1, freshName),
        byArn: await pacedSeries(byArn, 10, 1, freshArn),
    };
}

async function nameLookups(latencyMs: number, rounds: number, budget: Budget): Promise<NameLookups> {
    const warmup = 2;
    const cases: NameLookupCase[] = [];
    let paced: PacedNameLookup | undefined;
    for (const runs of NAME_SERIES_RUNS) {
        const series = nameSeries(runs);
        const emu = await startBraketEmulator({ jobs: series, latencyMs, logLimit: 0 });
        const restore = setEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, ...UNPACED });
        destroyConnections();
        try {
            for (const narrowed of [false, true]) {
                cases.push(await nameLookupCase(emu, series, narrowed, rounds, warmup, budget));
                log(
                    `  ${runs} runs${narrowed ? ", createdAfter" : ""}: by name ${fmtMs(cases[cases.length - 1].byName.time.medianMs)}, by ARN ${fmtMs(cases[cases.length - 1].byArn.time.medianMs)}`,
                );
            }
            if (runs === NAME_SERIES_RUNS[NAME_SERIES_RUNS.length - 1] && !budget.over()) {
                setEnv(DEFAULT_PACING);
                paced = await pacedNameLookups(series, 5);
            }
        } finally {
            destroyConnections();
            restore();
            await emu.close();
        }
    }
    return { latencyMs, warmup, cases, paced };
}

// ---------------------------------------------------------------------------------------------
// A and C: through the real engine, with the plugin installed from its tarball

/** The benchmark's Pulumi program (plain JavaScript, so no compiler runs before it; see its header). */
const LOOKUPS_PROGRAM = path.join(REPO_ROOT, "test", "bench", "programs", "lookups");
/** The provider's invoke handler as the tests call it, compiled: item A's program loads it. */
const HANDLER_MODULE = path.join(REPO_ROOT, "dist", "test", "support", "lookup.js");
/** Rounds of item A that are not recorded (the first starts the plugin; then the connections warm up). */
const ENGINE_WARMUP_ROUNDS = 20;

/** What the program is told to do (test/bench/programs/lookups/index.js). */
interface ProgramPlan {
    mode: "interleaved" | "one" | "empty";
    arns?: string[];
    warmup?: number;
    handlerModule?: string;
    region?: string;
    /** Epoch ms after which the program stops starting rounds (item A). */
    deadline?: number;
}

/** What the program writes: each call's wall time in ms, by route. */
interface ProgramOutput {
    mode: string;
    /** The program's process.uptime() when its main module started, in ms. */
    programStartMs: number;
    engine: number[];
    handler: number[];
    bare: number[];
    /** The route that went first in each recorded round. */
    order: string[];
    rounds: number;
    cutShort: boolean;
}

interface EngineBench {
    world: E2eWorld;
    emulator: BraketEmulator;
    stack: PulumiStack;
    pulumiVersion: string;
    /** `count` jobs of the emulator not used yet. */
    take(count: number): string[];
    /** `pulumi preview` of the program with this plan: the CLI's wall time and what the program wrote. */
    preview(plan: ProgramPlan, timeoutMs: number): Promise<{ wallMs: number; out: ProgramOutput }>;
    close(): Promise<void>;
}

/**
 * The harness's world (test/e2e/harness.ts: the engine from test/engine/env.sh, the plugin installed
 * from its release tarball into PULUMI_HOME, a file backend, fake credentials, none of the
 * machine's AWS configuration) and one stack of the benchmark's program. The lookups go to an
 * emulator of this bench's own, with the simulated latency of item 1 (the world's answers at once).
 */
async function startEngineBench(latencyMs: number, jobCount: number, budget: Budget): Promise<EngineBench> {
    const world = await startWorld("bench", []);
    const jobs = distinctJobs(jobCount, "bench-engine");
    let emulator: BraketEmulator | undefined;
    try {
        emulator = await startBraketEmulator({ jobs, latencyMs, logLimit: 0 });
        const emu = emulator;
        const project = copyProject(LOOKUPS_PROGRAM, world.tmp, "lookups");
        const stack = world.stack(project, `bench-${process.pid}`);
        await stack.init();
        const version = await runTracked("pulumi", ["version"], { cwd: project, env: world.env, timeoutMs: 30_000 });
        let next = 0;
        let files = 0;
        return {
            world,
            emulator: emu,
            stack,
            pulumiVersion: version.stdout.trim(),
            take(count) {
                if (next + count > jobs.length) throw new Error(`the bench's emulator has only ${jobs.length} jobs`);
                const arns = jobs.slice(next, next + count).map((j) => j.jobArn);
                next += count;
                return arns;
            },
            async preview(plan, timeoutMs) {
                const n = ++files;
                const planFile = path.join(world.tmp, `plan-${n}.json`);
                const outFile = path.join(world.tmp, `out-${n}.json`);
                writeFileSync(planFile, JSON.stringify(plan));
                const r = await stack.pulumi(["preview"], {
                    timeoutMs: budget.limit(timeoutMs),
                    env: { AWS_ENDPOINT_URL_BRAKET: emu.endpoint, ...UNPACED, BRAKET_BENCH_PLAN: planFile, BRAKET_BENCH_OUT: outFile },
                });
                if (r.code !== 0 || r.killed) throw new Error(`pulumi preview (${plan.mode}) failed: ${describeResult(r)}`);
                if (r.leftovers.length > 0)
                    throw new Error(`pulumi preview (${plan.mode}) left processes behind: ${r.leftovers.join("; ")}`);
                return { wallMs: r.endedAt - r.startedAt, out: JSON.parse(readFileSync(outFile, "utf8")) as ProgramOutput };
            },
            async close() {
                try {
                    await stack.remove();
                } finally {
                    await emu.close();
                    await world.close();
                }
            },
        };
    } catch (err) {
        await emulator?.close();
        await world.close();
        throw err;
    }
}

// A. A lookup through the engine and the plugin

export interface EngineLookups {
    latencyMs: number;
    /** Recorded rounds: one lookup by each route per round. */
    rounds: number;
    warmup: number;
    cutShort: boolean;
    /** braket.getHybridJob in the program: the engine's invoke, the plugin's handler, GetJob. */
    engine: Summary;
    /** The provider's invoke handler loaded into the program's process (test/support/lookup.ts). */
    handler: Summary;
    /** BraketClient.send(GetJob) in the program's process. */
    bare: Summary;
    /** Medians (and p95) of the per-round differences. */
    engineMinusBare: { medianMs: number; p95Ms: number };
    handlerMinusBare: { medianMs: number; p95Ms: number };
    engineMinusHandler: { medianMs: number; p95Ms: number };
    /** Rounds in which each route went first (the order rotates). */
    firstInRound: Record<string, number>;
    getJobCalls: number;
    expectedGetJobCalls: number;
    /** The wall time of that `pulumi preview`, and the program's process.uptime() at its start. */
    previewWallMs: number;
    programStartMs: number;
}

async function engineLookups(bench: EngineBench, latencyMs: number, rounds: number, budget: Budget): Promise<EngineLookups> {
    const warmup = ENGINE_WARMUP_ROUNDS;
    const arns = bench.take(3 * (rounds + warmup));
    bench.emulator.resetStats();
    const perLookupMs = latencyMs + 5;
    const { wallMs, out } = await bench.preview(
        {
            mode: "interleaved",
            arns,
            warmup,
            handlerModule: HANDLER_MODULE,
            region: REGION,
            // Leave the rest of the run a little time: the preview itself has to finish too.
            deadline: budget.deadline - 20_000,
        },
        120_000 + 3 * (rounds + warmup) * perLookupMs * 4,
    );
    const pairs = (a: number[], b: number[]) => {
        const d = a.map((v, i) => v - b[i]);
        return { medianMs: median(d), p95Ms: percentile(d, 95) };
    };
    const firstInRound: Record<string, number> = {};
    for (const k of out.order) firstInRound[k] = (firstInRound[k] ?? 0) + 1;
    return {
        latencyMs,
        rounds: out.rounds,
        warmup,
        cutShort: out.cutShort,
        engine: summarize(out.engine),
        handler: summarize(out.handler),
        bare: summarize(out.bare),
        engineMinusBare: pairs(out.engine, out.bare),
        handlerMinusBare: pairs(out.handler, out.bare),
        engineMinusHandler: pairs(out.engine, out.handler),
        firstInRound,
        getJobCalls: bench.emulator.stats.byOperation.GetJob ?? 0,
        expectedGetJobCalls: 3 * (out.rounds + warmup),
        previewWallMs: wallMs,
        programStartMs: out.programStartMs,
    };
}

// A′. The plugin alone: its gRPC Invoke called from this process, without the engine

export interface DirectInvoke {
    latencyMs: number;
    rounds: number;
    warmup: number;
    /** ResourceProvider/Invoke on bin/pulumi-resource-braket, from a gRPC client in this process. */
    invoke: Summary;
    bare: Summary;
    /** Median and p95 of the per-round differences (invoke − bare). */
    invokeMinusBare: { medianMs: number; p95Ms: number };
    /** The plugin's CPU time (all threads) per recorded lookup: GetJob, signing, mapping, marshalling. */
    pluginCpuMsPerLookup: number;
    cutShort: boolean;
}

/** CPU time of a process's threads so far, in ms (Linux /proc; NaN elsewhere). */
function processCpuMs(pid: number): number {
    try {
        let ns = 0;
        for (const task of readdirSync(`/proc/${pid}/task`)) {
            ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
        }
        return ns / 1e6;
    } catch {
        return NaN;
    }
}

async function directInvoke(latencyMs: number, rounds: number, budget: Budget): Promise<DirectInvoke> {
    const warmup = ENGINE_WARMUP_ROUNDS;
    const jobs = distinctJobs(2 * (rounds + warmup), "bench-direct");
    const emu = await startBraketEmulator({ jobs, latencyMs, logLimit: 0 });
    const restore = setEnv({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, ...UNPACED });
    destroyConnections();
    // As the engine starts it: the engine's address as the last argument (nothing listens there;
    // the plugin only sends its log to it), the environment of the deployment.
    const child = spawn(PLUGIN_BIN, ["127.0.0.1:1"], {
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const bare = new BraketClient({ region: REGION });
    let client: providerRpc.ResourceProviderClient | undefined;
    try {
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => reject(new Error(`the plugin printed no port in 15 s: ${stderr}`)), 15_000);
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString();
                if (out.includes("\n")) {
                    clearTimeout(timer);
                    resolve(out.split("\n")[0].trim());
                }
            });
            child.once("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port: ${stderr}`)));
        });
        const rpc = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        client = rpc;
        const unary = <Q, A>(method: (req: Q, cb: (err: grpc.ServiceError | null, res: A) => void) => unknown, req: Q) =>
            new Promise<A>((resolve, reject) => method.call(rpc, req, (err, res) => (err ? reject(err) : resolve(res))));
        await unary(rpc.configure, new providerProto.ConfigureRequest().setArgs(structProto.Struct.fromJavaScript({})));
        let next = 0;
        const invokeOnce = async () => {
            const arn = jobs[next++].jobArn;
            const t = process.hrtime.bigint();
            const res = await unary<providerProto.InvokeRequest, providerProto.InvokeResponse>(
                rpc.invoke,
                new providerProto.InvokeRequest()
                    .setTok("braket:index:getHybridJob")
                    .setArgs(structProto.Struct.fromJavaScript({ jobArn: arn })),
            );
            const ms = msSince(t);
            const got = res.getReturn()?.toJavaScript().jobArn;
            if (got !== arn) throw new Error(`the plugin's Invoke returned ${String(got)} for ${arn}`);
            return ms;
        };
        const bareOnce = async () => {
            const arn = jobs[next++].jobArn;
            const t = process.hrtime.bigint();
            const out = await bare.send(new GetJobCommand({ jobArn: arn }));
            const ms = msSince(t);
            if (out.jobArn !== arn) throw new Error(`GetJob returned ${out.jobArn} for ${arn}`);
            return ms;
        };
        const inv: number[] = [];
        const peer: number[] = [];
        let cpuStart = NaN;
        for (let i = 0; i < rounds + warmup; i++) {
            if (i >= warmup && budget.over()) break;
            if (i === warmup) cpuStart = processCpuMs(child.pid ?? -1);
            let a: number;
            let b: number;
            if (i % 2 === 0) {
                a = await invokeOnce();
                b = await bareOnce();
            } else {
                b = await bareOnce();
                a = await invokeOnce();
            }
            if (i >= warmup) {
                inv.push(a);
                peer.push(b);
            }
        }
        const cpu = processCpuMs(child.pid ?? -1) - cpuStart;
        const d = inv.map((v, i) => v - peer[i]);
        return {
            latencyMs,
            rounds: inv.length,
            warmup,
            invoke: summarize(inv),
            bare: summarize(peer),
            invokeMinusBare: { medianMs: median(d), p95Ms: percentile(d, 95) },
            pluginCpuMsPerLookup: cpu / inv.length,
            cutShort: inv.length < rounds,
        };
    } finally {
        client?.close();
        bare.destroy();
        // The plugin exits on SIGINT once its calls have answered (as when the engine ends it).
        child.kill("SIGINT");
        const killer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        await exited;
        clearTimeout(killer);
        destroyConnections();
        restore();
        await emu.close();
    }
}

// B. Plugin start-up

interface Spread {
    min: number;
    median: number;
    max: number;
}

export interface StartupStats {
    command: string[];
    runs: number;
    timeToPortMs: Spread;
    cpuMs: Spread;
    rssMiB: Spread;
    stderr: string[];
}

export interface PluginStartup {
    runs: number;
    /** bin/pulumi-resource-braket, the single executable application the tarball ships. */
    sea: StartupStats;
    /** The same bundle (dist/plugin/pulumi-resource-braket.js) run by this node. */
    bundle: StartupStats | { skipped: string };
}

/** provider/scripts/measure-startup.mjs on one command: exec to the port line, RSS and CPU time then. */
async function measureStartup(command: string[], runs: number, budget: Budget): Promise<StartupStats> {
    const script = path.join(REPO_ROOT, "provider", "scripts", "measure-startup.mjs");
    const run = await timedRun(
        process.execPath,
        [script, "--runs", String(runs), "--json", "--", ...command],
        process.env,
        budget.limit(30_000 + runs * 5_000),
    );
    if (run.code !== 0) throw new Error(`measure-startup.mjs ${command.join(" ")} exited ${run.code}: ${run.stderr.slice(0, 2000)}`);
    const line = run.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(line) as StartupStats;
}

async function pluginStartup(runs: number, budget: Budget): Promise<PluginStartup> {
    // The engine's address is the plugin's last argument; nothing listens on port 1, and the
    // plugin prints its port before it talks to the engine.
    const sea = await measureStartup([PLUGIN_BIN, "127.0.0.1:1"], runs, budget);
    const bundle: PluginStartup["bundle"] = existsSync(PLUGIN_BUNDLE)
        ? await measureStartup([process.execPath, PLUGIN_BUNDLE, "127.0.0.1:1"], runs, budget)
        : { skipped: `no ${path.relative(REPO_ROOT, PLUGIN_BUNDLE)} (npm run build:plugin writes it)` };
    return { runs, sea, bundle };
}

// C. A whole `pulumi preview`

export interface PreviewWhole {
    runs: number;
    latencyMs: number;
    /** The program with one braket.getHybridJob; `lookup*`: that call's time as the program saw it. */
    one: { medianMs: number; allMs: number[]; lookupMedianMs: number; lookupAllMs: number[] };
    /** The program with no lookup, that does not load pulumi-braket. */
    empty: { medianMs: number; allMs: number[] };
    cutShort: boolean;
}

async function previewWhole(bench: EngineBench, latencyMs: number, runs: number, budget: Budget): Promise<PreviewWhole> {
    const one: number[] = [];
    const lookup: number[] = [];
    const empty: number[] = [];
    let cutShort = false;
    const runOne = async (record: boolean) => {
        const { wallMs, out } = await bench.preview({ mode: "one", arns: bench.take(1) }, 120_000);
        if (record) {
            one.push(wallMs);
            lookup.push(out.engine[0]);
        }
    };
    const runEmpty = async (record: boolean) => {
        const { wallMs } = await bench.preview({ mode: "empty" }, 120_000);
        if (record) empty.push(wallMs);
    };
    // Unmeasured: the OS caches, and the language host's first start.
    await runOne(false);
    await runEmpty(false);
    for (let i = 0; i < runs; i++) {
        if (budget.over()) {
            cutShort = true;
            break;
        }
        // Alternate which goes first.
        if (i % 2 === 0) {
            await runOne(true);
            await runEmpty(true);
        } else {
            await runEmpty(true);
            await runOne(true);
        }
    }
    return {
        runs: one.length,
        latencyMs,
        one: { medianMs: median(one), allMs: one, lookupMedianMs: median(lookup), lookupAllMs: lookup },
        empty: { medianMs: median(empty), allMs: empty },
        cutShort,
    };
}

// ---------------------------------------------------------------------------------------------

export interface BenchReport {
    date: string;
    machine: MachineInfo;
    options: {
        latencyMs: number;
        n: number;
        runs: number;
        coldRuns: number;
        engineN: number;
        startupRuns: number;
        previewRuns: number;
        searchRuns: number;
        timeLimitS: number;
        only: string[];
    };
    pacingDefaults: { ratePerSecond: number; burst: number; maxInFlight: number };
    /** `pulumi version` of the engine items A and C ran under. */
    engine?: string;
    lookupOverhead?: LookupOverhead;
    lookupOverheadNoLatency?: LookupOverhead;
    shellOut?: ShellOut;
    fanOut?: FanOut;
    waiting?: WaitingCase[];
    coldStart?: ColdStart;
    nameLookups?: NameLookups;
    engineLookups?: EngineLookups;
    /** Item A's breakdown: the plugin's Invoke without the engine. */
    directInvoke?: DirectInvoke;
    pluginStartup?: PluginStartup;
    previewWhole?: PreviewWhole;
    rows: Row[];
    notes: string[];
    /** Items skipped (time limit) or failed, with why. */
    problems: string[];
    /** Seconds each item took (the engine's set-up counts to the first of A and C), and in all. */
    seconds: Record<string, number>;
    /** os.loadavg() at the end (the start's is in `machine`). */
    loadAverageAtEnd: number[];
}

const HANDLER = "in-process provider handler";
const BARE = "bare BraketClient.send(GetJob)";
const signedMs = (ms: number) => (ms >= 0 ? `+${fmtMs(ms)}` : `−${fmtMs(-ms)}`);

function rowsOf(r: BenchReport): Row[] {
    const rows: Row[] = [];
    const o = r.lookupOverhead;
    if (o) {
        const ratioMed = o.ours.medianMs / o.bare.medianMs;
        const ratioP95 = o.ours.p95Ms / o.bare.p95Ms;
        rows.push({
            item: "1",
            figure: `${HANDLER}, median, ${o.latencyMs} ms RTT, N=${o.n}${o.cutShort ? " (cut short)" : ""}`,
            ours: fmtMs(o.ours.medianMs),
            peer: BARE,
            peerValue: fmtMs(o.bare.medianMs),
            ratio: ratioMed,
            target: "≤ 1.15×",
            met: ratioMed <= 1.15,
        });
        rows.push({
            item: "1",
            figure: `${HANDLER}, p95, ${o.latencyMs} ms RTT, N=${o.n}`,
            ours: fmtMs(o.ours.p95Ms),
            peer: BARE,
            peerValue: fmtMs(o.bare.p95Ms),
            ratio: ratioP95,
            target: "≤ 1.15×",
            met: ratioP95 <= 1.15,
        });
    }
    const z = r.lookupOverheadNoLatency;
    if (z) {
        rows.push({
            item: "1b",
            figure: `${HANDLER}, median, 0 ms RTT (pure CPU cost), N=${z.n}${z.cutShort ? " (cut short)" : ""}`,
            ours: fmtMs(z.ours.medianMs),
            peer: BARE,
            peerValue: fmtMs(z.bare.medianMs),
            ratio: z.ours.medianMs / z.bare.medianMs,
            target: "info",
        });
        rows.push({
            item: "1b",
            figure: `${HANDLER}, p95, 0 ms RTT (pure CPU cost), N=${z.n}`,
            ours: fmtMs(z.ours.p95Ms),
            peer: BARE,
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
                figure: `one lookup, ${HANDLER} (median of ${s.runs})`,
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
            figure: `GetJob calls, ${f.jobs} jobs × 2 concurrent asks (${HANDLER})`,
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
            figure: `require("pulumi-braket") (generated SDK) after @pulumi/pulumi, time (median of ${cs.runs})`,
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
            figure: `… modules loaded (of them @aws-sdk/*)`,
            ours: `${cs.braket.modules} (${cs.braket.awsSdkModules})`,
            peer,
            peerValue: `${cs.pulumi.modules} (${cs.pulumi.awsSdkModules})`,
            ratio: cs.braket.modules / cs.pulumi.modules,
            target: "info",
        });
        rows.push({
            item: "5",
            figure: `… then first use of getHybridJob, HybridJobCompletion (lazy modules): time; heap; modules`,
            ours: `${fmtMs(cs.firstUse.medianMs)}; ${fmtMiB(cs.firstUse.heapBytes)}; ${cs.firstUse.modules} (${cs.firstUse.awsSdkModules})`,
            peer: `require("pulumi-braket")`,
            peerValue: fmtMs(cs.braket.medianMs),
            ratio: NaN,
            target: "info",
        });
    }
    const nl = r.nameLookups;
    if (nl) {
        const requests = (x: { searchPages: number; getJobs: number }) => `${x.searchPages} + ${x.getJobs}`;
        const byArnPeer = "by jobArn, same job, same rounds";
        for (const c of nl.cases) {
            const pages = (n: number) => `${n} page${n === 1 ? "" : "s"}`;
            const label = c.createdAfter
                ? `${c.runs} runs, createdAfter newest − 3.5 d (${c.inWindow} jobs, ${pages(c.expectedPages)})`
                : `${c.runs} runs (${pages(c.expectedPages)})`;
            const cut = c.cutShort ? " (cut short)" : "";
            const arnOk = c.byArn.consistent && c.byArn.searchPages === 0 && c.byArn.getJobs === 1;
            rows.push({
                item: "6",
                figure: `by jobName + mostRecent, ${label}, unpaced: median of ${c.rounds}${cut}; requests`,
                ours: `${fmtMs(c.byName.time.medianMs)}; ${requests(c.byName)}`,
                peer: byArnPeer,
                peerValue: `${fmtMs(c.byArn.time.medianMs)}; ${requests(c.byArn)}`,
                ratio: c.byName.time.medianMs / c.byArn.time.medianMs,
                target: `requests ${c.expectedPages} + 1`,
                met: arnOk && c.byName.consistent && c.byName.searchPages === c.expectedPages && c.byName.getJobs === 1,
            });
            rows.push({
                item: "6",
                figure: `… getHybridJobs of that name (${c.list.matchCount} matches, ${c.list.returned} returned)`,
                ours: `${fmtMs(c.list.time.medianMs)}; ${requests(c.list)}`,
                peer: byArnPeer,
                peerValue: `${fmtMs(c.byArn.time.medianMs)}; ${requests(c.byArn)}`,
                ratio: c.list.time.medianMs / c.byArn.time.medianMs,
                target: `requests ${c.expectedPages} + 0`,
                met: arnOk && c.list.consistent && c.list.searchPages === c.expectedPages && c.list.getJobs === 0,
            });
        }
        const pz = nl.paced;
        if (pz) {
            const pacer = `DEFAULT pacer (${pz.pacer.ratePerSecond}/s, burst ${pz.pacer.burst})`;
            const steady = median(pz.byName.steadyMs);
            rows.push({
                item: "6",
                figure: `by jobName + mostRecent, ${pz.runs} runs (${pz.byName.requestsPerLookup} requests), ${pacer}: fresh bucket, median of ${pz.byName.freshMs.length}`,
                ours: fmtMs(median(pz.byName.freshMs)),
                peer: `by jobArn (${pz.byArn.requestsPerLookup} request), fresh bucket`,
                peerValue: fmtMs(median(pz.byArn.freshMs)),
                ratio: median(pz.byName.freshMs) / median(pz.byArn.freshMs),
                target: "info: inside the burst",
            });
            rows.push({
                item: "6",
                figure: `… back to back once the burst is spent (by ${pz.byName.drainLookups} ARN lookups), median of ${pz.byName.steadyMs.length}`,
                ours: fmtMs(steady),
                peer: `by jobArn, the same (by ${pz.byArn.drainLookups}), median of ${pz.byArn.steadyMs.length}`,
                peerValue: fmtMs(median(pz.byArn.steadyMs)),
                ratio: steady / median(pz.byArn.steadyMs),
                target: `≈ ${pz.byName.requestsPerLookup} ÷ ${pz.pacer.ratePerSecond}/s = ${fmtMs(pz.byName.idealSteadyMs)}`,
                met: Math.abs(steady / pz.byName.idealSteadyMs - 1) <= 0.1,
            });
        }
    }
    const a = r.engineLookups;
    if (a) {
        const peer = `${BARE}, same program, rotating`;
        const cut = a.cutShort ? " (cut short by the time limit)" : "";
        rows.push({
            item: "A",
            figure: `lookup through engine + plugin, median, ${a.latencyMs} ms RTT, N=${a.rounds}${cut}`,
            ours: fmtMs(a.engine.medianMs),
            peer,
            peerValue: fmtMs(a.bare.medianMs),
            ratio: a.engine.medianMs / a.bare.medianMs,
            target: "info",
        });
        rows.push({
            item: "A",
            figure: `… median of per-round differences, engine − bare`,
            ours: signedMs(a.engineMinusBare.medianMs),
            peer: `${HANDLER} − bare, same rounds`,
            peerValue: signedMs(a.handlerMinusBare.medianMs),
            ratio: NaN,
            target: "≤ +5 ms",
            met: a.engineMinusBare.medianMs <= 5,
        });
        rows.push({
            item: "A",
            figure: `lookup through engine + plugin, p95`,
            ours: fmtMs(a.engine.p95Ms),
            peer,
            peerValue: fmtMs(a.bare.p95Ms),
            ratio: a.engine.p95Ms / a.bare.p95Ms,
            target: "info",
        });
        rows.push({
            item: "A",
            figure: `${HANDLER} in the same program, median`,
            ours: fmtMs(a.handler.medianMs),
            peer,
            peerValue: fmtMs(a.bare.medianMs),
            ratio: a.handler.medianMs / a.bare.medianMs,
            target: "info",
        });
        rows.push({
            item: "A",
            figure: `${HANDLER} in the same program, p95`,
            ours: fmtMs(a.handler.p95Ms),
            peer,
            peerValue: fmtMs(a.bare.p95Ms),
            ratio: a.handler.p95Ms / a.bare.p95Ms,
            target: "info",
        });
    }
    const d = r.directInvoke;
    if (d) {
        rows.push({
            item: "A′",
            figure: `the plugin alone: its gRPC Invoke from a client, no engine, median, N=${d.rounds}${d.cutShort ? " (cut short)" : ""}`,
            ours: fmtMs(d.invoke.medianMs),
            peer: `${BARE}, same process, alternating`,
            peerValue: fmtMs(d.bare.medianMs),
            ratio: d.invoke.medianMs / d.bare.medianMs,
            target: "info",
        });
        rows.push({
            item: "A′",
            figure: `… median of per-round differences, plugin Invoke − bare (p95)`,
            ours: `${signedMs(d.invokeMinusBare.medianMs)} (${signedMs(d.invokeMinusBare.p95Ms)})`,
            peer: "plugin's CPU time per lookup, all threads",
            peerValue: fmtMs(d.pluginCpuMsPerLookup),
            ratio: NaN,
            target: "info",
        });
    }
    const b = r.pluginStartup;
    if (b) {
        const bundle = "bundle" in b && "timeToPortMs" in b.bundle ? b.bundle : undefined;
        const peer = bundle ? "same bundle run by node (not a SEA)" : (b.bundle as { skipped: string }).skipped;
        rows.push({
            item: "B",
            figure: `plugin start-up: exec of bin/pulumi-resource-braket to its port line (median of ${b.runs})`,
            ours: fmtMs(b.sea.timeToPortMs.median),
            peer,
            peerValue: bundle ? fmtMs(bundle.timeToPortMs.median) : "n/a",
            ratio: bundle ? b.sea.timeToPortMs.median / bundle.timeToPortMs.median : NaN,
            target: "≤ 300 ms",
            met: b.sea.timeToPortMs.median <= 300,
        });
        rows.push({
            item: "B",
            figure: `… RSS at the port line (median)`,
            ours: `${b.sea.rssMiB.median.toFixed(1)} MiB`,
            peer,
            peerValue: bundle ? `${bundle.rssMiB.median.toFixed(1)} MiB` : "n/a",
            ratio: bundle ? b.sea.rssMiB.median / bundle.rssMiB.median : NaN,
            target: "info",
        });
        rows.push({
            item: "B",
            figure: `… CPU time to the port line, all threads (median)`,
            ours: fmtMs(b.sea.cpuMs.median),
            peer,
            peerValue: bundle ? fmtMs(bundle.cpuMs.median) : "n/a",
            ratio: bundle ? b.sea.cpuMs.median / bundle.cpuMs.median : NaN,
            target: "info",
        });
    }
    const c = r.previewWhole;
    if (c) {
        const cut = c.cutShort ? ", cut short by the time limit" : "";
        rows.push({
            item: "C",
            figure: `pulumi preview, program with one getHybridJob, whole CLI run (median of ${c.runs}${cut})`,
            ours: fmtMs(c.one.medianMs),
            peer: "pulumi preview, program without braket",
            peerValue: fmtMs(c.empty.medianMs),
            ratio: c.one.medianMs / c.empty.medianMs,
            target: "info",
        });
        rows.push({
            item: "C",
            figure: `… that getHybridJob as the program timed it (plugin start included)`,
            ours: fmtMs(c.one.lookupMedianMs),
            peer: a ? "a warm lookup through engine + plugin (A)" : "",
            peerValue: a ? fmtMs(a.engine.medianMs) : "n/a",
            ratio: a ? c.one.lookupMedianMs / a.engine.medianMs : NaN,
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

/** Rough seconds each item takes on a 2-core machine (for the printed estimate and to skip what cannot fit). */
export function estimateSeconds(o: BenchOptions): Record<Item, number> {
    const pairs = o.n + 50;
    return {
        "1": (pairs * 2 * (o.latencyMs + 2.5) + pairs * 2 * 1.5) / 1000,
        "2": (o.runs + 1) * (0.55 + 0.25 + (o.latencyMs + 5) / 1000),
        "3": (200 - GETJOB_BURST) / GETJOB_RATE_PER_SECOND + 2,
        "4": 2 + (3600 / PYTHON_SDK_POLL_SECONDS) * ((o.latencyMs + 2) / 1000),
        "5": (o.coldRuns + 1) * 1.2,
        // Per round: 24 requests over the four cases (2+1+1, 2+1+1, 6+1+5, 2+1+1); then ≈ 12 s paced.
        "6": ((o.searchRuns + 2) * 24 * (o.latencyMs + 6)) / 1000 + 12 + 2,
        A:
            20 +
            (3 * (o.engineN + ENGINE_WARMUP_ROUNDS) * (o.latencyMs + 8)) / 1000 +
            6 +
            (2 * (o.engineN + ENGINE_WARMUP_ROUNDS) * (o.latencyMs + 6)) / 1000,
        B: 2 * (o.startupRuns + 1) * 0.35,
        C: 2 * (o.previewRuns + 1) * 4,
    };
}

/** Items that cannot stop half-way: skipped unless this many seconds remain. */
function minimumSeconds(o: BenchOptions, item: Item): number {
    const e = estimateSeconds(o)[item];
    switch (item) {
        case "1":
            return 10;
        case "A":
            return 45;
        case "C":
            return 30;
        default:
            return e * 1.5;
    }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
    const budget = new Budget(options.timeLimitS * 1000);
    const env = new AwsTestEnvironment();
    // The AWS SDK's advisory that its 2027 releases need Node 22 would otherwise be printed by every process.
    env.apply({ ...DEFAULT_PACING, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
    const want = (i: Item) => options.only.size === 0 || options.only.has(i);
    const defaults = pacerOptionsFromEnv({});
    const report: BenchReport = {
        date: new Date().toISOString(),
        machine: machineInfo(),
        options: {
            latencyMs: options.latencyMs,
            n: options.n,
            runs: options.runs,
            coldRuns: options.coldRuns,
            engineN: options.engineN,
            startupRuns: options.startupRuns,
            previewRuns: options.previewRuns,
            searchRuns: options.searchRuns,
            timeLimitS: options.timeLimitS,
            only: [...options.only],
        },
        pacingDefaults: defaults,
        rows: [],
        notes: [],
        problems: [],
        seconds: {},
        loadAverageAtEnd: [],
    };
    const estimate = estimateSeconds(options);
    const planned = ITEMS.filter(want);
    const total = planned.reduce((sum, i) => sum + estimate[i], 0);
    log(
        `items ${planned.join(", ")}: estimated ${(total / 60).toFixed(1)} min on 2 cores; time limit ${options.timeLimitS} s ` +
            `(--time-limit-s; an item that would not fit is skipped, 1, A and C stop measuring at the limit).`,
    );
    /** Runs one item within the budget; a failure is recorded and the bench goes on. */
    const item = async (i: Item, title: string, run: () => Promise<void>) => {
        if (!want(i)) return;
        const need = minimumSeconds(options, i);
        if (!budget.fits(need * 1000)) {
            const why = `item ${i} skipped: ${Math.max(0, budget.remainingMs() / 1000).toFixed(0)} s of the time limit left, it needs ≈ ${need.toFixed(0)} s`;
            log(why);
            report.problems.push(why);
            return;
        }
        log(`${i}. ${title} (≈ ${estimate[i].toFixed(0)} s)…`);
        const t = Date.now();
        try {
            await run();
        } catch (err) {
            const why = `item ${i} failed: ${err instanceof Error ? err.message : String(err)}`;
            log(why);
            report.problems.push(why);
        } finally {
            destroyConnections();
            report.seconds[i] = (report.seconds[i] ?? 0) + (Date.now() - t) / 1000;
        }
    };
    let engine: EngineBench | undefined;
    const withEngine = async (i: Item): Promise<EngineBench> => {
        if (!engine) {
            log(
                `   engine: test/engine/env.sh, the plugin installed from its tarball (test/e2e/harness.ts), a stack of test/bench/programs/lookups…`,
            );
            const jobs = (want("A") ? 3 * (options.engineN + ENGINE_WARMUP_ROUNDS) : 0) + (want("C") ? 2 * (options.previewRuns + 1) : 0);
            engine = await startEngineBench(options.latencyMs, jobs, budget);
            report.engine = engine.pulumiVersion;
            log(`   engine ready (pulumi ${engine.pulumiVersion}) for ${i}`);
        }
        return engine;
    };
    try {
        await item(
            "1",
            `per-lookup overhead, in-process provider handler: ${options.n} pairs at ${options.latencyMs} ms, then at 0 ms`,
            async () => {
                report.lookupOverhead = await lookupOverhead(options.latencyMs, options.n, 50, budget);
                report.lookupOverheadNoLatency = await lookupOverhead(0, options.n, 50, budget);
                report.notes.push(
                    "Items 1 and A run with PULUMI_BRAKET_REQUESTS_PER_SECOND/REQUEST_BURST/MAX_IN_FLIGHT set very high (in the plugin's environment too), so the pacer admits every request at once and only its bookkeeping is measured; items 2 (one lookup at a time, never held back by the burst of 25) and 3 use the default pacer.",
                );
            },
        );
        await item("2", `shelling out: ${options.runs} runs each`, async () => {
            report.shellOut = await shellOut(options.latencyMs, options.runs);
            if ("path" in report.shellOut.awsCli) {
                report.notes.push(
                    `Item 2: AWS CLI ${report.shellOut.awsCli.version} run as ${report.shellOut.awsCli.path} (a pyenv shim on PATH is resolved, so the shim's own start-up is not charged to the CLI).`,
                );
            }
        });
        await item("3", `fan-out through the in-process provider handler with the default pacer`, async () => {
            report.fanOut = await fanOut(options.latencyMs);
        });
        await item("4", `waiting (simulated clock)`, async () => {
            report.waiting = await waiting(options.latencyMs);
            report.notes.push(
                `Item 4: the job finishes 0.5, 1.5, 2.5, 3.5 and 4.5 s after the nominal time (one run each; waitForHybridJob's jitter seeded 1…5); fixed polling is GetJob then sleep ${PYTHON_SDK_POLL_SECONDS} s, as the Braket Python SDK's AwsQuantumJob.result()/download_result() does. Default polling: first interval ${DEFAULT_POLLING.initialIntervalSeconds} s, ×${DEFAULT_POLLING.backoffRate}, cap ${DEFAULT_POLLING.maxIntervalSeconds} s, equal jitter. The pacer is overridden high here (real-time pacing, simulated time).`,
            );
        });
        await item("5", `cold start: ${options.coldRuns} fresh processes`, async () => {
            report.coldStart = await coldStart(options.coldRuns);
        });
        await item("6", `finding a job by name against reading it by ARN: ${options.searchRuns} rounds per case`, async () => {
            report.nameLookups = await nameLookups(options.latencyMs, options.searchRuns, budget);
            report.notes.push(
                `Item 6: getHybridJob by jobName + mostRecent (SearchJobs, every page, then GetJob of the newest run) against getHybridJob by jobArn of that same job, and getHybridJobs of the name (default maxResults 100; it still reads every page), through the in-process provider handler (getHybridJob ⇒ "by jobName", "by jobArn" in the table); rounds of one call of each kind, the order rotating, after ${report.nameLookups.warmup} unrecorded rounds. The region holds only the runs of that name (one a day, the newest RUNNING): SearchJobs has no name filter, so the pages are those of every job in the region (and createdAfter window), whatever its name. "requests" is SearchJobs pages + GetJob requests per call, counted by the provider (searchCounters.pages, requestCounters.getJob) and by the endpoint (its per-operation counts); "met" says they agree and equal ceil(jobs in window / ${SEARCH_PAGE_SIZE}) pages + 1 GetJob (+ 0 for getHybridJobs). Rows marked "unpaced" set the pacer very high (as items 1 and A); the "DEFAULT pacer" rows use its defaults: the bucket starts full (burst ${GETJOB_BURST}), so a few lookups cost nothing; only once ${GETJOB_BURST} requests are spent does each lookup cost its requests ÷ ${GETJOB_RATE_PER_SECOND}/s. Every call forgets terminal jobs read before (a repeated lookup of a finished job reuses its read: by ARN no request, by name the pages only).`,
            );
        });
        await item("A", `lookups through the engine and the plugin: ${options.engineN} rounds at ${options.latencyMs} ms`, async () => {
            const bench = await withEngine("A");
            report.engineLookups = await engineLookups(bench, options.latencyMs, options.engineN, budget);
            const a = report.engineLookups;
            if (a.getJobCalls !== a.expectedGetJobCalls) {
                report.problems.push(`item A: the endpoint saw ${a.getJobCalls} GetJob requests, ${a.expectedGetJobCalls} expected`);
            }
            log(`   A′. the plugin alone: ${options.engineN} gRPC Invokes from this process, alternating with the bare SDK…`);
            report.directInvoke = await directInvoke(options.latencyMs, options.engineN, budget);
            report.notes.push(
                "Item A: the three routes run in the program's own process during one `pulumi preview`, one after another on distinct jobs, the order rotating each round; A′ (the plugin alone) starts bin/pulumi-resource-braket as the engine would and calls its ResourceProvider/Invoke from a gRPC client in the bench's process, alternating with a bare client there. Both against the same simulated round trip as item 1.",
            );
        });
        await item(
            "B",
            `plugin start-up: ${options.startupRuns} starts of bin/pulumi-resource-braket, then of its bundle under node`,
            async () => {
                report.pluginStartup = await pluginStartup(options.startupRuns, budget);
            },
        );
        await item(
            "C",
            `whole pulumi preview: ${options.previewRuns} of a one-lookup program and of one without braket, alternating`,
            async () => {
                const bench = await withEngine("C");
                report.previewWhole = await previewWhole(bench, options.latencyMs, options.previewRuns, budget);
            },
        );
    } finally {
        if (engine) await engine.close().catch((err: unknown) => report.problems.push(`closing the engine's world: ${String(err)}`));
        destroyConnections();
        env.restore();
    }
    report.seconds.total = budget.elapsedMs() / 1000;
    report.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
    report.rows = rowsOf(report);
    return report;
}

export function renderReport(r: BenchReport): string {
    const m = r.machine;
    const lines = [
        `pulumi-braket benchmark — ${r.date}`,
        `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform} ${m.release}, Node ${m.node}; load average (1/5/15 min) ${m.loadAverage.join(" / ")} at the start, ${r.loadAverageAtEnd.join(" / ")} at the end`,
        `endpoint: local Braket emulator, simulated round trip ${r.options.latencyMs} ms; default pacer ${r.pacingDefaults.ratePerSecond}/s, burst ${r.pacingDefaults.burst}, ${r.pacingDefaults.maxInFlight} in flight`,
        ...(r.engine ? [`engine (A, C): pulumi ${r.engine} (test/engine), braket plugin installed from its release tarball`] : []),
        `time: ${Object.entries(r.seconds)
            .map(([k, v]) => `${k}: ${v.toFixed(0)} s`)
            .join(", ")} (limit ${r.options.timeLimitS} s)`,
        "",
        renderTable(r.rows),
        "",
    ];
    if (r.fanOut) {
        const f = r.fanOut;
        lines.push(
            `3: ${f.lookups} lookups → ${f.getJobCalls} GetJob requests (${f.deduplicated} shared); round trip ${fmtMs(f.roundTripMs)}; most arrivals in 1 s: ${f.maxPerSecond}.`,
        );
    }
    if (r.lookupOverhead) {
        const o = r.lookupOverhead;
        lines.push(
            `1: median of per-pair differences (ours − bare): ${fmtMs(o.medianPairDiffMs)} at ${o.latencyMs} ms RTT` +
                (r.lookupOverheadNoLatency ? `, ${fmtMs(r.lookupOverheadNoLatency.medianPairDiffMs)} at 0 ms.` : "."),
        );
    }
    if (r.nameLookups) {
        const nl = r.nameLookups;
        const perPage = (n: NameLookupCase) => (n.byName.time.medianMs - n.byArn.time.medianMs) / n.byName.searchPages;
        lines.push(
            `6: by name − by ARN, per SearchJobs page: ${nl.cases.map((c) => `${c.runs} runs${c.createdAfter ? " + createdAfter" : ""}: ${fmtMs(perPage(c))}`).join(", ")}; ` +
                `getHybridJobs − by ARN: ${nl.cases.map((c) => signedMs(c.list.time.medianMs - c.byArn.time.medianMs)).join(", ")}.` +
                (nl.paced
                    ? ` Default pacer, back to back once the burst was spent: by name ${nl.paced.byName.steadyMs.map(fmtMs).join(", ")}; by ARN ${nl.paced.byArn.steadyMs.map(fmtMs).join(", ")}.`
                    : ""),
        );
    }
    if (r.engineLookups) {
        const a = r.engineLookups;
        lines.push(
            `A: ${a.rounds} rounds after ${a.warmup} unrecorded (first in round: ${Object.entries(a.firstInRound)
                .map(([k, v]) => `${k} ${v}`)
                .join(", ")}); medians of per-round differences: engine − bare ${signedMs(a.engineMinusBare.medianMs)} (p95 ${signedMs(
                a.engineMinusBare.p95Ms,
            )}), handler − bare ${signedMs(a.handlerMinusBare.medianMs)}, engine − handler ${signedMs(
                a.engineMinusHandler.medianMs,
            )}; difference of medians engine − bare ${signedMs(a.engine.medianMs - a.bare.medianMs)}; GetJob requests ${a.getJobCalls} (expected ${
                a.expectedGetJobCalls
            }); that preview took ${fmtMs(a.previewWallMs)}, the program started ${fmtMs(a.programStartMs)} into its process.`,
        );
    }
    if (r.previewWhole) {
        const c = r.previewWhole;
        lines.push(
            `C: one-lookup previews ${c.one.allMs.map(fmtMs).join(", ")}; previews without braket ${c.empty.allMs.map(fmtMs).join(", ")}; ` +
                `difference of medians ${signedMs(c.one.medianMs - c.empty.medianMs)}.`,
        );
    }
    if (r.pluginStartup) {
        const b = r.pluginStartup;
        const f = (s: { min: number; median: number; max: number }, d: number, u: string) =>
            `${s.min.toFixed(d)} / ${s.median.toFixed(d)} / ${s.max.toFixed(d)} ${u}`;
        lines.push(
            `B: bin/pulumi-resource-braket min / median / max: ${f(b.sea.timeToPortMs, 1, "ms")} to the port line, ${f(b.sea.rssMiB, 1, "MiB")} RSS` +
                ("timeToPortMs" in b.bundle
                    ? `; the bundle under node: ${f(b.bundle.timeToPortMs, 1, "ms")}, ${f(b.bundle.rssMiB, 1, "MiB")}.`
                    : "."),
        );
    }
    for (const n of r.notes) lines.push(`- ${n}`);
    for (const p of r.problems) lines.push(`- **${p}**`);
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
            "engine-n": { type: "string" },
            "startup-runs": { type: "string" },
            "preview-runs": { type: "string" },
            "search-runs": { type: "string" },
            "time-limit-s": { type: "string" },
            only: { type: "string" },
            json: { type: "boolean" },
            help: { type: "boolean", short: "h" },
        },
        strict: true,
        allowPositionals: false,
    });
    if (values.help) {
        process.stdout.write(
            "Usage: node dist/test/bench/bench.js [--latency-ms 20] [--n 500] [--runs 10] [--cold-runs 7] [--engine-n 200]\n" +
                "         [--startup-runs 20] [--preview-runs 5] [--search-runs 15] [--time-limit-s 360] [--only 1,2,3,4,5,6,A,B,C] [--json]\n" +
                "  1 in-process handler vs bare SDK, 2 shelling out, 3 fan-out, 4 waiting, 5 cold start,\n" +
                "  6 finding a job by name (SearchJobs + GetJob) vs by ARN,\n" +
                "  A lookups through the engine and the plugin, B plugin start-up, C a whole pulumi preview.\n",
        );
        process.exit(0);
    }
    const num = (name: string, raw: string | undefined, fallback: number, min: number) => {
        if (raw === undefined) return fallback;
        const v = Number(raw);
        if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${JSON.stringify(raw)}`);
        return v;
    };
    const only = new Set<Item>();
    for (const raw of (values.only ?? "").split(",").map((x) => x.trim().toUpperCase())) {
        if (!raw) continue;
        const id = raw === "1B" ? "1" : raw;
        if (!(ITEMS as readonly string[]).includes(id))
            throw new Error(`--only takes ${ITEMS.join(", ")} (comma-separated), got ${JSON.stringify(raw)}`);
        only.add(id as Item);
    }
    return {
        options: {
            latencyMs: num("latency-ms", values["latency-ms"], 20, 0),
            n: Math.floor(num("n", values.n, 500, 1)),
            runs: Math.floor(num("runs", values.runs, 10, 1)),
            coldRuns: Math.floor(num("cold-runs", values["cold-runs"], 7, 1)),
            engineN: Math.floor(num("engine-n", values["engine-n"], 200, 1)),
            startupRuns: Math.floor(num("startup-runs", values["startup-runs"], 20, 1)),
            previewRuns: Math.floor(num("preview-runs", values["preview-runs"], 5, 1)),
            searchRuns: Math.floor(num("search-runs", values["search-runs"], 15, 1)),
            timeLimitS: num("time-limit-s", values["time-limit-s"], 360, 30),
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
            log(
                `done in ${report.seconds.total.toFixed(0)} s${report.problems.length > 0 ? `, with ${report.problems.length} problem(s)` : ""}.`,
            );
            if (report.problems.length > 0) process.exitCode = 1;
        },
        (err) => {
            process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exitCode = 1;
        },
    );
}
