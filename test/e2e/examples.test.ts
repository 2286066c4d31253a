/**
 * The examples that need no provider plugin (examples/read-outputs, examples/lookup-many) under the
 * real Pulumi engine, each against its own emulator seeded with the example's emulator-jobs.json.
 * Each runs from a copy of the example (in a temporary directory whose node_modules links to the
 * repository's), so that no stack file lands in the example's directory.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { toHybridJobResult } from "../../provider/mapping";
import type { GetHybridJobResult } from "../../provider/types";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    REPO_ROOT,
    copyProject,
    describeResult,
    getJobRequests,
    pathsContaining,
    readJson,
    startWorld,
    stackOutputsOf,
    type E2eWorld,
    type PulumiStack,
    type SeedJob,
} from "./harness";

function jobOf(world: E2eWorld, jobArn: string): GetHybridJobResult {
    return toHybridJobResult(world.emulator.getJob(jobArn));
}

describe("e2e examples/read-outputs under the real engine", function () {
    this.timeout(120_000);
    const seed = readJson<SeedJob[]>("examples/read-outputs/emulator-jobs.json");
    const completed = seed.find((j) => j.status === "COMPLETED")!;
    const queued = seed.find((j) => j.status === "QUEUED")!;
    let world: E2eWorld;
    let stack: PulumiStack;

    /** The example's outputs for a job, from the emulator's current view. */
    function expected(jobArn: string) {
        const j = jobOf(world, jobArn);
        return {
            jobName: j.jobName,
            status: j.status,
            outputS3Path: j.outputS3Path,
            resultsS3Uri: j.resultsS3Uri,
            checkpointS3Uri: j.checkpointS3Uri ?? null,
            hyperParameters: j.hyperParameters ?? {},
        };
    }
    const pick = (outputs: Record<string, unknown>) =>
        Object.fromEntries(
            ["jobName", "status", "outputS3Path", "resultsS3Uri", "checkpointS3Uri", "hyperParameters"].map((k) => [k, outputs[k]]),
        );

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        assert.ok(completed && queued, "examples/read-outputs/emulator-jobs.json needs a COMPLETED and a QUEUED job");
        world = await startWorld("read-outputs", seed);
        stack = world.stack(copyProject(path.join(REPO_ROOT, "examples", "read-outputs"), world.tmp, "read-outputs"));
        await stack.init();
        await stack.setConfig("jobArn", completed.jobArn);
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.remove();
        await world?.close();
    });

    it("e2e: read-outputs preview answers every lookup in the program, the dependsOn one included", async function () {
        world.emulator.resetStats();
        const { result, events } = await stack.previewEvents();
        assert.equal(result.code, 0, describeResult(result));
        const outputs = stackOutputsOf(events);
        assert.ok(outputs, "no stack outputs in the preview's events");
        assert.deepEqual(pick(outputs), expected(completed.jobArn));
        assert.match(String(outputs.summary), new RegExp(`^${completed.jobName} COMPLETED`));
        // dependsOn a component that is still to be created, but holds no custom resource: nothing
        // to wait for (as Pulumi's own invokeOutput does), so the lookup is answered in the preview.
        assert.equal(outputs.queuePosition, "None");
        // The Output and the Promise form share one request; the QueueInfo lookup is another.
        const requests = getJobRequests(world.emulator.stats.log, completed.jobArn);
        assert.deepEqual(requests.map((r) => r.query.additionalAttributeNames ?? []).sort(), [[], ["QueueInfo"]]);
    });

    it("e2e: read-outputs up exports the job as the emulator holds it", async function () {
        world.emulator.resetStats();
        const result = await stack.up();
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual(result.leftovers, []);
        const outputs = await stack.outputs();
        assert.deepEqual(pick(outputs), expected(completed.jobArn));
        const j = jobOf(world, completed.jobArn);
        assert.equal(outputs.summary, `${j.jobName} COMPLETED at ${j.endedAt}; results at ${j.resultsS3Uri}`);
        assert.equal(outputs.queuePosition, "None");
        const requests = getJobRequests(world.emulator.stats.log, completed.jobArn);
        assert.deepEqual(requests.map((r) => r.query.additionalAttributeNames ?? []).sort(), [[], ["QueueInfo"]]);
    });

    it("e2e: read-outputs second up with the same job changes nothing", async function () {
        const result = await stack.up();
        assert.equal(result.code, 0, describeResult(result));
        assert.match(result.stdout, /Resources:\s+\d+ unchanged\s*\n\s*\n?Duration/);
        assert.doesNotMatch(result.stdout, /^\s*~ /m, "an output changed");
    });

    it("e2e: read-outputs up with a QUEUED job exports its queue position", async function () {
        await stack.setConfig("jobArn", queued.jobArn);
        const result = await stack.up();
        assert.equal(result.code, 0, describeResult(result));
        const outputs = await stack.outputs();
        assert.deepEqual(pick(outputs), expected(queued.jobArn));
        assert.equal(outputs.queuePosition, String(queued.emulator?.queuePosition ?? 1));
        assert.match(String(outputs.summary), new RegExp(`^${queued.jobName} is QUEUED`));
    });

    it("e2e: read-outputs refresh makes no request (a program of lookups only has nothing to re-read)", async function () {
        world.emulator.resetStats();
        const result = await stack.refresh();
        assert.equal(result.code, 0, describeResult(result));
        assert.equal(getJobRequests(world.emulator.stats.log).length, 0);
    });

    it("e2e: read-outputs with a secret jobArn (fresh stack) keeps the ARN out of the state", async function () {
        const secret = world.stack(stack.projectDir);
        try {
            await secret.init();
            await secret.setConfig("jobArn", completed.jobArn, { secret: true });
            const result = await secret.up();
            assert.equal(result.code, 0, describeResult(result));
            assert.equal((await secret.outputs()).jobName, completed.jobName, "the secret ARN did not reach the lookup");
            const files = secret.stateFiles().filter((f) => f.file.includes(secret.name));
            assert.ok(files.length > 0);
            const leaks = files.filter((f) => f.text.includes(completed.jobArn));
            assert.deepEqual(
                leaks.map((f) => `${f.file}: ${pathsContaining(JSON.parse(f.text), completed.jobArn).join(", ")}`),
                [],
                "the secret ARN is in the state in plaintext",
            );
            // The history records the update's config, with the secret as ciphertext.
            const history = files.filter((f) => f.file.endsWith(".history.json"));
            assert.ok(history.length > 0);
            const config = (JSON.parse(history.at(-1)!.text) as { config?: Record<string, unknown> }).config ?? {};
            assert.deepEqual(Object.keys(config["braket-read-outputs:jobArn"] as object), ["secure"]);
            const destroyed = await secret.destroy();
            assert.equal(destroyed.code, 0, describeResult(destroyed));
        } finally {
            await secret.remove();
        }
    });

    it("e2e: read-outputs destroy empties the stack", async function () {
        const result = await stack.destroy();
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual((await stack.exportState()).resources ?? [], []);
    });
});

describe("e2e examples/lookup-many under the real engine", function () {
    this.timeout(120_000);
    const seed = readJson<SeedJob[]>("examples/lookup-many/emulator-jobs.json");
    let world: E2eWorld;
    let stack: PulumiStack;
    /** Every seed job once, and the first one again at the end: duplicates are allowed. */
    const arns = [...seed.map((j) => j.jobArn), seed[0].jobArn];

    function expectedRows() {
        return seed.map((s) => {
            const j = jobOf(world, s.jobArn);
            return { jobArn: j.jobArn, jobName: j.jobName, status: j.status, resultsS3Uri: j.resultsS3Uri, endedAt: j.endedAt ?? null };
        });
    }
    function expectedCounts() {
        const counts: Record<string, number> = {};
        for (const s of seed) {
            const status = jobOf(world, s.jobArn).status;
            counts[status] = (counts[status] ?? 0) + 1;
        }
        return counts;
    }

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        world = await startWorld("lookup-many", seed);
        stack = world.stack(copyProject(path.join(REPO_ROOT, "examples", "lookup-many"), world.tmp, "lookup-many"));
        await stack.init();
        for (const [i, arn] of arns.entries()) {
            await stack.setConfig(`jobArns[${i}]`, arn, { path: true });
        }
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.remove();
        await world?.close();
    });

    it("e2e: lookup-many preview reads each distinct job once, in its own region", async function () {
        world.emulator.resetStats();
        const { result, events } = await stack.previewEvents();
        assert.equal(result.code, 0, describeResult(result));
        const outputs = stackOutputsOf(events);
        assert.ok(outputs, "no stack outputs in the preview's events");
        assert.deepEqual(outputs.jobs, expectedRows());
        assert.equal(outputs.requested, arns.length);
        assert.equal(outputs.distinct, seed.length);
        const log = getJobRequests(world.emulator.stats.log);
        assert.deepEqual(log.map((e) => e.jobArn).sort(), seed.map((j) => j.jobArn).sort());
        // The emulator only answers a job to requests signed for the job's region: all were 200.
        assert.deepEqual(
            log.map((e) => e.status),
            seed.map(() => 200),
        );
    });

    it("e2e: lookup-many up exports the table and the counts", async function () {
        world.emulator.resetStats();
        const result = await stack.up();
        assert.equal(result.code, 0, describeResult(result));
        const outputs = await stack.outputs();
        assert.deepEqual(outputs.jobs, expectedRows());
        assert.deepEqual(outputs.countByStatus, expectedCounts());
        assert.equal(outputs.allCompleted, false);
        assert.equal(getJobRequests(world.emulator.stats.log).length, seed.length);
    });

    it("e2e: lookup-many up again re-reads the jobs: a job that finished shows its new status", async function () {
        const running = seed.find((j) => j.status === "RUNNING");
        assert.ok(running, "examples/lookup-many/emulator-jobs.json needs a RUNNING job");
        world.emulator.setStatus(running.jobArn, "COMPLETED");
        const result = await stack.up();
        assert.equal(result.code, 0, describeResult(result));
        assert.match(result.stdout, /~ status\s*: "RUNNING" => "COMPLETED"/);
        const outputs = await stack.outputs();
        assert.deepEqual(outputs.jobs, expectedRows());
        assert.deepEqual(outputs.countByStatus, expectedCounts());
    });

    it("e2e: lookup-many destroy empties the stack", async function () {
        const result = await stack.destroy();
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual((await stack.exportState()).resources ?? [], []);
    });
});
