/**
 * The root program (Pulumi.yaml -> examples/demo/index.ts) under the real Pulumi engine, with the
 * braket plugin installed from its release tarball: the lookups are invokes the plugin answers
 * (preview included), and the HybridJobCompletion gate is the plugin's custom resource.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { toHybridJobResult } from "../../provider/mapping";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    REPO_ROOT,
    UNKNOWN,
    completeAfterFirstPoll,
    describeResult,
    getJobRequests,
    isWaitRead,
    progressLines,
    startWorld,
    stackOutputsOf,
    type E2eWorld,
    type PulumiStack,
    DEMO_JOBS,
    demoJob,
    type SeedJob,
    assertNothingChanged,
    GATE_TYPE,
} from "./harness";

const COMPLETED = demoJob("COMPLETED");
const RUNNING = demoJob("RUNNING");
const FAILED = demoJob("FAILED");

/** What the demo exports of a job (examples/demo/index.ts `describe`), from the emulator's current view. */
function expectedSummary(world: E2eWorld, jobArn: string) {
    const j = toHybridJobResult(world.emulator.getJob(jobArn));
    return {
        jobName: j.jobName,
        status: j.status,
        failureReason: j.failureReason ?? null,
        outputS3Path: j.outputS3Path,
        resultsS3Uri: j.resultsS3Uri,
        checkpointS3Uri: j.checkpointS3Uri ?? null,
    };
}

/** The running job again, RUNNING from now on, COMPLETED `afterSeconds` from now (emulator clock). */
function restartRunningJob(world: E2eWorld, afterSeconds: number): void {
    const { emulator: _lifecycle, ...body } = RUNNING;
    world.emulator.putJob({
        ...body,
        emulator: { transitions: [{ afterSeconds, status: "COMPLETED", message: "Job completed successfully." }] },
    });
}

describe("e2e demo: the root Pulumi.yaml under the real engine", function () {
    this.timeout(120_000);
    let world: E2eWorld;
    let stack: PulumiStack;

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        world = await startWorld("demo", DEMO_JOBS);
        stack = world.stack(REPO_ROOT);
        await stack.init();
        await stack.setConfig("completedJobArn", COMPLETED.jobArn);
        await stack.setConfig("runningJobArn", RUNNING.jobArn);
        await stack.setConfig("failedJobArn", FAILED.jobArn);
    });

    after(async function () {
        this.timeout(60_000);
        if (stack) {
            await stack.remove();
        }
        await world?.close();
    });

    it("e2e: demo preview reads the three jobs in the program and does not wait for the gate", async function () {
        restartRunningJob(world, 600);
        world.emulator.resetStats();
        const { result, events } = await stack.previewEvents();
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual(result.leftovers, [], "the preview left processes behind");

        // The data function answered during the preview: the stack's outputs have the jobs' values.
        const outputs = stackOutputsOf(events);
        assert.ok(outputs, "no stack outputs in the preview's events");
        assert.deepEqual(outputs.completed, expectedSummary(world, COMPLETED.jobArn));
        assert.deepEqual(outputs.running, expectedSummary(world, RUNNING.jobArn));
        assert.deepEqual(outputs.failed, expectedSummary(world, FAILED.jobArn));
        // The region's jobs, newest first, found by SearchJobs with no ARN given.
        const byAge = [COMPLETED, RUNNING, FAILED]
            .map((j) => toHybridJobResult(world.emulator.getJob(j.jobArn)))
            .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
        assert.deepEqual(
            outputs.recentJobs,
            byAge.map((j) => `${j.createdAt} ${j.status.padEnd(9)} ${j.jobName}`),
        );
        assert.equal(world.emulator.stats.byOperation.SearchJobs, 1);
        // The gate did not run: its result is unknown in a preview.
        assert.equal(outputs.gate, UNKNOWN);
        const summary = events.find((e) => e.summaryEvent)?.summaryEvent;
        assert.deepEqual(summary?.resourceChanges, { create: 2 });

        // One GetJob per job, from the program; no wait (QueueInfo) read from the gate.
        const log = world.emulator.stats.log;
        for (const job of [COMPLETED, RUNNING, FAILED]) {
            assert.equal(getJobRequests(log, job.jobArn).length, 1, `GetJob requests for ${job.jobName}`);
        }
        assert.deepEqual(getJobRequests(log).filter(isWaitRead), [], "the gate polled during a preview");
        assert.equal((world.emulator.getJob(RUNNING.jobArn) as { status: string }).status, "RUNNING");
        assert.ok(result.endedAt - result.startedAt < 60_000, "the preview took a minute: did it wait?");
    });

    it("e2e: demo up waits for the running job and exports what the emulator holds", async function () {
        const waitSeconds = 3;
        restartRunningJob(world, 600);
        world.emulator.resetStats();
        const update = stack.up();
        const completedAt = await completeAfterFirstPoll(world.emulator, RUNNING.jobArn, waitSeconds * 1000).catch(async (err: Error) => {
            throw new Error(`${err.message}\n${describeResult(await update)}`);
        });
        const result = await update;
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual(result.leftovers, [], "the update left processes behind");

        const outputs = await stack.outputs();
        // Read by the program when it started: still RUNNING then.
        assert.deepEqual(outputs.running, { ...expectedSummary(world, RUNNING.jobArn), status: "RUNNING" });
        assert.deepEqual(outputs.completed, expectedSummary(world, COMPLETED.jobArn));
        assert.deepEqual(outputs.failed, expectedSummary(world, FAILED.jobArn));

        // The gate resolved with the job as it finished, during this run.
        const finished = toHybridJobResult(world.emulator.getJob(RUNNING.jobArn));
        assert.equal(finished.status, "COMPLETED");
        assert.deepEqual(outputs.gate, {
            jobName: finished.jobName,
            status: "COMPLETED",
            endedAt: finished.endedAt,
            resultsS3Uri: finished.resultsS3Uri,
            checkpointS3Uri: finished.checkpointS3Uri ?? null,
        });
        const endedAt = Date.parse(finished.endedAt ?? "");
        assert.ok(endedAt >= result.startedAt && endedAt <= completedAt, "the job did not complete during the update");

        // The gate polled (QueueInfo reads) while the job was RUNNING, and stopped once it was done.
        const waits = getJobRequests(world.emulator.stats.log, RUNNING.jobArn).filter(isWaitRead);
        assert.ok(waits.length >= 2, `expected several wait reads, got ${waits.length}`);
        assert.ok(Date.parse(waits[0].time) < endedAt, "the first wait read came after the job had completed");
        assert.ok(Date.parse(waits.at(-1)!.time) >= endedAt - 50, "the wait stopped before the job completed");
        assert.ok(waits.length <= waitSeconds + 5, `${waits.length} wait reads for a ${waitSeconds} s wait: polling too often`);

        // The gate's progress reached the CLI as status messages on its own line, not as errors.
        const progress = progressLines(result.stdout, "training");
        assert.ok(
            progress.some((l) => l.includes("job RUNNING, waited")),
            `no progress shown:\n${result.stdout}`,
        );
        assert.ok(progress.length <= 4 * (waitSeconds + 5), `progress flood: ${progress.length} lines`);
        assert.doesNotMatch(result.stdout + result.stderr, /error:|Diagnostics:/);
        if (process.env.E2E_VERBOSE) process.stderr.write(`${result.stdout}\n`);
    });

    it("e2e: demo second up with the same jobArn changes nothing and does not wait again", async function () {
        world.emulator.resetStats();
        const result = await stack.up();
        assertNothingChanged(result, 2);
        const log = world.emulator.stats.log;
        assert.deepEqual(getJobRequests(log).filter(isWaitRead), [], "the gate polled again");
        // The program still reads each job once (the `running` output now shows COMPLETED).
        assert.equal(getJobRequests(log, RUNNING.jobArn).length, 1);
        assert.equal(getJobRequests(log).length, 3);
        const outputs = await stack.outputs();
        assert.equal((outputs.running as { status: string }).status, "COMPLETED");
    });

    it("e2e: demo refresh re-reads the gated job into the state", async function () {
        const current = world.emulator.getJob(RUNNING.jobArn) as SeedJob & { tags?: Record<string, string> };
        world.emulator.putJob({ ...current, tags: { ...current.tags, reviewed: "2026-11-29" } });
        world.emulator.resetStats();
        const result = await stack.refresh();
        assert.equal(result.code, 0, describeResult(result));
        const log = world.emulator.stats.log;
        // Refresh does not run the program: the only request is the gate's read of its job.
        assert.ok(getJobRequests(log, RUNNING.jobArn).length >= 1, "refresh did not read the gated job");
        assert.equal(getJobRequests(log).filter((e) => e.jobArn !== RUNNING.jobArn).length, 0);
        assert.deepEqual(getJobRequests(log).filter(isWaitRead), [], "refresh waited");
        const state = await stack.exportState();
        const gate = state.resources?.find((r) => r.type === GATE_TYPE);
        assert.ok(gate, "no gate in the state");
        assert.equal((gate.outputs?.tags as Record<string, string> | undefined)?.reviewed, "2026-11-29");
        assert.equal(gate.outputs?.status, "COMPLETED");
    });

    it("e2e: demo gating a FAILED job fails the update with its name, ARN and failureReason", async function () {
        await stack.setConfig("gateFailedJob", "true");
        try {
            world.emulator.resetStats();
            const result = await stack.up();
            assert.notEqual(result.code, 0, `the update succeeded:\n${describeResult(result)}`);
            assert.deepEqual(result.leftovers, [], "the failed update left processes behind");
            const text = result.stdout + result.stderr;
            assert.ok(text.includes(FAILED.jobName), `no job name in:\n${text}`);
            assert.ok(text.includes(FAILED.jobArn), `no job ARN in:\n${text}`);
            assert.ok(text.includes(String(FAILED.failureReason)), `no failureReason in:\n${text}`);
            assert.match(text, /FAILED/);
            assert.ok(getJobRequests(world.emulator.stats.log, FAILED.jobArn).some(isWaitRead), "the gate did not read the failed job");
            const state = await stack.exportState();
            const gates = (state.resources ?? []).filter((r) => r.type === GATE_TYPE);
            assert.deepEqual(
                gates.map((r) => r.urn.split("::").at(-1)),
                ["training"],
                "a gate on a FAILED job was recorded",
            );
            if (process.env.E2E_VERBOSE) process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
        } finally {
            await stack.setConfig("gateFailedJob", "false");
        }
    });

    it("e2e: demo destroy empties the stack and stack rm removes it", async function () {
        world.emulator.resetStats();
        const result = await stack.destroy();
        assert.equal(result.code, 0, describeResult(result));
        assert.equal(getJobRequests(world.emulator.stats.log).length, 0, "destroy called GetJob");
        const state = await stack.exportState();
        assert.deepEqual(state.resources ?? [], []);
        await stack.remove();
        assert.equal(fs.existsSync(path.join(REPO_ROOT, `Pulumi.${stack.name}.yaml`)), false);
    });
});
