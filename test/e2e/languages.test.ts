/**
 * The Python and Go examples (examples/python-gate, examples/go-gate) under the real engine, with
 * the project's own Python and Go language hosts (test/engine) and the SDKs generated from the
 * schema: lookups in both forms, the gate waiting for a job that completes during the update, a
 * second up that does not wait, and destroy; then a small test program of each language
 * (test/e2e/programs/<language>-secret) that reads the ARN as a config secret: the lookup's result
 * is secret and the state holds the ARN only as ciphertext.
 *
 * Python runs in the virtualenv provider/scripts/test-sdk.sh makes (.tools/sdk-python-venv, with
 * sdk/python installed); Go builds against sdk/ through the example's replace directive.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    GATE_TYPE,
    REPO_ROOT,
    copyProject,
    demoJob,
    describeResult,
    getJobRequests,
    isWaitRead,
    pathsContaining,
    startWorld,
    type E2eWorld,
    type PulumiStack,
} from "./harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const VENV = path.join(REPO_ROOT, ".tools", "sdk-python-venv");

/** Adapts a copy of a project to where it now lives: the test's venv (Python), the SDK module's path (Go). */
function prepare(language: "python" | "go", dir: string): void {
    if (language === "python") {
        if (!fs.existsSync(path.join(VENV, "bin", "python"))) {
            throw new Error(`${VENV} is missing: run provider/scripts/test-sdk.sh python (npm test does) first.`);
        }
        const file = path.join(dir, "Pulumi.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/virtualenv: venv/, `virtualenv: ${VENV}`));
    } else {
        const file = path.join(dir, "go.mod");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/=> (\.\.\/)+sdk/, `=> ${path.join(REPO_ROOT, "sdk")}`));
    }
}

const LANGUAGES = [
    { name: "python", example: "python-gate" },
    { name: "go", example: "go-gate" },
] as const;

for (const language of LANGUAGES) {
    describe(`e2e ${language.name}: examples/${language.example} under the real engine`, function () {
        this.timeout(240_000);
        const { emulator: _lifecycle, ...running } = demoJob("RUNNING");
        let world: E2eWorld;
        let stack: PulumiStack;

        before(async function () {
            this.timeout(ENGINE_BUILD_TIMEOUT_MS + 120_000);
            if (process.env.SKIP_E2E) this.skip();
            // RUNNING until the test completes it, once the program's lookups and the gate have read it.
            world = await startWorld(language.name, [running]);
            Object.assign(world.env, { GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" });
            const dir = copyProject(path.join(REPO_ROOT, "examples", language.example), world.tmp, language.example);
            prepare(language.name, dir);
            stack = world.stack(dir);
            await stack.init();
            await stack.setConfig("jobArn", running.jobArn);
            await stack.setConfig("timeoutSeconds", "120");
        });

        after(async function () {
            this.timeout(60_000);
            await stack?.remove();
            await world?.close();
        });

        it(`e2e: ${language.name} preview reads the job and does not wait`, async function () {
            const result = await stack.pulumi(["preview"], { configFile: true, timeoutMs: 180_000 });
            assert.equal(result.code, 0, describeResult(result));
            assert.deepEqual(result.leftovers, []);
            assert.ok(getJobRequests(world.emulator.stats.log, running.jobArn).length >= 1, "the lookups made no request");
            assert.deepEqual(getJobRequests(world.emulator.stats.log).filter(isWaitRead), [], "the gate polled during a preview");
        });

        it(`e2e: ${language.name} up waits for the job; the gate's outputs are the finished job`, async function () {
            world.emulator.resetStats();
            const update = stack.up();
            const reads = () => getJobRequests(world.emulator.stats.log, running.jobArn);
            const deadline = Date.now() + 180_000;
            while (!(reads().some(isWaitRead) && reads().some((e) => !isWaitRead(e)))) {
                assert.ok(Date.now() < deadline, "the lookups and the gate did not both read the job");
                await sleep(50);
            }
            await sleep(1000);
            world.emulator.setStatus(running.jobArn, "COMPLETED");
            const result = await update;
            assert.equal(result.code, 0, describeResult(result));
            assert.deepEqual(result.leftovers, [], "the update left processes behind");
            const shown = await stack.outputs(true);
            assert.equal(shown.statusWhenRead, "RUNNING", "a lookup is the job as it was read");
            assert.equal(shown.finishedStatus, "COMPLETED");
            assert.equal(shown.jobName, running.jobName);
            assert.match(String(shown.modelUri), /\/output\/model\.tar\.gz$/);
        });

        it(`e2e: ${language.name} second up does not wait again; destroy empties the stack`, async function () {
            world.emulator.resetStats();
            const again = await stack.up();
            assert.equal(again.code, 0, describeResult(again));
            assert.deepEqual(getJobRequests(world.emulator.stats.log).filter(isWaitRead), [], "the gate polled again");
            const destroyed = await stack.destroy();
            assert.equal(destroyed.code, 0, describeResult(destroyed));
            assert.deepEqual((await stack.exportState()).resources ?? [], []);
        });

        it(`e2e: ${language.name} a secret jobArn: a secret result, ciphertext only in the state, then destroy`, async function () {
            const dir = copyProject(
                path.join(REPO_ROOT, "test", "e2e", "programs", `${language.name}-secret`),
                world.tmp,
                `${language.name}-secret`,
            );
            prepare(language.name, dir);
            const secret = world.stack(dir);
            await secret.init();
            try {
                await secret.setConfig("jobArn", running.jobArn, { secret: true });
                const result = await secret.up();
                assert.equal(result.code, 0, describeResult(result));
                assert.ok(!(result.stdout + result.stderr).includes(running.jobArn), "the secret ARN shows in `pulumi up`'s output");
                assert.equal((await secret.outputs()).statusWhenRead, "[secret]", "a lookup of a secret ARN gives a secret result");
                assert.equal((await secret.outputs(true)).finishedStatus, "COMPLETED");
                const leaks = secret
                    .stateFiles()
                    .filter((f) => f.file.includes(secret.name) && f.text.includes(running.jobArn))
                    .map((f) => `${f.file}: ${pathsContaining(JSON.parse(f.text), running.jobArn).join(", ")}`);
                assert.deepEqual(leaks, [], "the secret ARN is in the state in plaintext");
                const gate = (await secret.exportState()).resources?.find((r) => r.type === GATE_TYPE);
                assert.match(String(gate?.id), /^secret-[0-9a-f-]{36}$/);
                const destroyed = await secret.destroy();
                assert.equal(destroyed.code, 0, describeResult(destroyed));
            } finally {
                await secret.remove();
            }
        });
    });
}
