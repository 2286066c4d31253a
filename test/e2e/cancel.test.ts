/**
 * Ctrl-C while the HybridJobCompletion gate waits, under the real engine (the root demo program).
 *
 * A terminal's Ctrl-C reaches the CLI only: Pulumi starts each plugin in a process group of its
 * own, and asks providers to stop through the Cancel RPC, which Pulumi's Node.js dynamic-provider
 * host ignores. So the first Ctrl-C does not end the wait (the engine waits for the gate's create
 * to return); the second one terminates the CLI and its plugins and leaves a pending create in the
 * state. These tests pin down what must hold whatever the first Ctrl-C does: the second one ends
 * everything at once, no process keeps polling, and the next update recovers.
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

    it("e2e: cancel a second Ctrl-C ends the update at once, with no process left polling; the next up recovers", async function () {
        const runningArn = demoJob("RUNNING").jobArn;
        world.emulator.resetStats();
        const update = stack.up();
        // Wait until the gate polls, then Ctrl-C the CLI twice, as a terminal would.
        const deadline = Date.now() + 60_000;
        while (!getJobRequests(world.emulator.stats.log, runningArn).some(isWaitRead)) {
            assert.ok(Date.now() < deadline, "the gate never started polling");
            await sleep(100);
        }
        const cli = stack.running;
        assert.ok(cli, "no CLI process");
        process.kill(cli, "SIGINT");
        await sleep(1500);
        process.kill(cli, "SIGINT");
        const interruptedAt = Date.now();
        const result = await update;
        assert.notEqual(result.code, 0, describeResult(result));
        assert.ok(result.endedAt - interruptedAt < 15_000, `the CLI took ${result.endedAt - interruptedAt} ms to stop`);
        assert.match(result.stdout + result.stderr, /\^C received; terminating/);
        assert.deepEqual(result.leftovers, [], "processes kept running after the CLI ended");
        // Nothing polls any more.
        const polls = getJobRequests(world.emulator.stats.log).length;
        await sleep(2500);
        assert.equal(getJobRequests(world.emulator.stats.log).length, polls, "GetJob requests after the CLI ended");
        // The interrupted create is recorded as a pending operation...
        const state = await stack.exportState();
        assert.ok((state.pending_operations ?? []).length > 0, "no pending operation recorded");

        // ...and the next update reports it, waits for the job, and succeeds.
        const { emulator: _lifecycle, ...running } = demoJob("RUNNING");
        world.emulator.putJob({ ...running, emulator: { transitions: [{ afterSeconds: 2, status: "COMPLETED" }] } });
        const next = await stack.up();
        assert.equal(next.code, 0, describeResult(next));
        assert.match(next.stdout, /pending operations from previous deployment/);
        assert.equal(((await stack.outputs()).gate as { status: string }).status, "COMPLETED");
        const destroyed = await stack.destroy();
        assert.equal(destroyed.code, 0, describeResult(destroyed));
    });
});
