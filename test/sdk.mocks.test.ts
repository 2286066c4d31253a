/**
 * The generated SDK under Pulumi's mocks (pulumi.runtime.setMocks), as a user's unit tests meet it.
 * No plugin runs under mocks: what reaches the mocks, and what comes back from them, is the SDK's and
 * Pulumi's doing alone. pulumi-braket/testing (provider/testing.ts) gives mocks the plugin's answers.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { BraketClient, paginateSearchJobs, type JobSummary } from "@aws-sdk/client-braket";
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";
import { parseProviderConfig } from "../provider/config";
import { startBraketEmulator, type BraketEmulator } from "../provider/emulator";
import { BraketJobError, HybridJobArgumentError } from "../provider/errors";
import { getHybridJobs as pluginGetHybridJobs } from "../provider/getHybridJob";
import { unwrapProperties, wrapProperties } from "../provider/propertyValues";
import {
    hybridJobCompletionState,
    hybridJobResult,
    hybridJobsResult,
    type GetJobResponseLike,
    type HybridJobsQuery,
    type JobSummaryLike,
} from "../provider/testing";
import type { GetHybridJobsResult } from "../provider/types";
import { AwsTestEnvironment, fixtureJobs, TEST_CREDENTIALS } from "./support/emulator";
import { jobSeries } from "./support/jobSeries";
import { PROVIDER_SIGNAL } from "./support/lookup";
import { collectUnhandledRejections, outputDetails, resetPulumiRuntime } from "./support/outputs";

const TOKEN = "braket:index:getHybridJob";
const LIST_TOKEN = "braket:index:getHybridJobs";
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

const SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1";
const FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1";
const jobArnOf = (id: string, region = "us-east-1") => `arn:aws:braket:${region}:123456789012:job/00000000-0000-4000-8000-${id}`;

/** A SearchJobs job summary as the AWS SDK gives it: Date timestamps. */
function summary(
    id: string,
    jobName: string,
    status: string,
    createdAt: string,
    extra: Partial<JobSummary> & { region?: string } = {},
): JobSummary {
    const { region, ...rest } = extra;
    const created = new Date(createdAt);
    return {
        jobArn: jobArnOf(id, region),
        jobName,
        status: status as JobSummary["status"],
        device: SV1,
        createdAt: created,
        ...(status === "QUEUED" ? {} : { startedAt: new Date(created.getTime() + 60_000) }),
        ...(["COMPLETED", "FAILED", "CANCELLED"].includes(status) ? { endedAt: new Date(created.getTime() + 3_600_000) } : {}),
        ...rest,
    };
}

// The account's jobs, in no order: a nightly run of one name (two of them created at the same
// moment), another job on a QPU, and the same name in another region.
const NIGHTLY_1 = summary("000000000001", "nightly-train", "COMPLETED", "2026-11-27T02:00:00Z");
const NIGHTLY_2B = summary("0000000000b2", "nightly-train", "FAILED", "2026-11-28T02:00:00Z");
const NIGHTLY_2A = summary("0000000000a2", "nightly-train", "COMPLETED", "2026-11-28T02:00:00Z");
const NIGHTLY_3 = summary("000000000003", "nightly-train", "RUNNING", "2026-11-29T02:00:00Z");
const QPU_RUN = summary("000000000004", "qaoa-forte", "COMPLETED", "2026-11-29T03:00:00Z", { device: FORTE, tags: { team: "qaoa" } });
const WEST_RUN = summary("000000000005", "nightly-train", "COMPLETED", "2026-11-30T02:00:00Z", { region: "us-west-2" });
const ACCOUNT_JOBS: JobSummary[] = [NIGHTLY_2B, QPU_RUN, NIGHTLY_1, WEST_RUN, NIGHTLY_3, NIGHTLY_2A];
const arnsOf = (...jobs: JobSummary[]) => jobs.map((j) => j.jobArn as string);

/** What a mock of getHybridJobs returns: a plugin-shaped answer. */
function mockedList(jobs: JobSummary[], region = "us-east-1"): GetHybridJobsResult {
    return hybridJobsResult(jobs, { region });
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

    describe("getHybridJobs under Pulumi mocks", () => {
        it("sends the Output form to the call braket:index:getHybridJobs with every filter under its schema name (camelCase), plain", async () => {
            const m = await useMocks({ call: (args) => hybridJobsResult(ACCOUNT_JOBS, args.inputs) });
            const list = braket.getHybridJobsOutput({
                jobName: "nightly-train",
                statuses: [braket.HybridJobStatus.Completed, "FAILED"],
                device: SV1,
                createdAfter: "2026-11-01",
                createdBefore: pulumi.output("2026-12-01T00:00:00Z"),
                createdAt: {
                    operator: braket.HybridJobCreatedAtOperator.Between,
                    values: ["2026-11-01T00:00:00Z", pulumi.output("2026-11-30T00:00:00Z")],
                },
                maxResults: 2,
                region: "us-east-1",
            });
            const { value, isKnown, isSecret } = await outputDetails(list);
            assert.deepEqual([isKnown, isSecret], [true, false]);
            assert.deepEqual(
                m.calls.map((c) => [c.token, c.provider]),
                [[LIST_TOKEN, ""]],
            );
            // Outputs among the arguments (nested ones too) reach the mock as their values.
            assert.deepEqual(m.calls[0].inputs, {
                jobName: "nightly-train",
                statuses: ["COMPLETED", "FAILED"],
                device: SV1,
                createdAfter: "2026-11-01",
                createdBefore: "2026-12-01T00:00:00Z",
                createdAt: { operator: "BETWEEN", values: ["2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z"] },
                maxResults: 2,
                region: "us-east-1",
            });
            // The mock's answer as it is; hybridJobsResult applied the filters and the cap as the plugin does.
            assert.deepEqual(value, hybridJobsResult(ACCOUNT_JOBS, m.calls[0].inputs));
            assert.deepEqual(value?.jobArns, arnsOf(NIGHTLY_2A, NIGHTLY_2B));
            assert.deepEqual([value?.matchCount, value?.truncated, value?.region], [3, true, "us-east-1"]);
            // The result's members as Outputs of their own, typed.
            const first: braket.types.output.HybridJobSummary | undefined = (await valueOf(list.jobs))?.[0];
            assert.equal(first?.createdAt, "2026-11-28T02:00:00.000Z");
            assert.equal(first?.endedAt, "2026-11-28T03:00:00.000Z");
            assert.equal(first?.status, braket.HybridJobStatus.Completed);
            assert.equal(await valueOf(list.matchCount), 3);
        });

        it("sends the Promise form to the same call, only the arguments given; no arguments at all is an empty call", async () => {
            const m = await useMocks({ call: () => mockedList(ACCOUNT_JOBS) });
            const list: braket.GetHybridJobsResult = await braket.getHybridJobs({ jobName: "nightly-train" });
            await braket.getHybridJobs();
            assert.deepEqual(
                m.calls.map((c) => [c.token, c.inputs]),
                [
                    [LIST_TOKEN, { jobName: "nightly-train" }],
                    [LIST_TOKEN, {}],
                ],
            );
            // What the mock returned, whatever was asked: no plugin filters under mocks.
            assert.deepEqual(list, mockedList(ACCOUNT_JOBS));
            assert.deepEqual(list.jobArns, arnsOf(QPU_RUN, NIGHTLY_3, NIGHTLY_2A, NIGHTLY_2B, NIGHTLY_1));
            assert.deepEqual(list.jobs[0].tags, { team: "qaoa" });
            assert.equal(list.jobs[1].status, "RUNNING");
            assert.equal(list.jobs[1].endedAt, undefined);
        });

        it("fans out: the newest ARN of a list into getHybridJob and a gate, which wait for the list", async () => {
            const m = await useMocks({
                call: (args) =>
                    args.token === LIST_TOKEN
                        ? hybridJobsResult(ACCOUNT_JOBS, { ...args.inputs, region: args.inputs.region ?? "us-east-1" })
                        : hybridJobResult({ ...mockedJob(args.inputs.jobArn), jobName: "nightly-train" }),
                state: (args) =>
                    args.type === GATE_TYPE
                        ? hybridJobCompletionState({ ...mockedJob(args.inputs.jobArn), jobName: "nightly-train" })
                        : undefined,
            });
            const list = braket.getHybridJobsOutput({ jobName: "nightly-train", statuses: ["COMPLETED"] });
            const newest = list.jobArns.apply((arns) => arns[0]);
            const job = braket.getHybridJobOutput({ jobArn: newest });
            const gate = new braket.HybridJobCompletion("newest", { jobArn: newest });
            assert.equal(await valueOf(job.jobArn), NIGHTLY_2A.jobArn);
            assert.equal(await valueOf(gate.jobArn), NIGHTLY_2A.jobArn);
            assert.equal(await valueOf(gate.jobName), "nightly-train");
            assert.equal(m.log[0], `call ${LIST_TOKEN}`);
            assert.deepEqual(
                m.calls.map((c) => [c.token, c.inputs]),
                [
                    [LIST_TOKEN, { jobName: "nightly-train", statuses: ["COMPLETED"] }],
                    [TOKEN, { jobArn: NIGHTLY_2A.jobArn }],
                ],
            );
            assert.deepEqual(
                m.resources.map((r) => [r.type, r.inputs]),
                [[GATE_TYPE, { jobArn: NIGHTLY_2A.jobArn }]],
            );
        });

        it("makes no call and gives an unknown list while a filter is unknown in a preview", async () => {
            const m = await useMocks({ preview: true });
            const source = new Bucket("source");
            const list = braket.getHybridJobsOutput({ jobName: source.id.apply(() => "nightly-train") });
            assert.equal((await outputDetails(list.jobArns)).isKnown, false);
            assert.equal(m.calls.length, 0);
        });
    });

    describe("name lookups under Pulumi mocks: jobName instead of jobArn", () => {
        /** A mock standing in for the plugin: SearchJobs over the account's jobs, then GetJob of the one chosen. */
        function byName(args: pulumi.runtime.MockCallArgs | pulumi.runtime.MockResourceArgs): string {
            const found = hybridJobsResult(ACCOUNT_JOBS, { ...args.inputs, region: args.inputs.region ?? "us-east-1" });
            assert.ok(found.matchCount === 1 || args.inputs.mostRecent === true, "several match and mostRecent is not set");
            return found.jobArns[0];
        }

        it("getHybridJob with jobName, statuses and mostRecent sends exactly those (no jobArn)", async () => {
            const m = await useMocks({ call: (args) => hybridJobResult({ ...mockedJob(byName(args)), jobName: args.inputs.jobName }) });
            const job = await braket.getHybridJob({
                jobName: "nightly-train",
                statuses: [braket.HybridJobStatus.Completed],
                mostRecent: true,
            });
            assert.deepEqual(
                m.calls.map((c) => [c.token, c.inputs]),
                [[TOKEN, { jobName: "nightly-train", statuses: ["COMPLETED"], mostRecent: true }]],
            );
            assert.equal(Object.prototype.hasOwnProperty.call(m.calls[0].inputs, "jobArn"), false);
            assert.equal(job.jobArn, NIGHTLY_2A.jobArn);
            assert.equal(job.jobName, "nightly-train");
            assert.equal(job.resultsS3Uri, "s3://results/vqe-h2/output/model.tar.gz");
        });

        it("getHybridJobOutput sends the time window and the device, and mostRecent: false as false", async () => {
            const m = await useMocks({ call: (args) => hybridJobResult(mockedJob(byName(args))) });
            const job = braket.getHybridJobOutput({
                jobName: "nightly-train",
                createdAfter: "2026-11-28T12:00:00+01:00",
                createdBefore: pulumi.output("2026-11-30"),
                device: SV1,
                mostRecent: false,
                region: "us-east-1",
            });
            assert.equal(await valueOf(job.jobArn), NIGHTLY_3.jobArn);
            assert.deepEqual(m.calls[0].inputs, {
                jobName: "nightly-train",
                createdAfter: "2026-11-28T12:00:00+01:00",
                createdBefore: "2026-11-30",
                device: SV1,
                mostRecent: false,
                region: "us-east-1",
            });
        });

        it("HybridJobCompletion with jobName registers those inputs (no jobArn); its jobArn is the state's, the job found", async () => {
            const m = await useMocks({
                state: (args) =>
                    args.type === GATE_TYPE
                        ? hybridJobCompletionState({ ...mockedJob(byName(args)), jobName: args.inputs.jobName })
                        : undefined,
            });
            const gate = new braket.HybridJobCompletion("nightly", {
                jobName: "nightly-train",
                statuses: ["COMPLETED", "FAILED"],
                mostRecent: true,
                timeoutSeconds: 600,
            });
            assert.equal(await valueOf(gate.jobArn), NIGHTLY_2A.jobArn);
            assert.equal(await valueOf(gate.jobName), "nightly-train");
            assert.equal(await valueOf(gate.resultsS3Uri), "s3://results/vqe-h2/output/model.tar.gz");
            assert.deepEqual(
                m.resources.map((r) => [r.type, r.name, r.inputs]),
                [
                    [
                        GATE_TYPE,
                        "nightly",
                        { jobName: "nightly-train", statuses: ["COMPLETED", "FAILED"], mostRecent: true, timeoutSeconds: 600 },
                    ],
                ],
            );
        });

        it("registers a gate with neither jobArn nor jobName: the SDK requires neither, the plugin's check refuses it", async () => {
            const m = await useMocks();
            const gate = new braket.HybridJobCompletion("nothing", {});
            await outputDetails(gate.urn);
            assert.deepEqual(
                m.resources.map((r) => [r.type, r.inputs]),
                [[GATE_TYPE, {}]],
            );
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

describe("pulumi-braket/testing's hybridJobsResult: SearchJobs's job summaries as getHybridJobs answers them", () => {
    it("maps each summary as the plugin does (Dates to ISO-8601 UTC strings), newest first then by ARN, jobArns in the same order", () => {
        const given = [...ACCOUNT_JOBS];
        const list = hybridJobsResult(given, { jobName: "nightly-train", region: "us-east-1" });
        assert.deepEqual(list.jobArns, arnsOf(NIGHTLY_3, NIGHTLY_2A, NIGHTLY_2B, NIGHTLY_1));
        assert.deepEqual(
            list.jobs.map((j) => j.jobArn),
            list.jobArns,
        );
        assert.deepEqual([list.matchCount, list.truncated, list.region], [4, false, "us-east-1"]);
        // Exactly the members the summary has, the timestamps as the plugin writes them.
        assert.deepEqual(list.jobs[0], {
            createdAt: "2026-11-29T02:00:00.000Z",
            device: SV1,
            jobArn: NIGHTLY_3.jobArn,
            jobName: "nightly-train",
            startedAt: "2026-11-29T02:01:00.000Z",
            status: "RUNNING",
        });
        assert.equal(list.jobs[1].endedAt, "2026-11-28T03:00:00.000Z");
        // The summaries given are left as they were.
        assert.deepEqual(given, ACCOUNT_JOBS);
        assert.ok(NIGHTLY_3.createdAt instanceof Date);
        // Timestamps as the API's JSON (strings) or epoch milliseconds give the same.
        const asText: JobSummaryLike = {
            ...NIGHTLY_3,
            createdAt: "2026-11-29T03:00:00+01:00",
            startedAt: Date.parse("2026-11-29T02:01:00Z"),
        };
        assert.deepEqual(hybridJobsResult([asText]).jobs, [list.jobs[0]]);
    });

    it("applies the call's filters and the cap as the plugin does: statuses, device, the time window, createdAt, maxResults", () => {
        const listed = (query: HybridJobsQuery) => hybridJobsResult(ACCOUNT_JOBS, { region: "us-east-1", ...query }).jobArns;
        assert.deepEqual(listed({ statuses: ["COMPLETED"] }), arnsOf(QPU_RUN, NIGHTLY_2A, NIGHTLY_1));
        assert.deepEqual(listed({ device: FORTE }), arnsOf(QPU_RUN));
        // Strictly after midnight UTC of the date; strictly before.
        assert.deepEqual(
            listed({ jobName: "nightly-train", createdAfter: "2026-11-28", createdBefore: "2026-11-29T02:00:00Z" }),
            arnsOf(NIGHTLY_2A, NIGHTLY_2B),
        );
        // BETWEEN is inclusive.
        assert.deepEqual(
            listed({ createdAt: { operator: "BETWEEN", values: ["2026-11-29T02:00:00Z", "2026-11-27T02:00:00Z"] } }),
            arnsOf(NIGHTLY_3, NIGHTLY_2A, NIGHTLY_2B, NIGHTLY_1),
        );
        assert.deepEqual(listed({ createdAt: { operator: "EQUAL", values: ["2026-11-28T02:00:00Z"] } }), arnsOf(NIGHTLY_2A, NIGHTLY_2B));
        const capped = hybridJobsResult(ACCOUNT_JOBS, { region: "us-east-1", maxResults: 2 });
        assert.deepEqual([capped.jobArns, capped.matchCount, capped.truncated], [arnsOf(QPU_RUN, NIGHTLY_3), 5, true]);
        // Arguments the helper has no use for (profile, endpoint) change nothing.
        assert.deepEqual(listed({ profile: "ci", endpoint: "http://127.0.0.1:1" }), listed({}));

        // Without maxResults, at most 100, as the plugin.
        const many = Array.from({ length: 150 }, (_, i) =>
            summary(
                String(i).padStart(12, "0"),
                "hourly-sweep",
                "COMPLETED",
                new Date(Date.parse("2026-11-01T00:00:00Z") + i * 3_600_000).toISOString(),
            ),
        );
        const hourly = hybridJobsResult(many);
        assert.deepEqual([hourly.jobs.length, hourly.matchCount, hourly.truncated], [100, 150, true]);
        assert.equal(hourly.jobArns[0], many[149].jobArn);
        assert.equal(hourly.jobArns[99], many[50].jobArn);
        assert.equal(hybridJobsResult(many, { maxResults: 150 }).truncated, false);
    });

    it("takes the region from the query, else from the jobs' ARNs; lists only that region's jobs; says so when it cannot tell", () => {
        assert.deepEqual(hybridJobsResult(ACCOUNT_JOBS, { region: "us-west-2" }).jobArns, arnsOf(WEST_RUN));
        assert.equal(hybridJobsResult([WEST_RUN]).region, "us-west-2");
        assert.deepEqual(hybridJobsResult(ACCOUNT_JOBS, { region: "eu-north-1" }), {
            jobs: [],
            jobArns: [],
            matchCount: 0,
            truncated: false,
            region: "eu-north-1",
        });
        assert.throws(
            () => hybridJobsResult(ACCOUNT_JOBS, { jobName: "nightly-train" }),
            /needs the region searched.*several \(us-east-1, us-west-2\).*region: args\.inputs\.region \?\? "us-east-1"/,
        );
        assert.throws(
            () => hybridJobsResult([]),
            /needs the region searched: the query has no region, and there are no jobs to take it from/,
        );
    });

    it("refuses a summary that breaks the model, naming it, as the plugin refuses a SearchJobs page", () => {
        const refused = (jobs: unknown[], pattern: RegExp) =>
            assert.throws(
                () => hybridJobsResult(jobs as JobSummaryLike[], { region: "us-east-1" }),
                (err: Error) => {
                    assert.ok(err instanceof BraketJobError, String(err));
                    assert.match(
                        err.message,
                        /^SearchJobs for hybrid jobs .* in region us-east-1 returned a page that does not match the Braket model/,
                    );
                    assert.match(err.message, pattern);
                    assert.match(err.message, /if this comes from a Pulumi mock/);
                    return true;
                },
            );
        const { device: _device, ...noDevice } = NIGHTLY_1;
        refused([NIGHTLY_2A, noDevice], /jobs\[1\] lacks device/);
        refused([{ ...NIGHTLY_1, status: "DONE" }], /jobs\[0\]\.status is "DONE"/);
        refused([{ ...NIGHTLY_1, createdAt: "yesterday" }], /jobs\[0\]\.createdAt is "yesterday", which is not a timestamp/);
        refused([{ ...NIGHTLY_1, jobArn: "nightly-train" }], /jobs\[0\]\.jobArn/);
    });

    describe("against the plugin, for the same jobs (the local Braket endpoint)", function () {
        this.timeout(60000);
        const env = new AwsTestEnvironment();
        let emu: BraketEmulator;
        // Two series whose runs share creation times (ties are ordered by ARN), and more jobs than the default cap.
        const nightly = jobSeries({
            name: "nightly-train",
            statuses: ["COMPLETED", "FAILED", "COMPLETED", "CANCELLED", "COMPLETED", "RUNNING"],
        });
        const west = jobSeries({ name: "nightly-train", statuses: ["COMPLETED", "QUEUED"], region: "us-west-2" });
        const forte = jobSeries({
            name: "qaoa-forte",
            statuses: ["COMPLETED", "FAILED"],
            device: FORTE,
            firstCreatedAt: "2026-11-02T02:00:00Z",
        });
        const hourly = jobSeries({
            name: "hourly-sweep",
            statuses: Array.from({ length: 130 }, (_, i) => (i % 7 === 3 ? "FAILED" : "COMPLETED")),
            everyHours: 1,
        });
        const createdAt = (i: number) => String(nightly[i].createdAt);

        async function pluginList(args: Record<string, unknown>): Promise<GetHybridJobsResult> {
            const result = await pluginGetHybridJobs(unwrapProperties(wrapProperties(args, [])), parseProviderConfig({}), PROVIDER_SIGNAL);
            return result.values as unknown as GetHybridJobsResult;
        }

        /** Every job summary of the account, as the AWS SDK's SearchJobs gives them, region by region. */
        async function accountSummaries(): Promise<JobSummary[]> {
            const out: JobSummary[] = [];
            for (const region of ["us-east-1", "us-west-2"]) {
                const client = new BraketClient({ endpoint: emu.endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
                try {
                    for await (const page of paginateSearchJobs({ client, pageSize: 100 }, { filters: [] })) {
                        out.push(...(page.jobs ?? []));
                    }
                } finally {
                    client.destroy();
                }
            }
            return out;
        }

        before(async () => {
            emu = await startBraketEmulator({
                jobs: [...fixtureJobs(), ...nightly, ...west, ...forte, ...hourly],
                credentials: [TEST_CREDENTIALS],
            });
            env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_REGION: "us-east-1" });
        });
        after(async () => {
            env.restore();
            await emu.close();
        });

        it("gives what the plugin's getHybridJobs gives, for every kind of filter, the cap and the region", async () => {
            const account = await accountSummaries();
            assert.equal(account.length, fixtureJobs().length + nightly.length + west.length + forte.length + hourly.length);
            assert.ok(account.every((j) => j.createdAt instanceof Date));
            const queries: Record<string, unknown>[] = [
                {},
                { maxResults: 10000 },
                { jobName: "nightly-train" },
                { jobName: "nightly-train", maxResults: 2 },
                { jobName: "nightly-train", region: "us-west-2" },
                { statuses: ["COMPLETED", "CANCELLED"], maxResults: 500 },
                { device: FORTE },
                { createdAfter: "2026-11-03", createdBefore: "2026-11-05T03:00:00+01:00", maxResults: 1000 },
                { jobName: "nightly-train", createdAt: { operator: "BETWEEN", values: [createdAt(1), createdAt(3)] } },
                { createdAt: { operator: "EQUAL", values: [createdAt(0), createdAt(5)] } },
                { createdAt: { operator: "LTE", values: [createdAt(1)] }, statuses: ["FAILED"] },
                { jobName: "no-such-job" },
            ];
            for (const query of queries) {
                const plugin = await pluginList(query);
                // The plugin took AWS_REGION; a mock passes the region it stands for.
                const helper = hybridJobsResult(account, { ...query, region: query.region ?? "us-east-1" });
                assert.deepEqual(helper, plugin, JSON.stringify(query));
            }
            // The comparison covered ties, the cap and the other region.
            const all = await pluginList({});
            assert.deepEqual([all.jobs.length, all.truncated], [100, true]);
            assert.equal((await pluginList({ jobName: "nightly-train", region: "us-west-2" })).region, "us-west-2");
        });

        it("refuses the arguments the plugin refuses, with the plugin's error and message", async () => {
            const bad: Record<string, unknown>[] = [
                { statuses: ["DONE"] },
                { statuses: [] },
                { jobName: "nightly train" },
                { createdAfter: "2026-11-28T02:00" },
                { createdAfter: "2026-11-05", createdBefore: "2026-11-01" },
                { createdAt: { operator: "CONTAINS", values: ["2026-11-01"] } },
                { createdAt: { operator: "BETWEEN", values: ["2026-11-01"] } },
                { device: "" },
                { maxResults: 0 },
                { maxResults: 10001 },
                { maxResults: 2.5 },
                { region: "Mars" },
            ];
            const searches = emu.stats.byOperation.SearchJobs ?? 0;
            for (const query of bad) {
                let pluginError: HybridJobArgumentError | undefined;
                await assert.rejects(pluginList({ region: "us-east-1", ...query }), (err: Error) => {
                    assert.ok(err instanceof HybridJobArgumentError, `${JSON.stringify(query)}: ${err}`);
                    pluginError = err;
                    return true;
                });
                assert.throws(
                    () => hybridJobsResult([], { region: "us-east-1", ...query }),
                    (err: Error) => {
                        assert.ok(err instanceof HybridJobArgumentError, `${JSON.stringify(query)}: ${err}`);
                        assert.equal(err.message, pluginError?.message);
                        assert.equal(err.argument, pluginError?.argument);
                        return true;
                    },
                );
            }
            assert.equal(emu.stats.byOperation.SearchJobs ?? 0, searches, "the plugin refused them before any request");
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
