/**
 * The HybridJobCompletion gate's provider: its operations against the local endpoint, and its
 * survival of Pulumi's closure serialization (it must run from the serialized text alone).
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";
import {
    checkCompletion,
    createCompletion,
    diffCompletion,
    readCompletion,
    updateCompletion,
    type CompletionInputs,
} from "../provider/completion";
import type { BraketEmulator } from "../provider/emulator";
import { AwsTestEnvironment, fixtureJob, startFixtureEmulator } from "./support/emulator";
import { runNode } from "./support/process";

const REPO = path.resolve(__dirname, "..", "..");
const RUNNING = fixtureJob("grover-search-running");
const DONE = fixtureJob("qaoa-maxcut-forte");
const FAST = { initialIntervalSeconds: 0.05, maxIntervalSeconds: 0.2 };

/** A RUNNING job (a copy of a fixture under a new ARN) that ends with `status` after `seconds`. */
function jobEnding(emu: BraketEmulator, uuid: string, status: string, seconds: number, failureReason?: string): string {
    const jobArn = `arn:aws:braket:us-east-1:123456789012:job/${uuid}`;
    emu.putJob({
        ...RUNNING,
        jobArn,
        jobName: `gate-test-${uuid.slice(0, 8)}`,
        emulator: { transitions: [{ afterSeconds: seconds, status, ...(failureReason ? { failureReason } : {}) }] },
    });
    return jobArn;
}

describe("HybridJobCompletion provider against the local endpoint", function () {
    this.timeout(30000);
    const env = new AwsTestEnvironment();
    let emu: BraketEmulator;

    beforeEach(async () => {
        emu = await startFixtureEmulator();
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint });
    });
    afterEach(() => emu.close());
    after(() => env.restore());

    it("create waits until the job COMPLETED and records every field of it", async () => {
        const jobArn = jobEnding(emu, "6d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d01", "COMPLETED", 0.6);
        const started = Date.now();
        const { id, outs } = await createCompletion({ jobArn, timeoutSeconds: 20, ...FAST }, { onProgress: () => undefined });
        assert.ok(Date.now() - started >= 500, "returned before the job completed");
        assert.equal(id, jobArn);
        assert.equal(outs.status, "COMPLETED");
        assert.equal(
            outs.resultsS3Uri,
            braket.parseS3Location(String(outs.outputS3Path)) && `${String(outs.outputS3Path).replace(/\/$/, "")}/output/model.tar.gz`,
        );
        assert.equal(outs.jobName, "gate-test-6d1f6a3e");
        assert.equal(outs.timeoutSeconds, 20, "inputs are kept in the state");
        assert.ok(emu.stats.byOperation.GetJob >= 2);
    });

    it("create fails the deployment with name, ARN, status and failureReason when the job FAILED", async () => {
        const jobArn = jobEnding(emu, "6d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d02", "FAILED", 0.3, "AlgorithmError: out of memory");
        await assert.rejects(createCompletion({ jobArn, timeoutSeconds: 20, ...FAST }, { onProgress: () => undefined }), (err: unknown) => {
            assert.ok(err instanceof braket.HybridJobFailedError);
            assert.match(err.message, /gate-test-6d1f6a3e/);
            assert.ok(err.message.includes(jobArn));
            assert.match(err.message, /ended FAILED: AlgorithmError: out of memory/);
            return true;
        });
    });

    it("create times out clearly while the job is still running", async () => {
        const jobArn = jobEnding(emu, "6d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d03", "COMPLETED", 3600);
        const started = Date.now();
        await assert.rejects(
            createCompletion({ jobArn, timeoutSeconds: 0.8, ...FAST }, { onProgress: () => undefined }),
            /still RUNNING when the wait's timeout of 0.8 s passed/,
        );
        assert.ok(Date.now() - started < 2000);
    });

    it("create survives transient faults mid-wait", async () => {
        await emu.close();
        let n = 0;
        emu = await startFixtureEmulator({
            faultFor: ({ operation }) => (operation === "GetJob" && ++n % 3 !== 0 ? (n % 2 ? "throttle" : "serverError") : undefined),
        });
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_MAX_ATTEMPTS: "1" });
        const jobArn = jobEnding(emu, "6d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d04", "COMPLETED", 0.5);
        const transient: string[] = [];
        const { outs } = await createCompletion(
            { jobArn, timeoutSeconds: 20, ...FAST },
            { onProgress: (p) => p.transientError && transient.push(p.transientError) },
        );
        assert.equal(outs.status, "COMPLETED");
        assert.ok(transient.length >= 2, "faults were injected and survived");
        assert.ok((emu.stats.byStatus["429"] ?? 0) > 0 && (emu.stats.byStatus["500"] ?? 0) > 0);
    });

    it("keeps a secret ARN out of the gate's id, which Pulumi stores in plain text", async () => {
        const { id, outs } = await createCompletion(
            { jobArn: DONE.jobArn as string, timeoutSeconds: 60, secretArn: true },
            { onProgress: () => undefined },
        );
        assert.match(id, /^secret-[0-9a-f-]{36}$/);
        assert.ok(!id.includes(String(DONE.jobArn).slice(-12)));
        const again = await createCompletion(
            { jobArn: DONE.jobArn as string, timeoutSeconds: 60, secretArn: true },
            { onProgress: () => undefined },
        );
        assert.notEqual(again.id, id, "not derived from the ARN, so it cannot be guessed back");
        assert.equal(outs.status, "COMPLETED");
        const plain = await createCompletion({ jobArn: DONE.jobArn as string, timeoutSeconds: 60 }, { onProgress: () => undefined });
        assert.equal(plain.id, DONE.jobArn);
    });

    it("check refuses bad inputs with the property, and leaves unknowns to the update", () => {
        const bad = checkCompletion({ jobArn: "arn:aws:braket:us-east-1:123456789012:quantum-task/x" });
        assert.equal(bad.failures[0].property, "jobArn");
        assert.match(bad.failures[0].reason, /JobArn pattern/);
        assert.equal(checkCompletion({ jobArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }).failures.length, 0);
        assert.equal(checkCompletion({ jobArn: DONE.jobArn as string, timeoutSeconds: -5 }).failures[0].property, "timeoutSeconds");
        assert.equal(checkCompletion({ jobArn: DONE.jobArn as string }).failures.length, 0);
        const unknown = pulumi.runtime.unknownValue as unknown as number;
        assert.deepEqual(checkCompletion({ jobArn: DONE.jobArn as string, timeoutSeconds: unknown }).failures, [], "unknown timeout");
        assert.deepEqual(
            checkCompletion({ jobArn: DONE.jobArn as string, successStatuses: [pulumi.runtime.unknownValue as "COMPLETED"] }).failures,
            [],
            "unknown status in the list",
        );
        const crossed = checkCompletion({ jobArn: DONE.jobArn as string, initialIntervalSeconds: 120 }).failures;
        assert.equal(crossed[0].property, "initialIntervalSeconds");
        assert.match(crossed[0].reason, /must not be less than initialIntervalSeconds/);
        assert.equal(
            checkCompletion({ jobArn: DONE.jobArn as string, successStatuses: ["RUNNING" as "COMPLETED"] }).failures[0].property,
            "successStatuses",
        );
    });

    it("diff replaces for another job, updates for new options, and is quiet when nothing changed", async () => {
        const inputs: CompletionInputs = { jobArn: DONE.jobArn as string, timeoutSeconds: 60 };
        const { outs } = await createCompletion(inputs, { onProgress: () => undefined });
        assert.deepEqual(diffCompletion(outs, inputs), { changes: false, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(diffCompletion(outs, { ...inputs, jobArn: RUNNING.jobArn as string }).replaces, ["jobArn"]);
        assert.deepEqual(diffCompletion(outs, { ...inputs, region: "us-west-2" }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(diffCompletion(outs, { ...inputs, secretArn: true }).replaces, ["secretArn"], "a plain-text id must go");
        const resigned = diffCompletion(outs, { ...inputs, profile: "ci", endpoint: "https://braket.example" });
        assert.equal(resigned.changes, true);
        assert.deepEqual(resigned.replaces, [], "who asks, and where, is not another job: no new wait");
        // An option removed from the program is gone from the state after the update: no diff forever.
        const optionRemoved = updateCompletion(outs, { jobArn: DONE.jobArn as string });
        assert.equal(optionRemoved.outs.timeoutSeconds, undefined);
        assert.equal(optionRemoved.outs.status, "COMPLETED", "the job's fields are kept");
        assert.equal(diffCompletion(optionRemoved.outs, { jobArn: DONE.jobArn as string }).changes, false);
        const retimed = diffCompletion(outs, { ...inputs, timeoutSeconds: 120 });
        assert.equal(retimed.changes, true);
        assert.deepEqual(retimed.replaces, []);
    });

    it("read (refresh) re-reads the job, and drops the gate when the job is gone", async () => {
        const { outs } = await createCompletion({ jobArn: DONE.jobArn as string, timeoutSeconds: 60 }, { onProgress: () => undefined });
        emu.putJob({ ...(emu.getJob(DONE.jobArn as string) as object), tags: { refreshed: "yes" } });
        const refreshed = await readCompletion(DONE.jobArn as string, outs);
        assert.deepEqual(refreshed.props.tags, { refreshed: "yes" });
        assert.equal("queueInfo" in outs || "queueInfo" in refreshed.props, false, "the queue position of a moment is not state");
        assert.equal(diffCompletion(refreshed.props, { jobArn: DONE.jobArn as string, timeoutSeconds: 60 }).changes, false);
        assert.equal(refreshed.props.timeoutSeconds, 60);
        const gone = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-0000000000aa";
        assert.deepEqual(await readCompletion(gone, { ...outs, jobArn: gone }), { id: "", props: {} });
    });

    it("survives pulumi.runtime.serializeFunction and runs from its serialized form in a fresh process", async () => {
        // As pulumi.dynamic.Resource serializes its provider.
        const serialized = await pulumi.runtime.serializeFunction(() => braket.hybridJobCompletionProvider, { allowSecrets: true });
        assert.match(serialized.text, /require\("pulumi-braket\/provider"\)/);
        assert.ok(!/BraketClient|RequestPacer|connections/.test(serialized.text), "a client or module state was captured");
        assert.ok(serialized.text.length < 8000, `serialized provider is ${serialized.text.length} bytes`);
        const jobArn = jobEnding(emu, "6d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d05", "COMPLETED", 0.5);
        // Pulumi's dynamic-provider host loads the text with require-from-string from the program's directory.
        const script = `
            process.chdir(${JSON.stringify(REPO)});
            const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
            const provider = requireFromString(${JSON.stringify(serialized.text)}).handler();
            (async () => {
                const inputs = { jobArn: ${JSON.stringify(jobArn)}, timeoutSeconds: 20, initialIntervalSeconds: 0.05, maxIntervalSeconds: 0.2 };
                const check = await provider.check({}, inputs);
                const created = await provider.create(check.inputs);
                const diff = await provider.diff(created.id, created.outs, inputs);
                console.log(JSON.stringify({ failures: check.failures, id: created.id, status: created.outs.status, results: created.outs.resultsS3Uri, changes: diff.changes }));
            })().catch((e) => { console.error(e); process.exit(1); });
        `;
        const { stdout, stderr, code } = await runNode(script, 20000, { ...process.env, NODE_PATH: path.join(REPO, "node_modules") });
        assert.equal(code, 0, stderr);
        const result = JSON.parse(stdout.trim().split("\n").pop() as string);
        assert.deepEqual(result.failures, []);
        assert.equal(result.id, jobArn);
        assert.equal(result.status, "COMPLETED");
        assert.match(result.results, /\/output\/model\.tar\.gz$/);
        assert.equal(result.changes, false);
    });
});
