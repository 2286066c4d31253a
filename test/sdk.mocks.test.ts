/**
 * The generated SDK under Pulumi's mocks (pulumi.runtime.setMocks), as a user's unit tests meet it.
 * No plugin runs under mocks: what reaches the mocks, and what comes back from them, is the SDK's and
 * Pulumi's doing alone. pulumi-braket/testing (provider/testing.ts) gives mocks the plugin's answers.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";
import { hybridJobCompletionState, hybridJobResult, type GetJobResponseLike } from "../provider/testing";
import { collectUnhandledRejections, outputDetails, resetPulumiRuntime } from "./support/outputs";

const TOKEN = "braket:index:getHybridJob";
const GATE_TYPE = "braket:index:HybridJobCompletion";
const PROVIDER_TYPE = "pulumi:providers:braket";
const ARN = "arn:aws:braket:us-east-1:123456789012:job/4b0c6f8e-2d1a-4f4e-8c7b-9a5d3e2f1c0b";
const FAILED = `Hybrid job vqe-h2 (${ARN}) ended FAILED: AlgorithmError: RuntimeError: loss became NaN at epoch 3, exit code: 1.`;

/** What a user's mock starts from: a GetJob response, as the API has it (ISO timestamps). */
function mockedJob(jobArn: string): GetJobResponseLike {
    return {
        status: "COMPLETED",
        jobArn,
        roleArn: "arn:aws:iam::123456789012:role/BraketJobs",
        jobName: "vqe-h2",
        outputDataConfig: { s3Path: "s3://results/vqe-h2" },
        algorithmSpecification: { containerImage: { uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/vqe:latest" } },
        instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 30 },
        createdAt: "2026-11-29T08:00:00Z",
        hyperParameters: { shots: "100" },
    };
}

class Bucket extends pulumi.CustomResource {
    constructor(name: string, args: pulumi.Inputs = {}, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Bucket", name, args, opts);
    }
}

interface Recorded {
    calls: pulumi.runtime.MockCallArgs[];
    resources: pulumi.runtime.MockResourceArgs[];
    /** `call <token>` and `created <type> <name>`, in the order they happened. */
    log: string[];
}

/**
 * Sets mocks that record what reaches them. `call` answers lookups (default: the raw GetJob
 * response); `state` gives a resource's state over its inputs (throw to fail its creation).
 */
async function useMocks(
    options: {
        preview?: boolean;
        call?: (args: pulumi.runtime.MockCallArgs) => pulumi.runtime.MockCallResult;
        state?: (args: pulumi.runtime.MockResourceArgs) => object | undefined | Promise<object | undefined>;
    } = {},
): Promise<Recorded> {
    const recorded: Recorded = { calls: [], resources: [], log: [] };
    await pulumi.runtime.setMocks(
        {
            call: (args) => {
                recorded.calls.push(args);
                recorded.log.push(`call ${args.token}`);
                return options.call ? options.call(args) : mockedJob(String(args.inputs.jobArn));
            },
            newResource: async (args) => {
                recorded.resources.push(args);
                const state = await options.state?.(args);
                recorded.log.push(`created ${args.type} ${args.name}`);
                return { id: options.preview ? undefined : `${args.name}-id`, state: { ...args.inputs, ...state } };
            },
        },
        "proj",
        "stack",
        options.preview ?? false,
    );
    return recorded;
}

async function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    const details = await outputDetails(output);
    assert.equal(details.isKnown, true, "unknown");
    return details.value;
}

describe("the generated SDK under Pulumi mocks", () => {
    afterEach(resetPulumiRuntime);

    describe("getHybridJob under Pulumi mocks (pulumi.runtime.setMocks)", () => {
        it("sends the Output form to the mocks' call: token braket:index:getHybridJob, the arguments given, the default provider", async () => {
            const m = await useMocks();
            const job = braket.getHybridJobOutput({ jobArn: ARN, additionalAttributeNames: ["QueueInfo"] });
            const { value, isKnown, isSecret } = await outputDetails(job);
            assert.equal(isKnown, true);
            assert.equal(isSecret, false);
            assert.equal(m.calls.length, 1);
            assert.equal(m.calls[0].token, TOKEN);
            // The SDK passes every argument it declares; those left undefined (endpoint, profile, region)
            // are dropped on the way.
            assert.deepEqual(m.calls[0].inputs, { jobArn: ARN, additionalAttributeNames: ["QueueInfo"] });
            // No provider option: the default provider, which the mock monitor names "".
            assert.equal(m.calls[0].provider, "");
            // Exactly what the mock returned: nothing derived (no resultsS3Uri), nothing reformatted.
            assert.deepEqual(value, mockedJob(ARN));
            assert.equal(value?.resultsS3Uri, undefined);
            assert.equal(value?.createdAt, "2026-11-29T08:00:00Z");
        });

        it("sends the Promise form to the same call, and resolves to what the mock returned", async () => {
            const m = await useMocks();
            const job = await braket.getHybridJob({ jobArn: ARN, region: "us-east-1" });
            assert.deepEqual(
                m.calls.map((c) => [c.token, c.inputs]),
                [[TOKEN, { jobArn: ARN, region: "us-east-1" }]],
            );
            assert.deepEqual(job, mockedJob(ARN));
        });

        it("returns a partial mock result as it is, and checks nothing itself: a malformed jobArn reaches the mock", async () => {
            const m = await useMocks({ call: () => ({ status: "RUNNING" }) });
            assert.deepEqual(await braket.getHybridJob({ jobArn: "not-an-arn" }), { status: "RUNNING" });
            assert.deepEqual(await valueOf(braket.getHybridJobOutput({ jobArn: "not-an-arn" })), { status: "RUNNING" });
            assert.deepEqual(
                m.calls.map((c) => c.inputs),
                [{ jobArn: "not-an-arn" }, { jobArn: "not-an-arn" }],
            );
        });

        it("answers as the plugin does when the mock returns pulumi-braket/testing's hybridJobResult", async () => {
            await useMocks({ call: (args) => hybridJobResult(mockedJob(args.inputs.jobArn)) });
            const job = await braket.getHybridJob({ jobArn: ARN });
            assert.equal(job.status, "COMPLETED");
            assert.equal(job.createdAt, "2026-11-29T08:00:00.000Z");
            assert.equal(job.outputS3Path, "s3://results/vqe-h2");
            assert.equal(job.outputS3Bucket, "results");
            assert.equal(job.outputS3KeyPrefix, "vqe-h2");
            assert.equal(job.resultsS3Uri, "s3://results/vqe-h2/output/model.tar.gz");
            assert.equal(job.resultsS3Key, "vqe-h2/output/model.tar.gz");
            assert.deepEqual([job.partition, job.region, job.accountId, job.isTerminal], ["aws", "us-east-1", "123456789012", true]);
            assert.deepEqual(job.hyperParameters, { shots: "100" });
            assert.equal(job.checkpointS3Uri, undefined);
        });

        it("makes no call and gives an unknown result while jobArn is unknown in a preview", async () => {
            const m = await useMocks({ preview: true });
            const jobArn = pulumi.output(pulumi.unknown) as pulumi.Output<string>;
            const job = braket.getHybridJobOutput({ jobArn });
            const details = await outputDetails(job.resultsS3Uri);
            assert.equal(details.isKnown, false);
            assert.equal(m.calls.length, 0);
        });

        it("gives a secret result for a secret input, and the mock the plain value", async () => {
            const m = await useMocks({ call: (args) => hybridJobResult(mockedJob(args.inputs.jobArn)) });
            const job = braket.getHybridJobOutput({ jobArn: pulumi.secret(ARN) });
            const details = await outputDetails(job.outputS3Path);
            assert.equal(details.isSecret, true);
            assert.equal(details.value, "s3://results/vqe-h2");
            assert.deepEqual(
                m.calls.map((c) => c.inputs),
                [{ jobArn: ARN }],
            );
        });

        it("carries the inputs' resources and dependsOn's resources as dependencies", async () => {
            await useMocks();
            const source = new Bucket("source");
            const other = new Bucket("other");
            const jobArn = source.urn.apply(() => ARN);
            const job = braket.getHybridJobOutput({ jobArn }, { dependsOn: [other] });
            const details = await outputDetails(job);
            assert.equal(details.isKnown, true);
            assert.ok(details.resources.includes(source), "input's resource missing from dependencies");
            assert.ok(details.resources.includes(other), "dependsOn resource missing from dependencies");
        });

        it("calls only once a dependsOn resource has been created", async () => {
            const m = await useMocks({ state: () => new Promise((resolve) => setTimeout(() => resolve({}), 30)) });
            const data = new Bucket("data");
            await outputDetails(braket.getHybridJobOutput({ jobArn: ARN }, { dependsOn: [data] }));
            assert.deepEqual(m.log, ["created test:index:Bucket data", `call ${TOKEN}`]);
        });

        it("waits for dependsOn: unknown, and no call, while a dependsOn resource is being created in a preview", async () => {
            const m = await useMocks({ preview: true });
            const creating = new Bucket("creating");
            const job = braket.getHybridJobOutput({ jobArn: ARN }, { dependsOn: creating });
            const details = await outputDetails(job);
            assert.equal(details.isKnown, false);
            assert.equal(m.calls.length, 0);
        });

        it("makes one call per lookup: identical lookups are not shared under mocks", async () => {
            // The plugin shares identical lookups in flight (and reuses a finished read of a terminal
            // job); that is the plugin's doing, and no plugin runs under mocks.
            const m = await useMocks();
            await Promise.all([
                outputDetails(braket.getHybridJobOutput({ jobArn: ARN })),
                outputDetails(braket.getHybridJobOutput({ jobArn: ARN })),
                braket.getHybridJob({ jobArn: ARN }),
            ]);
            assert.deepEqual(
                m.calls.map((c) => c.inputs),
                [{ jobArn: ARN }, { jobArn: ARN }, { jobArn: ARN }],
            );
        });

        it("fails the lookup when the mock throws, with the error's `details` as the message (a plain Error's message is lost)", async () => {
            await useMocks({
                call: () => {
                    throw Object.assign(new Error("not used"), { details: `GetJob for ${ARN} in region us-east-1 failed: no such job.` });
                },
            });
            await assert.rejects(braket.getHybridJob({ jobArn: ARN }), (err: Error) => err.message.endsWith("failed: no such job."));
            // Pulumi's invoke turns the monitor's error into `new Error(err.details)`, as for a gRPC error.
            await useMocks({
                call: () => {
                    throw new Error("no such job");
                },
            });
            await assert.rejects(braket.getHybridJob({ jobArn: ARN }), (err: Error) => err.message === "");
        });
    });

    describe("braket.Provider under Pulumi mocks", () => {
        it("registers as pulumi:providers:braket with its inputs; lookups and gates with { provider } name it", async () => {
            const m = await useMocks();
            const eu = new braket.Provider("eu", { region: "eu-north-1", profile: "ci", maxRetries: 5 });
            await braket.getHybridJob({ jobArn: ARN }, { provider: eu });
            await outputDetails(braket.getHybridJobOutput({ jobArn: ARN }, { provider: eu }));
            const gate = new braket.HybridJobCompletion("training", { jobArn: ARN }, { provider: eu });
            await outputDetails(gate.urn);

            const [registered, gateRegistration] = m.resources;
            assert.equal(registered.type, PROVIDER_TYPE);
            assert.equal(registered.name, "eu");
            // The generated SDK sends provider settings that are not strings JSON-encoded (maxRetries "5").
            assert.deepEqual(registered.inputs, { region: "eu-north-1", profile: "ci", maxRetries: "5" });
            // The provider reference, `<urn>::<id>`, in MockCallArgs.provider and MockResourceArgs.provider.
            const reference = `${await valueOf(eu.urn)}::${await valueOf(eu.id)}`;
            assert.equal(reference, "urn:pulumi:stack::proj::pulumi:providers:braket::eu::eu-id");
            assert.deepEqual(
                m.calls.map((c) => c.provider),
                [reference, reference],
            );
            assert.equal(gateRegistration.type, GATE_TYPE);
            assert.equal(gateRegistration.provider, reference);
        });
    });

    describe("provider config under Pulumi mocks", () => {
        it("gives stack config set with setAllConfig to braket.config, and to mocks that read it", async () => {
            // A mock standing in for the default provider: the call's region, else braket:region.
            const asked: unknown[] = [];
            const m = await useMocks({
                call: (args) => {
                    asked.push(args.inputs.region ?? new pulumi.Config("braket").get("region"));
                    return hybridJobResult(mockedJob(args.inputs.jobArn));
                },
            });
            // Keys are <namespace>:<key>: `braket:` for the provider, the project's name (setMocks'
            // project argument, here "proj") for the program's own config. Values are strings.
            pulumi.runtime.setAllConfig({ "braket:region": "eu-north-1", "braket:maxRetries": "5", "proj:jobArn": ARN });
            assert.equal(braket.config.region, "eu-north-1");
            assert.equal(braket.config.maxRetries, 5);
            assert.equal(braket.config.profile, undefined);

            const jobArn = new pulumi.Config().require("jobArn");
            await braket.getHybridJob({ jobArn });
            await braket.getHybridJob({ jobArn, region: "us-east-1" });
            assert.deepEqual(asked, ["eu-north-1", "us-east-1"]);
            // The default provider is not registered under mocks, and the calls name none: its config
            // reaches only mocks that read it.
            assert.deepEqual(
                m.calls.map((c) => [c.inputs, c.provider]),
                [
                    [{ jobArn: ARN }, ""],
                    [{ jobArn: ARN, region: "us-east-1" }, ""],
                ],
            );
            assert.deepEqual(m.resources, []);
        });
    });

    describe("HybridJobCompletion under Pulumi mocks", () => {
        it("registers as braket:index:HybridJobCompletion with the inputs given, and has the state newResource returns", async () => {
            const m = await useMocks({
                state: (args) =>
                    args.type === GATE_TYPE && args.name === "training"
                        ? hybridJobCompletionState({
                              ...mockedJob(args.inputs.jobArn),
                              queueInfo: { queue: "JOBS_QUEUE", position: "None" },
                          })
                        : undefined,
            });
            const gate = new braket.HybridJobCompletion("training", {
                jobArn: ARN,
                timeoutSeconds: 600,
                successStatuses: [braket.HybridJobTerminalStatus.Completed, "CANCELLED"],
            });
            assert.equal(await valueOf(gate.resultsS3Uri), "s3://results/vqe-h2/output/model.tar.gz");
            assert.equal(await valueOf(gate.status), "COMPLETED");
            assert.equal(await valueOf(gate.region), "us-east-1");
            assert.equal(await valueOf(gate.createdAt), "2026-11-29T08:00:00.000Z");
            assert.deepEqual(
                m.resources.map((r) => [r.type, r.name, r.custom, r.inputs]),
                [[GATE_TYPE, "training", true, { jobArn: ARN, timeoutSeconds: 600, successStatuses: ["COMPLETED", "CANCELLED"] }]],
            );
            assert.equal(Object.keys(hybridJobCompletionState(mockedJob(ARN))).includes("queueInfo"), false);

            // A gate whose mock returns only its inputs has none of the job's outputs: nothing is derived.
            const bare = new braket.HybridJobCompletion("bare", { jobArn: ARN });
            assert.equal(await valueOf(bare.jobArn), ARN);
            assert.equal(await valueOf(bare.resultsS3Uri), undefined);
        });

        it("fails the program when newResource throws for the gate, as for a FAILED job, and creates nothing gated", async () => {
            const unhandled = collectUnhandledRejections();
            try {
                const m = await useMocks({
                    state: (args) => {
                        if (args.type === GATE_TYPE) {
                            throw new Error(FAILED);
                        }
                        return undefined;
                    },
                });
                // The program as the language host runs it: the stack's outputs are awaited, so the
                // gate's failure is the program's.
                const program = pulumi.runtime.runInPulumiStack(async () => {
                    const gate = new braket.HybridJobCompletion("training", { jobArn: ARN });
                    const model = new Bucket("model", { source: gate.resultsS3Uri }, { dependsOn: [gate] });
                    return { modelUri: gate.resultsS3Uri, model: model.urn };
                });
                await assert.rejects(
                    program,
                    /failed to register new resource training \[braket:index:HybridJobCompletion\]: Hybrid job vqe-h2 .* ended FAILED: AlgorithmError/,
                );
                // Give anything still due the time to show up: nothing gated is ever created.
                await new Promise((resolve) => setTimeout(resolve, 50));
                assert.deepEqual(
                    m.resources.map((r) => r.type),
                    ["pulumi:pulumi:Stack", GATE_TYPE],
                );
                // One unhandled rejection per output of the gate that nothing awaited, each the gate's error.
                assert.ok(unhandled.reasons.length > 0);
                for (const reason of unhandled.reasons) {
                    assert.match(String((reason as Error | undefined)?.message ?? reason), /ended FAILED: AlgorithmError/);
                }
            } finally {
                unhandled.stop();
            }
        });

        it("leaves nothing to Pulumi's exit-time leak check once the failure is awaited and the runtime reset", async function () {
            this.timeout(30000);
            // The same program in a process of its own, which ends when it is done: Pulumi reports the
            // promises still pending then ("promises were still active") and sets exit code 1. The gated
            // resource's registration never settles, so the runtime must be reset after the test, as
            // resetPulumiRuntime (or the next setMocks) does.
            const [reset, notReset] = await Promise.all([runFailedGateProgram(true), runFailedGateProgram(false)]);
            assert.match(reset.stdout, /ended FAILED: AlgorithmError/);
            assert.doesNotMatch(reset.stderr, /still active/);
            assert.equal(reset.code, 0, reset.stderr);
            assert.match(notReset.stdout, /ended FAILED: AlgorithmError/);
            assert.match(notReset.stderr, /The Pulumi runtime detected that \d+ promises? (was|were) still active/);
            assert.equal(notReset.code, 1);
        });
    });
});

/** Runs a program whose gate fails (and whose model is gated on it) under mocks in a new Node process. */
function runFailedGateProgram(resetAfterwards: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const program = `
        const pulumi = require(process.env.PULUMI_MODULE);
        const braket = require(process.env.BRAKET_SDK);
        // As under mocha: the unhandled rejections of the gate's unobserved outputs end nothing.
        process.on("unhandledRejection", () => {});
        (async () => {
            await pulumi.runtime.setMocks({
                call: () => ({}),
                newResource: (args) => {
                    if (args.type === ${JSON.stringify(GATE_TYPE)}) throw new Error(${JSON.stringify(FAILED)});
                    return { id: args.name + "-id", state: args.inputs };
                },
            });
            const failure = await pulumi.runtime
                .runInPulumiStack(async () => {
                    const gate = new braket.HybridJobCompletion("training", { jobArn: ${JSON.stringify(ARN)} });
                    new pulumi.CustomResource("test:index:Bucket", "model", {}, { dependsOn: [gate] });
                    return { status: gate.status };
                })
                .then(() => "no failure", (err) => err.message);
            console.log(failure);
            if (process.env.RESET === "1") pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
        })();
    `;
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", program], {
            env: {
                ...process.env,
                PULUMI_MODULE: require.resolve("@pulumi/pulumi"),
                BRAKET_SDK: require.resolve("pulumi-braket"),
                RESET: resetAfterwards ? "1" : "0",
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
