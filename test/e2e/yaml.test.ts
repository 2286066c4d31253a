/**
 * A Pulumi YAML program (examples/yaml-gate) under the real engine and the real pulumi-yaml
 * language host: the lookups are `fn::invoke`s, the gate a custom resource, one lookup goes through
 * an explicit `pulumi:providers:braket` of another region and endpoint, and the default provider
 * is configured from stack config (`braket:endpoint`), not from the environment. The job ARN is a
 * config secret, so the state must hold it only as ciphertext.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startBraketEmulator, type BraketEmulator } from "../../provider/emulator";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    GATE_TYPE,
    REPO_ROOT,
    UNKNOWN,
    copyProject,
    demoJob,
    describeResult,
    getJobRequests,
    isWaitRead,
    pathsContaining,
    startWorld,
    stackOutputsOf,
    type E2eWorld,
    type PulumiStack,
} from "./harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("e2e YAML program (examples/yaml-gate) under the real engine", function () {
    this.timeout(120_000);
    const { emulator: _lifecycle, ...running } = demoJob("RUNNING");
    const completed = demoJob("COMPLETED");
    /** A job of another region, served by another endpoint: only the explicit provider can read it. */
    const euJob = {
        ...completed,
        jobArn: completed.jobArn.replace(/:us-east-1:/, ":eu-north-1:").replace(/[0-9a-f]{4}$/, "e0e0"),
        jobName: "vqe-eu-north",
    };
    let world: E2eWorld;
    let eu: BraketEmulator;
    let stack: PulumiStack;
    let projectDir: string;

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        // RUNNING until the test completes it, once the lookup and the gate have read it: no race with a slow machine.
        world = await startWorld("yaml", [completed, running]);
        eu = await startBraketEmulator({ jobs: [euJob] });
        // The default provider gets its endpoint from stack config only.
        delete world.env.AWS_ENDPOINT_URL_BRAKET;
        projectDir = copyProject(path.join(REPO_ROOT, "examples", "yaml-gate"), world.tmp, "yaml-gate");
        stack = world.stack(projectDir);
        await stack.init();
        await stack.setConfig("braket:endpoint", world.emulator.endpoint);
        await stack.setConfig("jobArn", running.jobArn, { secret: true });
        await stack.setConfig("otherRegionJobArn", euJob.jobArn);
        await stack.setConfig("euEndpoint", eu.endpoint);
        await stack.setConfig("timeoutSeconds", "120");
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.remove();
        await eu?.close();
        await world?.close();
    });

    it("e2e: yaml preview answers fn::invoke through both providers and does not wait", async function () {
        world.emulator.resetStats();
        const { result, events } = await stack.previewEvents();
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual(result.leftovers, []);
        const outputs = stackOutputsOf(events);
        assert.ok(outputs, "no stack outputs in the preview's events");
        assert.equal(outputs.finishedStatus, UNKNOWN, "the gate's outputs are unknown until it has waited");
        assert.equal(outputs.otherJobName, euJob.jobName);
        assert.equal(outputs.otherJobRegion, "eu-north-1");
        assert.deepEqual(getJobRequests(world.emulator.stats.log).filter(isWaitRead), [], "the gate polled during a preview");
        assert.equal(getJobRequests(eu.stats.log, euJob.jobArn).length, 1, "the explicit provider's endpoint was not asked");
        assert.equal(getJobRequests(world.emulator.stats.log, euJob.jobArn).length, 0, "the eu job was asked at the default endpoint");
        assert.ok(!(result.stdout + result.stderr).includes(running.jobArn), "the secret ARN shows in the preview");
    });

    it("e2e: yaml up waits for the job; the gate's outputs are the finished job, the lookup's the job as read", async function () {
        world.emulator.resetStats();
        const update = stack.up();
        // Completes the job once the program's lookup has read it and the gate has polled it.
        const deadline = Date.now() + 60_000;
        const reads = () => getJobRequests(world.emulator.stats.log, running.jobArn);
        while (!(reads().some(isWaitRead) && reads().some((e) => !isWaitRead(e)))) {
            assert.ok(Date.now() < deadline, `the lookup and the gate did not both read the job: ${JSON.stringify(reads())}`);
            await sleep(50);
        }
        await sleep(1000);
        world.emulator.setStatus(running.jobArn, "COMPLETED");
        const completedAt = Date.now();
        const result = await update;
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual(result.leftovers, [], "the update left processes behind");
        assert.doesNotMatch(result.stdout + result.stderr, /[Ww]arning/, "the update printed warnings");
        const shown = await stack.outputs(true);
        assert.equal(
            shown.statusWhenRead,
            "RUNNING",
            `completed at ${new Date(completedAt).toISOString()}; reads: ${JSON.stringify(reads().map((e) => [e.time, isWaitRead(e)]))}`,
        );
        assert.equal(shown.finishedStatus, "COMPLETED");
        assert.match(String(shown.finishedResults), /\/output\/model\.tar\.gz$/);
        assert.equal(shown.otherJobName, euJob.jobName);
        const masked = await stack.outputs();
        assert.equal(masked.statusWhenRead, "[secret]", "a lookup of a secret ARN gives a secret result");
        assert.ok(getJobRequests(world.emulator.stats.log, running.jobArn).filter(isWaitRead).length >= 2, "the gate did not poll");
        assert.ok(!(result.stdout + result.stderr).includes(running.jobArn), "the secret ARN shows in `pulumi up`'s output");
    });

    it("e2e: yaml state holds the secret ARN only as ciphertext, and the gate's id is not the ARN", async function () {
        const leaks = stack
            .stateFiles()
            .filter((f) => f.text.includes(running.jobArn))
            .map((f) => `${f.file}: ${pathsContaining(JSON.parse(f.text), running.jobArn).join(", ")}`);
        assert.deepEqual(leaks, [], "the secret ARN is in the state in plaintext");
        const gate = (await stack.exportState()).resources?.find((r) => r.type === GATE_TYPE);
        assert.ok(gate, "no gate in the state");
        assert.match(String(gate.id), /^secret-[0-9a-f-]{36}$/);
        const providers = (await stack.exportState()).resources?.filter((r) => r.type === "pulumi:providers:braket") ?? [];
        assert.equal(providers.length, 2, "a default and an explicit provider");
        assert.ok(providers.some((p) => p.inputs?.region === "eu-north-1" && p.inputs?.endpoint === eu.endpoint));
        assert.ok(
            providers.some((p) => p.inputs?.endpoint === world.emulator.endpoint),
            "stack config did not reach the default provider",
        );
    });

    it("e2e: yaml second up does not wait again; refresh re-reads the job", async function () {
        world.emulator.resetStats();
        const again = await stack.up();
        assert.equal(again.code, 0, describeResult(again));
        assert.match(again.stdout, /unchanged/);
        assert.deepEqual(getJobRequests(world.emulator.stats.log).filter(isWaitRead), [], "the gate polled again");
        world.emulator.putJob({ ...(world.emulator.getJob(running.jobArn) as object), tags: { reviewed: "yes" } });
        const refreshed = await stack.refresh();
        assert.equal(refreshed.code, 0, describeResult(refreshed));
        const gate = (await stack.exportState()).resources?.find((r) => r.type === GATE_TYPE);
        assert.deepEqual(gate?.outputs?.tags, { reviewed: "yes" });
    });

    it("e2e: yaml one Ctrl-C during a wait ends the update within seconds, and nothing polls after it", async function () {
        const long = { ...running, jobArn: running.jobArn.replace(/[0-9a-f]{4}$/, "c0c0"), jobName: "long-wait" };
        world.emulator.putJob({ ...long, emulator: { transitions: [{ afterSeconds: 600, status: "COMPLETED" }] } });
        await stack.setConfig("jobArn", long.jobArn, { secret: true });
        world.emulator.resetStats();
        const update = stack.up();
        const deadline = Date.now() + 60_000;
        while (!getJobRequests(world.emulator.stats.log, long.jobArn).some(isWaitRead)) {
            assert.ok(Date.now() < deadline, "the gate never started polling");
            await sleep(100);
        }
        process.kill(stack.running!, "SIGINT");
        const interruptedAt = Date.now();
        const result = await update;
        assert.notEqual(result.code, 0, describeResult(result));
        assert.ok(result.endedAt - interruptedAt < 5_000, `the CLI took ${result.endedAt - interruptedAt} ms to stop`);
        assert.deepEqual(result.leftovers, [], "processes kept running after the CLI ended");
        await sleep(2000);
        const late = getJobRequests(world.emulator.stats.log).filter((e) => Date.parse(e.time) > result.endedAt);
        assert.deepEqual(late, [], "GetJob requests after the CLI ended");
        await stack.setConfig("jobArn", running.jobArn, { secret: true });
    });

    it("e2e: yaml destroy empties the stack", async function () {
        const result = await stack.destroy();
        assert.equal(result.code, 0, describeResult(result));
        assert.deepEqual((await stack.exportState()).resources ?? [], []);
    });
});
