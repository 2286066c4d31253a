/**
 * Ctrl-C while the HybridJobCompletion gate waits, under the real engine (the root demo program).
 *
 * A terminal's Ctrl-C reaches the CLI only: Pulumi starts each plugin in a process group of its
 * own, and asks providers to stop through the Cancel RPC. The braket plugin answers Cancel by
 * aborting every wait and request in flight, so one Ctrl-C ends `pulumi up` within seconds, nothing
 * keeps polling, and the next update waits again.
 */
import { strict as assert } from "node:assert";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    REPO_ROOT,
    describeResult,
    getJobRequests,
    isWaitRead,
    startWorld,
    type E2eWorld,
    type PulumiStack,
    demoJob,
} from "./harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("e2e cancel: Ctrl-C while the gate waits (real engine)", function () {
    this.timeout(120_000);
    let world: E2eWorld;
    let stack: PulumiStack;

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        const { emulator: _lifecycle, ...running } = demoJob("RUNNING");
        // RUNNING for 10 minutes: only a cancellation can end this update early.
        world = await startWorld("cancel", [
            demoJob("COMPLETED"),
            { ...running, emulator: { transitions: [{ afterSeconds: 600, status: "COMPLETED" }] } },
            demoJob("FAILED"),
        ]);
        stack = world.stack(REPO_ROOT);
        await stack.init();
        await stack.setConfig("completedJobArn", demoJob("COMPLETED").jobArn);
        await stack.setConfig("runningJobArn", running.jobArn);
        await stack.setConfig("failedJobArn", demoJob("FAILED").jobArn);
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.remove();
        await world?.close();
    });

    it("e2e: cancel one Ctrl-C ends the update within seconds, with no GetJob and no process after it; the next up recovers", async function () {
        const runningArn = demoJob("RUNNING").jobArn;
        world.emulator.resetStats();
        const update = stack.up();
        // Wait until the gate polls, then Ctrl-C the CLI once, as a terminal would.
        const deadline = Date.now() + 60_000;
        while (!getJobRequests(world.emulator.stats.log, runningArn).some(isWaitRead)) {
            assert.ok(Date.now() < deadline, "the gate never started polling");
            await sleep(100);
        }
        const cli = stack.running;
        assert.ok(cli, "no CLI process");
        process.kill(cli, "SIGINT");
        const interruptedAt = Date.now();
        const result = await update;
        assert.notEqual(result.code, 0, describeResult(result));
        assert.ok(
            result.endedAt - interruptedAt < 5_000,
            `the CLI took ${result.endedAt - interruptedAt} ms to stop:\n${describeResult(result)}`,
        );
        assert.match(result.stdout + result.stderr, /\^C received; cancelling/);
        assert.doesNotMatch(result.stdout + result.stderr, /\^C received; terminating/, "a second Ctrl-C should not be needed");
        assert.match(result.stdout + result.stderr, /[Cc]ancelled/);
        assert.deepEqual(result.leftovers, [], "processes kept running after the CLI ended");
        // Nothing polls any more: no GetJob after the CLI ended.
        const afterEnd = getJobRequests(world.emulator.stats.log).filter((e) => Date.parse(e.time) > result.endedAt);
        await sleep(2500);
        assert.deepEqual(
            getJobRequests(world.emulator.stats.log).filter((e) => Date.parse(e.time) > result.endedAt),
            afterEnd,
            "GetJob requests after the CLI ended",
        );
        assert.deepEqual(afterEnd, [], "GetJob requests after the CLI ended");

        // The next update waits for the job again, and succeeds once it completes.
        const { emulator: _lifecycle, ...running } = demoJob("RUNNING");
        world.emulator.putJob({ ...running, emulator: { transitions: [{ afterSeconds: 2, status: "COMPLETED" }] } });
        const next = await stack.up();
        assert.equal(next.code, 0, describeResult(next));
        assert.equal(((await stack.outputs()).gate as { status: string }).status, "COMPLETED");
        const destroyed = await stack.destroy();
        assert.equal(destroyed.code, 0, describeResult(destroyed));
    });
});

describe("e2e kill: kill -9 of pulumi up while the gate waits (real engine)", function () {
    this.timeout(120_000);
    let world: E2eWorld;
    let stack: PulumiStack;

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        const { emulator: _lifecycle, ...running } = demoJob("RUNNING");
        world = await startWorld("kill", [
            demoJob("COMPLETED"),
            { ...running, emulator: { transitions: [{ afterSeconds: 600, status: "COMPLETED" }] } },
            demoJob("FAILED"),
        ]);
        stack = world.stack(REPO_ROOT);
        await stack.init();
        await stack.setConfig("completedJobArn", demoJob("COMPLETED").jobArn);
        await stack.setConfig("runningJobArn", running.jobArn);
        await stack.setConfig("failedJobArn", demoJob("FAILED").jobArn);
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.pulumi(["cancel", "--yes"]);
        await stack?.remove();
        await world?.close();
    });

    it("e2e: kill the provider and the language host exit by themselves within seconds, and no GetJob follows", async function () {
        const runningArn = demoJob("RUNNING").jobArn;
        const update = stack.up();
        const deadline = Date.now() + 60_000;
        while (!getJobRequests(world.emulator.stats.log, runningArn).some(isWaitRead)) {
            assert.ok(Date.now() < deadline, "the gate never started polling");
            await sleep(100);
        }
        const cli = stack.running;
        assert.ok(cli, "no CLI process");
        // As the OOM killer or a CI runner's timeout would: no Cancel, no SIGINT to the plugins.
        process.kill(cli, "SIGKILL");
        const killedAt = Date.now();
        const result = await update;
        // runTracked waits up to 2 s for the CLI's descendants to exit on their own before calling them leftovers.
        assert.deepEqual(result.leftovers, [], "processes outlived the killed CLI");
        await sleep(1500);
        const late = getJobRequests(world.emulator.stats.log).filter((e) => Date.parse(e.time) > killedAt + 2_000);
        assert.deepEqual(late, [], "GetJob requests more than 2 s after the CLI was killed");
    });
});
