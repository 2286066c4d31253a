import { strict as assert } from "node:assert";
import type { GetHybridJobResult } from "../provider/types";
import { destroyConnections } from "../provider/clients";
import {
    BraketEndpointNotFoundError,
    BraketJobError,
    BraketUnavailableError,
    HybridJobArgumentError,
    HybridJobFailedError,
    HybridJobNotFoundError,
    HybridJobThrottledError,
    HybridJobWaitTimeoutError,
} from "../provider/errors";
import { resolveLookup } from "../provider/hybridJob";
import { toHybridJobResult } from "../provider/mapping";
import { backoffDelayMs, DEFAULT_POLLING, waitForHybridJob, type WaitProgress } from "../provider/wait";
import { SimulatedClock } from "./support/clock";
import { AwsTestEnvironment } from "./support/emulator";
import { runNode } from "./support/process";
import { NO_BOUNDS, startStubEndpoint, type StubEndpoint } from "./support/stubEndpoint";

const ARN = "arn:aws:braket:us-east-1:123456789012:job/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const lookup = resolveLookup({ jobArn: ARN });

function job(status: string, extra: Record<string, unknown> = {}): GetHybridJobResult {
    return toHybridJobResult({
        status,
        jobArn: ARN,
        roleArn: "arn:aws:iam::123456789012:role/BraketJobs",
        jobName: "train-model",
        outputDataConfig: { s3Path: "s3://out/train-model" },
        algorithmSpecification: { scriptModeConfig: { entryPoint: "m:f", s3Uri: "s3://src/s.tar.gz" } },
        instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 30 },
        createdAt: new Date(0),
        ...extra,
    });
}

/** A job that is QUEUED, then RUNNING, then ends with `final` at `endsAfterMs` of simulated time. */
function scriptedJob(clock: SimulatedClock, endsAfterMs: number, final = "COMPLETED", extra: Record<string, unknown> = {}) {
    const start = clock.now();
    const reads: number[] = [];
    const read = async () => {
        const elapsed = clock.now() - start;
        reads.push(elapsed);
        if (elapsed >= endsAfterMs) return job(final, extra);
        return job(elapsed < 1000 ? "QUEUED" : "RUNNING", { queueInfo: { queue: "JOBS_QUEUE", position: "1" } });
    };
    return { read, reads };
}

describe("waiting for a hybrid job", () => {
    it("backs off exponentially with jitter from the first interval to the cap", () => {
        const lo = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => backoffDelayMs(n, DEFAULT_POLLING, () => 0));
        const hi = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => backoffDelayMs(n, DEFAULT_POLLING, () => 0.999999));
        assert.equal(hi[0], 2000);
        assert.equal(lo[0], 1000);
        assert.equal(hi[1], 3000);
        for (let i = 1; i < hi.length; i++) assert.ok(hi[i] >= hi[i - 1], "intervals never shrink");
        assert.equal(hi[11], 60_000, "capped at maxIntervalSeconds");
        assert.equal(lo[11], 30_000, "jitter keeps at least half the interval");
    });

    it("polls at the cap while the job is queued far back", () => {
        assert.equal(
            backoffDelayMs(1, DEFAULT_POLLING, () => 0.999999, "37"),
            60_000,
        );
        assert.equal(
            backoffDelayMs(1, DEFAULT_POLLING, () => 0.999999, "2"),
            2000,
        );
        assert.equal(
            backoffDelayMs(1, DEFAULT_POLLING, () => 0.999999, "None"),
            2000,
        );
    });

    it("resolves with the job once it COMPLETED, asking for QueueInfo, reporting progress", async () => {
        const clock = new SimulatedClock();
        const { read, reads } = scriptedJob(clock, 10 * 60_000);
        const progress: WaitProgress[] = [];
        let askedQueueInfo = false;
        const result = await waitForHybridJob(lookup, {
            timeoutSeconds: 3600,
            clock,
            read: (l) => {
                askedQueueInfo = l.additionalAttributeNames.includes("QueueInfo");
                return read();
            },
            onProgress: (p) => progress.push(p),
        });
        assert.equal(result.status, "COMPLETED");
        assert.ok(askedQueueInfo);
        const detectionDelay = reads[reads.length - 1] - 10 * 60_000;
        assert.ok(detectionDelay >= 0 && detectionDelay <= 60_000, `noticed ${detectionDelay} ms after the end`);
        assert.ok(reads.length < 120 / 5, `${reads.length} reads for a 10-minute job (fixed 5 s polling: 120)`);
        assert.equal(progress.length, reads.length, "a line for every read, the last one for the end");
        assert.equal(progress[progress.length - 1].status, "COMPLETED");
        assert.equal(progress[0].status, "QUEUED");
        assert.equal(progress[0].queuePosition, "1");
    });

    it("fails with the job's name, ARN, status and failureReason when it FAILED", async () => {
        const clock = new SimulatedClock();
        const { read } = scriptedJob(clock, 5000, "FAILED", { failureReason: "AlgorithmError: loss diverged" });
        await assert.rejects(waitForHybridJob(lookup, { timeoutSeconds: 60, clock, read }), (err: unknown) => {
            assert.ok(err instanceof HybridJobFailedError);
            assert.equal(err.status, "FAILED");
            assert.equal(err.failureReason, "AlgorithmError: loss diverged");
            assert.match(err.message, /train-model/);
            assert.ok(err.message.includes(ARN));
            assert.match(err.message, /ended FAILED: AlgorithmError: loss diverged/);
            return true;
        });
    });

    it("treats CANCELLED as failure by default, as success when the caller accepts it", async () => {
        const clock = new SimulatedClock();
        await assert.rejects(
            waitForHybridJob(lookup, { timeoutSeconds: 60, clock, read: async () => job("CANCELLED") }),
            /ended CANCELLED/,
        );
        const accepted = await waitForHybridJob(lookup, {
            timeoutSeconds: 60,
            clock,
            read: async () => job("CANCELLED"),
            successStatuses: ["COMPLETED", "CANCELLED"],
        });
        assert.equal(accepted.status, "CANCELLED");
    });

    it("times out at the deadline, with the last status, and reads nothing after it", async () => {
        const clock = new SimulatedClock();
        const start = clock.now();
        const { read, reads } = scriptedJob(clock, Infinity);
        await assert.rejects(waitForHybridJob(lookup, { timeoutSeconds: 600, clock, read }), (err: unknown) => {
            assert.ok(err instanceof HybridJobWaitTimeoutError);
            assert.equal(err.lastStatus, "RUNNING");
            assert.match(err.message, /still RUNNING when the wait's timeout of 600 s passed/);
            return true;
        });
        assert.equal(clock.now() - start, 600_000, "gives up exactly at the deadline");
        assert.ok(
            reads.every((t) => t < 600_000),
            "no read at or after the deadline",
        );
    });

    it("survives transient errors (throttling, 5xx) and fails at once on others", async () => {
        const clock = new SimulatedClock();
        let n = 0;
        const flaky = async () => {
            n++;
            if (n === 1) throw new HybridJobThrottledError("throttled", { jobArn: ARN, region: "us-east-1", code: "ThrottlingException" });
            if (n === 2) throw new BraketUnavailableError("500", { jobArn: ARN, region: "us-east-1", code: "InternalServiceException" });
            return job(n < 4 ? "RUNNING" : "COMPLETED");
        };
        const progress: WaitProgress[] = [];
        const result = await waitForHybridJob(lookup, { timeoutSeconds: 600, clock, read: flaky, onProgress: (p) => progress.push(p) });
        assert.equal(result.status, "COMPLETED");
        assert.equal(n, 4);
        assert.equal(progress[0].transientErrorCode, "ThrottlingException", "the status line names the error survived");
        assert.equal(progress[0].transientError, "throttled");
        let calls = 0;
        await assert.rejects(
            waitForHybridJob(lookup, {
                timeoutSeconds: 600,
                clock,
                read: async () => {
                    calls++;
                    throw new HybridJobNotFoundError("gone", { jobArn: ARN, region: "us-east-1", code: "ResourceNotFoundException" });
                },
            }),
            HybridJobNotFoundError,
        );
        assert.equal(calls, 1);
    });

    it("stops promptly when cancelled, leaving no timer to hold the process", async () => {
        // In a child process, so that "the process exits by itself" is what is measured.
        const script = `
            const { waitForHybridJob } = require(${JSON.stringify(require.resolve("../provider/wait"))});
            const { resolveLookup } = require(${JSON.stringify(require.resolve("../provider/hybridJob"))});
            const { toHybridJobResult } = require(${JSON.stringify(require.resolve("../provider/mapping"))});
            const job = ${JSON.stringify(job("RUNNING"))};
            const controller = new AbortController();
            const started = Date.now();
            waitForHybridJob(resolveLookup({ jobArn: job.jobArn }), {
                timeoutSeconds: 3600, initialIntervalSeconds: 30, maxIntervalSeconds: 60,
                signal: controller.signal, read: async () => toHybridJobResult(job),
            }).catch((err) => console.log(err.name, Date.now() - started));
            setTimeout(() => controller.abort(), 50);
        `;
        const started = Date.now();
        const { stdout, code } = await runNode(script, 5000);
        assert.equal(code, 0);
        const [name, ms] = stdout.trim().split(" ");
        assert.equal(name, "HybridJobWaitCancelledError");
        assert.ok(Number(ms) < 500, `cancellation took ${ms} ms`);
        assert.ok(Date.now() - started < 3000, "the process did not exit by itself promptly");
    });

    it("aborts a read in flight at the real-time deadline", async () => {
        const started = Date.now();
        let aborted = false;
        const hanging = (_l: unknown, signal: AbortSignal) =>
            new Promise<GetHybridJobResult>((_resolve, reject) => {
                signal.addEventListener("abort", () => {
                    aborted = true;
                    reject(signal.reason);
                });
            });
        await assert.rejects(waitForHybridJob(lookup, { timeoutSeconds: 0.3, read: hanging }), HybridJobWaitTimeoutError);
        const took = Date.now() - started;
        assert.ok(aborted);
        assert.ok(took >= 290 && took < 1000, `deadline of 300 ms honoured in ${took} ms`);
    });

    it("refuses bad polling options before reading", async () => {
        let reads = 0;
        const read = async () => {
            reads++;
            return job("COMPLETED");
        };
        await assert.rejects(waitForHybridJob(lookup, { timeoutSeconds: -1, read }), /timeoutSeconds must be a number from 0 to 2147483/);
        // Node's timers hold at most 2^31 - 1 ms: a longer deadline would fire at once.
        await assert.rejects(waitForHybridJob(lookup, { timeoutSeconds: 3_000_000, read }), HybridJobArgumentError);
        await assert.rejects(
            waitForHybridJob(lookup, { timeoutSeconds: 5, maxIntervalSeconds: 1, initialIntervalSeconds: 5, read }),
            /must not be less than/,
        );
        await assert.rejects(
            waitForHybridJob(lookup, { timeoutSeconds: 5, successStatuses: ["RUNNING" as "COMPLETED"], read }),
            /successStatuses/,
        );
        assert.equal(reads, 0);
    });

    it("never passes on another job's answer, even from a read of the caller's own", async () => {
        const other = job("COMPLETED", { jobArn: "arn:aws:braket:us-east-1:123456789012:job/ffffffff-4b5a-4968-8776-a5b4c3d2e1f0" });
        await assert.rejects(
            waitForHybridJob(lookup, { timeoutSeconds: 60, clock: new SimulatedClock(), read: async () => other }),
            (err: unknown) => err instanceof BraketJobError && /returned another job/.test(err.message),
        );
    });

    it("shows a transient error's code on the status line made safe", async () => {
        const clock = new SimulatedClock();
        let n = 0;
        const progress: WaitProgress[] = [];
        await waitForHybridJob(lookup, {
            timeoutSeconds: 600,
            clock,
            onProgress: (p) => progress.push(p),
            read: async () => {
                if (n++ === 0) throw new BraketUnavailableError("500", { jobArn: ARN, region: "us-east-1", code: "Oops\u001b[2J" });
                return job("COMPLETED");
            },
        });
        assert.equal(progress[0].transientErrorCode, "Oops\\x1b[2J");
    });
});

describe("waiting against a black-hole endpoint (real time, real AWS SDK)", function () {
    this.timeout(30_000);
    const env = new AwsTestEnvironment();
    let stub: StubEndpoint;
    /** The suite's environment: each test's own bounds, none left over from the test before. */
    const applyEnv = (extra: Record<string, string> = {}) => env.apply({ ...NO_BOUNDS, ...extra });
    afterEach(async () => {
        destroyConnections();
        await stub?.close();
    });
    after(() => env.restore());

    const against = (endpoint: string) => resolveLookup({ jobArn: ARN, endpoint });
    const polling = { initialIntervalSeconds: 0.2, maxIntervalSeconds: 0.5 };

    for (const [what, settings, extra] of [
        ["each attempt timed out and retried by the SDK", "0.3", "20"],
        ["each read cut at the lookup's bound", "60", "0.4"],
    ] as const) {
        it(`sees a job that completed while a read was stuck: ${what}`, async () => {
            stub = await startStubEndpoint({ mode: "blackhole" });
            applyEnv({ PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS: settings, PULUMI_BRAKET_LOOKUP_TIMEOUT_SECONDS: extra });
            // The endpoint holds every connection for 1.5 s, then answers: the job had COMPLETED.
            setTimeout(() => stub.setMode("answer"), 1500).unref();
            const started = Date.now();
            const done = await waitForHybridJob(against(stub.endpoint), { timeoutSeconds: 20, ...polling });
            const took = Date.now() - started;
            assert.equal(done.status, "COMPLETED");
            assert.ok(stub.held >= 1, "a read was stuck");
            assert.ok(took < 5000, `saw the end ${took} ms after starting, not at the deadline`);
        });
    }

    it("without retries too: a read timed out is a transient error, and the next read sees the end", async () => {
        stub = await startStubEndpoint({ mode: "blackhole" });
        applyEnv({ PULUMI_BRAKET_REQUEST_TIMEOUT_SECONDS: "0.3" });
        setTimeout(() => stub.setMode("answer"), 1000).unref();
        const progress: WaitProgress[] = [];
        const lookup0 = resolveLookup({ jobArn: ARN, endpoint: stub.endpoint }, { provider: { maxRetries: 0 } });
        const done = await waitForHybridJob(lookup0, { timeoutSeconds: 20, ...polling, onProgress: (p) => progress.push(p) });
        assert.equal(done.status, "COMPLETED");
        assert.ok(
            progress.some((p) => p.transientErrorCode === "TimeoutError"),
            JSON.stringify(progress),
        );
    });

    it("honours its deadline to the second while every read is stuck (default bounds)", async () => {
        stub = await startStubEndpoint({ mode: "blackhole" });
        applyEnv();
        const started = Date.now();
        await assert.rejects(waitForHybridJob(against(stub.endpoint), { timeoutSeconds: 1.5, ...polling }), HybridJobWaitTimeoutError);
        const took = Date.now() - started;
        assert.ok(took >= 1490 && took < 2000, `deadline of 1.5 s ended the wait in ${took} ms`);
    });

    it("ends at once, not at its deadline, when the endpoint's host does not exist", async () => {
        applyEnv();
        const started = Date.now();
        await assert.rejects(
            waitForHybridJob(against("http://no-such-braket-endpoint.invalid"), { timeoutSeconds: 20, ...polling }),
            BraketEndpointNotFoundError,
        );
        assert.ok(Date.now() - started < 5000);
    });
});
