/**
 * The examples under Pulumi's mocks: each compiled example (dist/examples/<name>/index.js) runs
 * against mocked GetJob answers and mocked resource creation, and the tests check what reaches which
 * resource property, in which order, and what happens when the gate fails.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { hybridJobCompletionState, hybridJobResult, type GetJobResponseLike } from "../provider/testing";
import { resetExamples, runExample, settle, type ExampleRun, type Registration } from "./support/examples";
import { collectUnhandledRejections, outputDetails } from "./support/outputs";

type Exports = Record<string, pulumi.Output<unknown>>;

const TOKEN = "braket:index:getHybridJob";
const GATE_TYPE = "braket:index:HybridJobCompletion";
const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AmazonBraketJobsExecutionRole`;

/**
 * A GetJob response. Under mocks the SDK returns what the mocks return, so the mocks below answer
 * with pulumi-braket/testing's hybridJobResult of it (or the gate's hybridJobCompletionState), as
 * the plugin would.
 */
function getJobResponse(jobArn: string, jobName: string, s3Path: string, extra: Partial<GetJobResponseLike> = {}): GetJobResponseLike {
    return {
        status: "COMPLETED",
        jobArn,
        roleArn: ROLE,
        jobName,
        outputDataConfig: { s3Path },
        algorithmSpecification: { scriptModeConfig: { entryPoint: "train:main", s3Uri: `${s3Path}/../script/source.tar.gz` } },
        instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 30 },
        deviceConfig: { device: "arn:aws:braket:::device/quantum-simulator/amazon/sv1" },
        createdAt: "2026-11-28T09:00:00Z",
        startedAt: "2026-11-28T09:03:41Z",
        endedAt: "2026-11-28T09:27:05Z",
        ...extra,
    };
}

/** Physical names and ARNs, as AWS would give them, for the resources the examples read back. */
function awsState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    const physical = typeof args.inputs.name === "string" ? args.inputs.name : `${args.name}-4f2a9c1`;
    const region = typeof args.inputs.region === "string" ? args.inputs.region : "us-east-1";
    switch (args.type) {
        case "aws:s3/bucket:Bucket":
            return { bucket: physical, arn: `arn:aws:s3:::${physical}` };
        case "aws:iam/role:Role":
            return { name: physical, arn: `arn:aws:iam::${ACCOUNT}:role/${physical}` };
        case "aws:lambda/function:Function":
            return { name: physical, arn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${physical}` };
        case "aws:sfn/stateMachine:StateMachine":
            return { name: physical, arn: `arn:aws:states:${region}:${ACCOUNT}:stateMachine:${physical}` };
        case "aws:cloudwatch/eventRule:EventRule":
            return { name: physical, arn: `arn:aws:events:${region}:${ACCOUNT}:rule/${physical}` };
        case "aws:ssm/parameter:Parameter":
            return { arn: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${physical}` };
        default:
            return {};
    }
}

async function valueOf<T>(output: pulumi.Output<T> | undefined): Promise<T | undefined> {
    assert.ok(output, "export missing");
    const details = await outputDetails(output);
    assert.equal(details.isKnown, true, "export unknown");
    return details.value;
}

function jsonInput(registration: Registration, property: string): Record<string, unknown> {
    const raw = registration.inputs[property];
    assert.equal(typeof raw, "string", `${registration.type} ${property} is not a JSON string`);
    return JSON.parse(raw as string) as Record<string, unknown>;
}

describe("examples under Pulumi mocks", function () {
    // The first example to run loads @pulumi/aws (about 1 s).
    this.timeout(20000);
    afterEach(resetExamples);

    describe("read-outputs", () => {
        const PROJECT = "braket-read-outputs";
        const ARN = "arn:aws:braket:us-east-1:123456789012:job/5d3f0b8e-7a2c-4f61-9e0d-2b7c4a1e8f93";
        const S3 = "s3://amazon-braket-us-east-1-123456789012/jobs/vqe-h2-sto3g/data";

        function mocks(extra: Partial<GetJobResponseLike> = {}) {
            return {
                getJob: (inputs: Record<string, unknown>) => {
                    const withQueueInfo =
                        Array.isArray(inputs.additionalAttributeNames) && inputs.additionalAttributeNames.includes("QueueInfo");
                    const position = extra.status === "QUEUED" ? "3" : "None";
                    return hybridJobResult(
                        getJobResponse(String(inputs.jobArn), "vqe-h2-sto3g", S3, {
                            ...(withQueueInfo ? { queueInfo: { queue: "JOBS_QUEUE", position } } : {}),
                            ...extra,
                        }),
                    );
                },
            };
        }

        it("exports the status, S3 locations and hyperparameters of the job named in stack config", async () => {
            const { exports, run } = await runExample<Exports>(
                "read-outputs",
                PROJECT,
                { jobArn: ARN },
                mocks({
                    checkpointConfig: { s3Uri: "s3://amazon-braket-us-east-1-123456789012/jobs/vqe-h2-sto3g/checkpoints" },
                    hyperParameters: { shots: "1000", ansatz: "uccsd" },
                }),
            );
            assert.equal(await valueOf(exports.status), "COMPLETED");
            // The name is the job's, not anything taken from the ARN (which ends in a UUID).
            assert.equal(await valueOf(exports.jobName), "vqe-h2-sto3g");
            assert.equal(await valueOf(exports.outputS3Path), S3);
            assert.equal(await valueOf(exports.resultsS3Uri), `${S3}/output/model.tar.gz`);
            assert.equal(await valueOf(exports.checkpointS3Uri), "s3://amazon-braket-us-east-1-123456789012/jobs/vqe-h2-sto3g/checkpoints");
            assert.deepEqual(await valueOf(exports.hyperParameters), { shots: "1000", ansatz: "uccsd" });
            // The Promise form (an async function awaiting getHybridJob).
            assert.equal(
                await valueOf(exports.summary),
                `vqe-h2-sto3g COMPLETED at 2026-11-28T09:27:05.000Z; results at ${S3}/output/model.tar.gz`,
            );
            assert.equal(await valueOf(exports.queuePosition), "None");

            // The Output form, the Promise form and the QueueInfo read: under mocks no plugin shares any.
            assert.equal(run.calls.length, 3);
            for (const call of run.calls) {
                assert.equal(call.token, TOKEN);
                assert.deepEqual(
                    call.inputs,
                    call.inputs.additionalAttributeNames ? { jobArn: ARN, additionalAttributeNames: ["QueueInfo"] } : { jobArn: ARN },
                );
            }
        });

        it("exports null and {} for a job without checkpoints or hyperparameters, and a failed job's reason", async () => {
            const { exports } = await runExample<Exports>(
                "read-outputs",
                PROJECT,
                { jobArn: ARN },
                mocks({ status: "FAILED", failureReason: "AlgorithmError: ValueError: graph has no edges" }),
            );
            assert.equal(await valueOf(exports.status), "FAILED");
            assert.equal(await valueOf(exports.checkpointS3Uri), null);
            assert.deepEqual(await valueOf(exports.hyperParameters), {});
            assert.equal(await valueOf(exports.summary), "vqe-h2-sto3g ended FAILED: AlgorithmError: ValueError: graph has no edges");
        });

        it("exports a queued job's position, read with QueueInfo and depending on its dependsOn component", async () => {
            const queued = mocks({ status: "QUEUED", startedAt: undefined, endedAt: undefined });
            const { exports, run } = await runExample<Exports>("read-outputs", PROJECT, { jobArn: ARN }, queued);
            const details = await outputDetails(exports.queuePosition);
            await settle();
            assert.equal(details.value, "3");
            assert.equal(await valueOf(exports.summary), `vqe-h2-sto3g is QUEUED; its results will be at ${S3}/output/model.tar.gz`);
            const prerequisites = run.one("braket-examples:index:Prerequisites");
            assert.equal(prerequisites.custom, false);
            // What is built from the result depends on the component (and so on what it contains).
            const dependencyUrns = await Promise.all(details.resources.map((r) => valueOf(r.urn)));
            assert.deepEqual(dependencyUrns, [prerequisites.urn]);
            // Only the dependsOn read asks for QueueInfo; the Output and Promise forms ask for the job alone.
            const queueReads = run.calls.filter((c) => c.inputs.additionalAttributeNames !== undefined);
            assert.deepEqual(
                queueReads.map((c) => c.inputs),
                [{ jobArn: ARN, additionalAttributeNames: ["QueueInfo"] }],
            );
            const plainReads = run.calls.filter((c) => c.inputs.additionalAttributeNames === undefined);
            assert.ok(plainReads.length > 0);
            assert.ok(plainReads.every((c) => JSON.stringify(c.inputs) === JSON.stringify({ jobArn: ARN })));
        });

        it("stops with Pulumi's message when jobArn is not set", async () => {
            await assert.rejects(
                runExample("read-outputs", PROJECT, {}, mocks()),
                /Missing required configuration variable 'braket-read-outputs:jobArn'/,
            );
        });
    });

    describe("lookup-many", () => {
        const PROJECT = "braket-lookup-many";
        const A = "arn:aws:braket:us-east-1:123456789012:job/5d3f0b8e-7a2c-4f61-9e0d-2b7c4a1e8f93";
        const B = "arn:aws:braket:us-east-1:123456789012:job/0c7d2e91-4b3a-4e5f-a6d8-91b0c2f3e4a5";
        const C = "arn:aws:braket:us-west-2:123456789012:job/e6f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b";
        const JOBS: Record<string, GetJobResponseLike> = {
            [A]: getJobResponse(A, "vqe-h2-sto3g", "s3://amazon-braket-us-east-1-123456789012/jobs/vqe-h2-sto3g/data"),
            [B]: getJobResponse(B, "qaoa-maxcut-p3", "s3://amazon-braket-us-east-1-123456789012/jobs/qaoa-maxcut-p3/data", {
                status: "FAILED",
                failureReason: "AlgorithmError: ValueError: graph has no edges",
                endedAt: "2026-11-28T10:05:52Z",
            }),
            [C]: getJobResponse(C, "ankaa-benchmark", "s3://amazon-braket-us-west-2-123456789012/jobs/ankaa-benchmark/data", {
                status: "RUNNING",
                endedAt: undefined,
            }),
        };
        const mocks = {
            getJob: (inputs: Record<string, unknown>) => {
                const job = JOBS[String(inputs.jobArn)];
                assert.ok(job, `no mocked job ${String(inputs.jobArn)}`);
                return hybridJobResult(job);
            },
        };

        it("reads each distinct job once, however often it is listed, and exports one row per job", async () => {
            const { exports, run } = await runExample<Exports>("lookup-many", PROJECT, { jobArns: [A, B, A, C, B, A] }, mocks);
            const rows = await valueOf(exports.jobs);
            await settle();
            const perArn = new Map<unknown, number>();
            for (const call of run.calls) {
                assert.equal(call.token, TOKEN);
                assert.deepEqual(call.inputs, { jobArn: call.inputs.jobArn });
                perArn.set(call.inputs.jobArn, (perArn.get(call.inputs.jobArn) ?? 0) + 1);
            }
            assert.deepEqual(Object.fromEntries(perArn), { [A]: 1, [B]: 1, [C]: 1 });

            assert.deepEqual(rows, [
                {
                    jobArn: A,
                    jobName: "vqe-h2-sto3g",
                    status: "COMPLETED",
                    resultsS3Uri: "s3://amazon-braket-us-east-1-123456789012/jobs/vqe-h2-sto3g/data/output/model.tar.gz",
                    endedAt: "2026-11-28T09:27:05.000Z",
                },
                {
                    jobArn: B,
                    jobName: "qaoa-maxcut-p3",
                    status: "FAILED",
                    resultsS3Uri: "s3://amazon-braket-us-east-1-123456789012/jobs/qaoa-maxcut-p3/data/output/model.tar.gz",
                    endedAt: "2026-11-28T10:05:52.000Z",
                },
                {
                    jobArn: C,
                    jobName: "ankaa-benchmark",
                    status: "RUNNING",
                    resultsS3Uri: "s3://amazon-braket-us-west-2-123456789012/jobs/ankaa-benchmark/data/output/model.tar.gz",
                    endedAt: null,
                },
            ]);
            assert.deepEqual(await valueOf(exports.countByStatus), { RUNNING: 1, COMPLETED: 1, FAILED: 1 });
            assert.equal(await valueOf(exports.allCompleted), false);
            assert.equal(exports.requested, 6);
            assert.equal(exports.distinct, 3);
        });

        it("says allCompleted when every job listed has completed", async () => {
            const { exports, run } = await runExample<Exports>("lookup-many", PROJECT, { jobArns: [A, A] }, mocks);
            assert.equal(await valueOf(exports.allCompleted), true);
            assert.deepEqual(await valueOf(exports.countByStatus), { COMPLETED: 1 });
            assert.equal(run.calls.length, 1);
        });

        it("refuses an empty list of ARNs", async () => {
            await assert.rejects(
                runExample("lookup-many", PROJECT, { jobArns: [] }, mocks),
                /braket-lookup-many:jobArns must be a non-empty list/,
            );
        });
    });

    describe("gate-deployment", () => {
        const PROJECT = "braket-gate-deployment";
        const ARN = "arn:aws:braket:us-east-1:123456789012:job/7e2b4c6d-8f0a-4b1c-9d3e-5f7a9b1c3d5e";
        const S3 = "s3://amazon-braket-us-east-1-123456789012/jobs/qml-classifier-v7/data";
        const RESULTS = `${S3}/output/model.tar.gz`;
        const noLookups = { getJob: () => assert.fail("gate-deployment reads the job through its gate only") };

        async function gated(run: ExampleRun): Promise<{ gate: Registration; copy: Registration; fn: Registration }> {
            await settle();
            return {
                gate: run.one(GATE_TYPE),
                copy: run.one("aws:s3/objectCopy:ObjectCopy"),
                fn: run.one("aws:lambda/function:Function"),
            };
        }

        it("copies the model and deploys the function with the job's results, after the gate passed", async () => {
            const { exports, run } = await runExample<Exports>(
                "gate-deployment",
                PROJECT,
                { jobArn: ARN, timeoutSeconds: "3600" },
                {
                    ...noLookups,
                    state: async (args) => {
                        if (args.type === GATE_TYPE) {
                            // The gate takes a while: nothing gated may start before it is done.
                            await new Promise((resolve) => setTimeout(resolve, 30));
                            return hybridJobCompletionState(getJobResponse(String(args.inputs.jobArn), "qml-classifier-v7", S3));
                        }
                        return awsState(args);
                    },
                },
            );
            assert.equal(await valueOf(exports.modelUri), RESULTS);
            const { gate, copy, fn } = await gated(run);

            // The inputs given, and only those: the gate's outputs come from its state.
            assert.deepEqual(gate.inputs, { jobArn: ARN, timeoutSeconds: 3600, maxIntervalSeconds: 60 });
            assert.deepEqual(gate.secretInputs, []);
            // The copy's source is <bucket>/<key> of the job's results; its target the serving bucket.
            assert.equal(copy.inputs.source, "amazon-braket-us-east-1-123456789012/jobs/qml-classifier-v7/data/output/model.tar.gz");
            assert.equal(copy.inputs.bucket, "serving-4f2a9c1");
            assert.equal(copy.inputs.key, "models/qml-classifier-v7/model.tar.gz");
            const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
            assert.equal(variables.MODEL_URI, RESULTS);
            assert.equal(variables.SERVING_MODEL_URI, "s3://serving-4f2a9c1/models/qml-classifier-v7/model.tar.gz");
            assert.equal(variables.TRAINED_BY, ARN);

            // Gated: registered only once the gate's creation returned, and depending on it.
            assert.ok(gate.urn && gate.finished !== undefined);
            for (const dependant of [copy, fn]) {
                assert.ok(dependant.started > gate.finished, `${dependant.type} started before the gate finished`);
                assert.ok(dependant.dependencies.includes(gate.urn), `${dependant.type} does not depend on the gate`);
            }
            // Not gated: the serving bucket is created while the gate waits.
            assert.ok(run.one("aws:s3/bucket:Bucket").started < gate.finished, "the serving bucket waited for the gate");

            assert.equal(await valueOf(exports.jobStatus), "COMPLETED");
            assert.equal(await valueOf(exports.servingModelUri), "s3://serving-4f2a9c1/models/qml-classifier-v7/model.tar.gz");
            assert.equal(await valueOf(exports.functionName), "serve-4f2a9c1");
        });

        // The gate's creation failing as the plugin's does, with the plugin's messages.
        const failures = [
            {
                what: "the job FAILED",
                error: () =>
                    new Error(
                        `Hybrid job qml-classifier-v7 (${ARN}) ended FAILED: AlgorithmError: RuntimeError: loss became NaN at epoch 3, exit code: 1.`,
                    ),
                message: /Hybrid job qml-classifier-v7 \(arn:aws:braket:.*\) ended FAILED: AlgorithmError: RuntimeError: loss became NaN/,
            },
            {
                what: "the wait timed out",
                error: () =>
                    new Error(
                        `Hybrid job train-model (${ARN}) was still RUNNING when the wait's timeout of 3600 s passed. Raise the timeout (timeoutSeconds, or --timeout), or check the job's queue and progress in the Braket console.`,
                    ),
                message: /was still RUNNING when the wait's timeout of 3600 s passed/,
            },
        ];
        for (const failure of failures) {
            it(`creates nothing gated, and fails with the gate's error, when ${failure.what}`, async () => {
                const unhandled = collectUnhandledRejections();
                try {
                    const { exports, run } = await runExample<Exports>(
                        "gate-deployment",
                        PROJECT,
                        { jobArn: ARN },
                        {
                            ...noLookups,
                            state: (args) => {
                                if (args.type === GATE_TYPE) {
                                    throw failure.error();
                                }
                                return awsState(args);
                            },
                        },
                    );
                    // The gate's outputs carry its error; the gated resources are never created, so
                    // their outputs (servingModelUri, functionName) never resolve.
                    await assert.rejects(outputDetails(exports.modelUri), failure.message);
                    await assert.rejects(outputDetails(exports.jobStatus), failure.message);
                    // Not settle(): registrations waiting on outputs of never-created resources (the
                    // policy on the model copy) never end. Give anything still due time to show up.
                    await new Promise((resolve) => setTimeout(resolve, 100));

                    const gate = run.one(GATE_TYPE);
                    assert.match(String((gate.error as Error | undefined)?.message), failure.message);
                    assert.deepEqual(run.ofType("aws:s3/objectCopy:ObjectCopy"), []);
                    assert.deepEqual(run.ofType("aws:lambda/function:Function"), []);
                    // The model's read permission names the copy's key, so it is not created either.
                    assert.deepEqual(
                        run.ofType("aws:iam/rolePolicy:RolePolicy").map((r) => r.name),
                        [],
                        "a policy on the model copy was created",
                    );
                    for (const reason of unhandled.reasons) {
                        assert.match(String((reason as Error | undefined)?.message ?? reason), failure.message);
                    }
                } finally {
                    unhandled.stop();
                }
            });
        }
    });

    describe("pipeline-wiring", () => {
        const PROJECT = "braket-pipeline-wiring";
        const ARN = "arn:aws:braket:us-west-2:123456789012:job/e6f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b";
        const BUCKET = "amazon-braket-us-west-2-123456789012";

        async function wire(s3Path: string) {
            const { exports, run } = await runExample<Exports>(
                "pipeline-wiring",
                PROJECT,
                { jobArn: ARN },
                { getJob: (inputs) => hybridJobResult(getJobResponse(String(inputs.jobArn), "ankaa-benchmark", s3Path)), state: awsState },
            );
            const machineArn = await valueOf(exports.stateMachineArn);
            await settle();
            return { exports, run, machineArn };
        }

        it("puts the results URI in SSM and the output prefix in the state machine, in the job's region", async () => {
            const { exports, run, machineArn } = await wire(`s3://${BUCKET}/jobs/ankaa-benchmark/data`);
            assert.deepEqual(
                run.calls.map((c) => [c.token, c.inputs.jobArn]),
                [[TOKEN, ARN]],
            );

            const parameter = run.one("aws:ssm/parameter:Parameter");
            assert.equal(parameter.inputs.name, "/braket/jobs/ankaa-benchmark/results-uri");
            assert.equal(parameter.inputs.value, `s3://${BUCKET}/jobs/ankaa-benchmark/data/output/model.tar.gz`);
            assert.equal(parameter.inputs.type, "String");
            assert.equal(await valueOf(exports.resultsParameterName), "/braket/jobs/ankaa-benchmark/results-uri");

            const machine = run.one("aws:sfn/stateMachine:StateMachine");
            assert.equal(machineArn, "arn:aws:states:us-west-2:123456789012:stateMachine:postprocess-4f2a9c1");
            const states = jsonInput(machine, "definition").States as Record<
                string,
                { Resource?: string; Parameters: Record<string, unknown> }
            >;
            assert.equal(states.ListOutputs.Resource, "arn:aws:states:::aws-sdk:s3:listObjectsV2");
            assert.deepEqual(states.ListOutputs.Parameters, { Bucket: BUCKET, Prefix: "jobs/ankaa-benchmark/data/" });
            assert.equal(states.CheckResults.Resource, "arn:aws:states:::aws-sdk:s3:headObject");
            assert.deepEqual(states.CheckResults.Parameters, { Bucket: BUCKET, Key: "jobs/ankaa-benchmark/data/output/model.tar.gz" });
            assert.equal(states.Describe.Parameters.resultsS3Uri, `s3://${BUCKET}/jobs/ankaa-benchmark/data/output/model.tar.gz`);
            assert.equal(states.Describe.Parameters.outputS3Path, `s3://${BUCKET}/jobs/ankaa-benchmark/data`);
            const machineRole = run.ofType("aws:iam/role:Role").find((r) => r.name === "postprocess");
            assert.equal(machine.inputs.roleArn, `arn:aws:iam::123456789012:role/${machineRole?.name}-4f2a9c1`);

            // The state machine may read the job's output prefix, and only that.
            const readPolicy = run.ofType("aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "postprocess-read-output");
            assert.ok(readPolicy);
            const statements = jsonInput(readPolicy, "policy").Statement as { Action: string; Resource: string; Condition?: unknown }[];
            assert.deepEqual(
                statements.map((s) => [s.Action, s.Resource, s.Condition]),
                [
                    ["s3:ListBucket", `arn:aws:s3:::${BUCKET}`, { StringLike: { "s3:prefix": "jobs/ankaa-benchmark/data/*" } }],
                    ["s3:GetObject", `arn:aws:s3:::${BUCKET}/jobs/ankaa-benchmark/data/*`, undefined],
                ],
            );

            // Braket's COMPLETED event for this job starts the state machine.
            const rule = run.one("aws:cloudwatch/eventRule:EventRule");
            assert.deepEqual(jsonInput(rule, "eventPattern"), {
                source: ["aws.braket"],
                "detail-type": ["Braket Job State Change"],
                detail: { jobArn: [ARN], status: ["COMPLETED"] },
            });
            const target = run.one("aws:cloudwatch/eventTarget:EventTarget");
            assert.equal(target.inputs.arn, machineArn);
            assert.equal(target.inputs.rule, "job-completed-4f2a9c1");
            assert.equal(target.inputs.roleArn, "arn:aws:iam::123456789012:role/start-postprocess-4f2a9c1");

            // Everything regional goes to the job's region (the ARN's), not the provider's default.
            for (const registration of [parameter, machine, rule, target]) {
                assert.equal(registration.inputs.region, "us-west-2", `${registration.type} is not in the job's region`);
            }
        });

        it("reads the whole bucket when the job writes at the bucket's root", async () => {
            const { run } = await wire(`s3://${BUCKET}`);
            const states = jsonInput(run.one("aws:sfn/stateMachine:StateMachine"), "definition").States as Record<
                string,
                { Parameters: Record<string, unknown> }
            >;
            assert.deepEqual(states.ListOutputs.Parameters, { Bucket: BUCKET, Prefix: "" });
            assert.deepEqual(states.CheckResults.Parameters, { Bucket: BUCKET, Key: "output/model.tar.gz" });
            const readPolicy = run.ofType("aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "postprocess-read-output");
            assert.ok(readPolicy);
            const statements = jsonInput(readPolicy, "policy").Statement as { Resource: string }[];
            assert.equal(statements[1].Resource, `arn:aws:s3:::${BUCKET}/*`);
            assert.equal(run.one("aws:ssm/parameter:Parameter").inputs.value, `s3://${BUCKET}/output/model.tar.gz`);
        });
    });
});
