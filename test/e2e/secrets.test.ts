/**
 * Secrets, unknowns and dependsOn under the real engine, with the test program
 * test/e2e/programs/secret-gate: a job ARN set with `pulumi config set --secret`, read with
 * getHybridJobOutput, gated with HybridJobCompletion, and read again with `dependsOn: [gate]`.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { toHybridJobResult } from "../../provider/mapping";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    REPO_ROOT,
    SECRET_SIG,
    SECRET_SIG_KEY,
    UNKNOWN,
    completeAfterFirstPoll,
    describeResult,
    getJobRequests,
    isWaitRead,
    pathsContaining,
    startWorld,
    stackOutputsOf,
    type E2eWorld,
    type PulumiStack,
    demoJob,
    GATE_TYPE,
} from "./harness";

const PROGRAM = path.join(REPO_ROOT, "test", "e2e", "programs", "secret-gate");
const RUNNING = demoJob("RUNNING");
const FAILED = demoJob("FAILED");

/** Every value of a state document that is a Pulumi secret holds ciphertext, not plaintext. */
function secretValues(value: unknown): Record<string, unknown>[] {
    if (Array.isArray(value)) return value.flatMap(secretValues);
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SECRET_SIG_KEY] === SECRET_SIG) return [o];
        return Object.values(o).flatMap(secretValues);
    }
    return [];
}

describe("e2e secrets, unknowns and dependsOn under the real engine (test/e2e/programs/secret-gate)", function () {
    this.timeout(120_000);
    let world: E2eWorld;
    let stack: PulumiStack;

    before(async function () {
        this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
        if (process.env.SKIP_E2E) this.skip();
        const { emulator: _lifecycle, ...running } = RUNNING;
        world = await startWorld("secrets", [
            { ...running, emulator: { transitions: [{ afterSeconds: 600, status: "COMPLETED" }] } },
            FAILED,
        ]);
        stack = world.stack(PROGRAM);
        await stack.init();
        await stack.setConfig("jobArn", RUNNING.jobArn, { secret: true });
    });

    after(async function () {
        this.timeout(60_000);
        await stack?.remove();
        await world?.close();
    });

    it("e2e: secrets preview: secret lookup answered, the dependsOn-gate lookup unknown with no request, nothing waits", async function () {
        world.emulator.resetStats();
        const { result, events } = await stack.previewEvents();
        assert.equal(result.code, 0, describeResult(result));
        const outputs = stackOutputsOf(events);
        assert.ok(outputs);
        // The lookup ran (its value is secret, so the events show it masked).
        assert.deepEqual(outputs.lookedUp, { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "[secret]" });
        assert.equal(outputs.statusAfterGate, UNKNOWN);
        assert.equal(outputs.gateStatus, UNKNOWN);
        const requests = getJobRequests(world.emulator.stats.log, RUNNING.jobArn);
        assert.equal(requests.length, 1, "expected only the plain lookup's request");
        assert.equal(requests.filter(isWaitRead).length, 0);
        assert.ok(!(result.stdout + result.stderr).includes(RUNNING.jobArn), "the secret ARN shows in the preview's output");
    });

    describe("after an update that waits for the secret job", function () {
        let upOutput = "";

        before(async function () {
            this.timeout(120_000);
            const { emulator: _lifecycle, ...running } = RUNNING;
            world.emulator.putJob({ ...running, emulator: { transitions: [{ afterSeconds: 600, status: "COMPLETED" }] } });
            world.emulator.resetStats();
            const update = stack.up();
            await completeAfterFirstPoll(world.emulator, RUNNING.jobArn, 2000).catch(async (err: Error) => {
                throw new Error(`${err.message}\n${describeResult(await update)}`);
            });
            const result = await update;
            assert.equal(result.code, 0, describeResult(result));
            upOutput = result.stdout + result.stderr;
        });

        it("e2e: secrets outputs derived from a secret ARN are secret; --show-secrets gives the emulator's values", async function () {
            const masked = await stack.outputs();
            assert.equal(masked.lookedUp, "[secret]");
            assert.equal(masked.gateJobArn, "[secret]");
            const shown = await stack.outputs(true);
            const job = toHybridJobResult(world.emulator.getJob(RUNNING.jobArn));
            assert.deepEqual(shown.lookedUp, {
                jobArn: RUNNING.jobArn,
                jobName: RUNNING.jobName,
                status: "RUNNING",
                resultsS3Uri: job.resultsS3Uri,
            });
            assert.equal(shown.gateJobArn, RUNNING.jobArn);
            assert.equal(shown.gateStatus, "COMPLETED");
            assert.equal(shown.gateResultsS3Uri, job.resultsS3Uri);
            assert.ok(!upOutput.includes(RUNNING.jobArn), "the secret ARN shows in `pulumi up`'s output");
        });

        it("e2e: secrets the state files hold the secret ARN only as ciphertext", async function () {
            const files = stack.stateFiles().filter((f) => f.file.includes(stack.name));
            assert.ok(
                files.some((f) => f.file.endsWith(`${stack.name}.json`)),
                "no current state file",
            );
            const leaks = files
                .filter((f) => f.text.includes(RUNNING.jobArn))
                .map((f) => `${f.file}: ${pathsContaining(JSON.parse(f.text), RUNNING.jobArn).join(", ")}`);
            assert.deepEqual(leaks, [], "the secret ARN is in the state in plaintext");
            const deployment = await stack.exportState();
            const gate = deployment.resources?.find((r) => r.type === GATE_TYPE);
            assert.ok(gate);
            for (const key of ["jobArn"]) {
                const v = gate.outputs?.[key] as Record<string, unknown>;
                assert.equal(v?.[SECRET_SIG_KEY], SECRET_SIG, `gate output ${key} is not a secret`);
                assert.equal(typeof v.ciphertext, "string", `gate output ${key} has no ciphertext`);
            }
            assert.ok(secretValues(deployment).length >= 3);
        });

        it("e2e: secrets a lookup with dependsOn the gate reads the job after the gate passed", async function () {
            const shown = await stack.outputs(true);
            assert.equal(shown.gateStatus, "COMPLETED");
            assert.equal(
                shown.statusAfterGate,
                "COMPLETED",
                "getHybridJobOutput(..., { dependsOn: [gate] }) returned the job as read before the gate",
            );
        });

        it("e2e: secrets a gate on a FAILED secret job fails the update naming [secret], not the ARN", async function () {
            await stack.setConfig("jobArn", FAILED.jobArn, { secret: true });
            const result = await stack.up();
            assert.notEqual(result.code, 0, describeResult(result));
            const text = result.stdout + result.stderr;
            assert.ok(text.includes(`Hybrid job ${FAILED.jobName} ([secret]) ended FAILED`), text);
            assert.ok(text.includes(String(FAILED.failureReason)), text);
            assert.ok(!text.includes(FAILED.jobArn), "the secret ARN shows in the error");
        });

        it("e2e: secrets destroy empties the stack", async function () {
            const result = await stack.destroy();
            assert.equal(result.code, 0, describeResult(result));
            assert.deepEqual((await stack.exportState()).resources ?? [], []);
        });
    });
});
