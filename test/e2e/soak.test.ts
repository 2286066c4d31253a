/**
 * The fault soak through the engine: one program with 200 lookups under the soak's fault mix (30%
 * throttling, 10% 5xx, 5% dropped connections, 5% slow answers). Every lookup must give the right
 * job: a deployment over many jobs must not fail on a brownout.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    REPO_ROOT,
    copyProject,
    demoJob,
    describeResult,
    getJobRequests,
    startWorld,
    stackOutputsOf,
    type E2eWorld,
    type PulumiStack,
} from "./harness";

const COUNT = 200;

describe("e2e soak: 200 lookups in one program under faults (real engine)", function () {
    this.timeout(300_000);
    const template = demoJob("COMPLETED");
    const jobs = Array.from({ length: COUNT }, (_, i) => ({
        ...template,
        jobArn: `arn:aws:braket:us-east-1:123456789012:job/5d3f0b8e-7a2c-4f61-9e0d-${String(i).padStart(12, "0")}`,
        jobName: `soak-${i}`,
    }));
    let world: E2eWorld;
    let stack: PulumiStack;

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        world = await startWorld("soak", jobs, {
            faults: { throttle: 0.3, serverError: 0.1, drop: 0.05, slow: 0.05, slowMs: 1500 },
            logLimit: 20_000,
        });
        stack = world.stack(copyProject(path.join(REPO_ROOT, "test", "e2e", "programs", "many-lookups"), world.tmp, "many-lookups"));
        await stack.init();
        await stack.setConfig("jobArns", JSON.stringify(jobs.map((j) => j.jobArn)));
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.remove();
        await world?.close();
    });

    it("e2e: soak every one of 200 lookups gives the right job, in a bounded time", async function () {
        const started = Date.now();
        const { result, events } = await stack.previewEvents();
        const seconds = (Date.now() - started) / 1000;
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual(result.leftovers, []);
        const answers = stackOutputsOf(events)?.answers as Record<string, { jobArn: string; jobName: string; status: string }>;
        assert.ok(answers, "no answers in the preview's outputs");
        const wrong = jobs.filter((j) => answers[j.jobArn]?.jobArn !== j.jobArn || answers[j.jobArn]?.jobName !== j.jobName);
        assert.deepEqual(
            wrong.map((j) => j.jobName),
            [],
            "lookups with a wrong or missing answer",
        );
        const log = getJobRequests(world.emulator.stats.log);
        const faulted = log.filter((e) => e.fault !== undefined && e.fault !== "slow").length;
        assert.ok(faulted > COUNT * 0.2, `only ${faulted} faults were injected: the soak did not soak`);
        process.stderr.write(
            `      soak through the engine: ${COUNT} right answers of ${COUNT}, ${log.length} GetJob requests (${faulted} faulted), ${seconds.toFixed(1)} s\n`,
        );
        assert.ok(seconds < 240, `the preview took ${seconds} s`);
    });
});
