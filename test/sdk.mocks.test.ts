import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";
import { outputDetails, resetPulumiRuntime } from "./support/outputs";

const ARN = "arn:aws:braket:us-east-1:123456789012:job/4b0c6f8e-2d1a-4f4e-8c7b-9a5d3e2f1c0b";

/** What a user's mock returns: a GetJob response, as the API has it (ISO timestamps). */
function mockedJob(jobArn: string) {
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
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Bucket", name, {}, opts);
    }
}

describe("getHybridJob under Pulumi mocks (pulumi.runtime.setMocks)", () => {
    let calls: pulumi.runtime.MockCallArgs[] = [];

    async function useMocks(preview: boolean): Promise<void> {
        calls = [];
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => ({ id: preview ? undefined : `${args.name}-id`, state: args.inputs }),
                call: (args) => {
                    calls.push(args);
                    return mockedJob(String(args.inputs.jobArn));
                },
            },
            "proj",
            "stack",
            preview,
        );
    }

    afterEach(resetPulumiRuntime);

    it("routes the Output form to the mocks' call with token braket:index:getHybridJob and the args", async () => {
        await useMocks(false);
        const job = braket.getHybridJobOutput({ jobArn: ARN, additionalAttributeNames: ["QueueInfo"] });
        const { value, isKnown, isSecret } = await outputDetails(job);
        assert.equal(isKnown, true);
        assert.equal(isSecret, false);
        assert.equal(calls.length, 1);
        assert.equal(calls[0].token, "braket:index:getHybridJob");
        assert.equal(braket.GET_HYBRID_JOB_TOKEN, "braket:index:getHybridJob");
        assert.deepEqual(calls[0].inputs, { jobArn: ARN, additionalAttributeNames: ["QueueInfo"] });
        assert.equal(value?.status, "COMPLETED");
        // The mock returned only the API's members; the conveniences are derived the same way as live.
        assert.equal(value?.resultsS3Uri, "s3://results/vqe-h2/output/model.tar.gz");
        assert.equal(value?.createdAt, "2026-11-29T08:00:00.000Z");
        assert.equal(value?.region, "us-east-1");
    });

    it("routes the Promise form to the same mocks' call", async () => {
        await useMocks(false);
        const job = await braket.getHybridJob({ jobArn: ARN });
        assert.equal(calls.length, 1);
        assert.equal(calls[0].token, braket.GET_HYBRID_JOB_TOKEN);
        assert.equal(job.jobName, "vqe-h2");
        assert.equal(job.outputS3Bucket, "results");
    });

    it("makes no call and gives an unknown result while jobArn is unknown in a preview", async () => {
        await useMocks(true);
        const jobArn = pulumi.output(pulumi.unknown) as pulumi.Output<string>;
        const job = braket.getHybridJobOutput({ jobArn });
        const details = await outputDetails(job.resultsS3Uri);
        assert.equal(details.isKnown, false);
        assert.equal(calls.length, 0);
    });

    it("gives a secret result for a secret input", async () => {
        await useMocks(false);
        const job = braket.getHybridJobOutput({ jobArn: pulumi.secret(ARN) });
        const details = await outputDetails(job.outputS3Path);
        assert.equal(details.isSecret, true);
        assert.equal(details.value, "s3://results/vqe-h2");
        assert.equal(calls.length, 1);
    });

    it("carries the inputs' resources and dependsOn's resources as dependencies", async () => {
        await useMocks(false);
        const source = new Bucket("source");
        const other = new Bucket("other");
        const jobArn = source.urn.apply(() => ARN);
        const job = braket.getHybridJobOutput({ jobArn }, { dependsOn: [other] });
        const details = await outputDetails(job);
        assert.equal(details.isKnown, true);
        assert.ok(details.resources.includes(source), "input's resource missing from dependencies");
        assert.ok(details.resources.includes(other), "dependsOn resource missing from dependencies");
    });

    it("waits for dependsOn: unknown, and no call, while a dependsOn resource is being created in a preview", async () => {
        await useMocks(true);
        const creating = new Bucket("creating");
        const job = braket.getHybridJobOutput({ jobArn: ARN }, { dependsOn: creating });
        const details = await outputDetails(job);
        assert.equal(details.isKnown, false);
        assert.equal(calls.length, 0);
    });

    it("shares one mocks call between identical lookups of a run, as a live run shares one request", async () => {
        await useMocks(false);
        const outputs = [braket.getHybridJobOutput({ jobArn: ARN }), braket.getHybridJobOutput({ jobArn: ARN })];
        const promised = await braket.getHybridJob({ jobArn: ARN });
        const values = await Promise.all(outputs.map(async (o) => (await outputDetails(o)).value));
        assert.equal(calls.length, 1);
        assert.deepEqual(values[0], promised);
        assert.deepEqual(values[1], promised);
        await braket.getHybridJob({ jobArn: ARN, additionalAttributeNames: ["QueueInfo"] });
        assert.equal(calls.length, 2, "other attributes are another lookup");
    });

    it("never answers a lookup with dependsOn from a read made before those resources were done", async () => {
        await useMocks(false);
        await outputDetails(braket.getHybridJobOutput({ jobArn: ARN }));
        const gate = new Bucket("gate");
        const after = [
            braket.getHybridJobOutput({ jobArn: ARN }, { dependsOn: [gate] }),
            braket.getHybridJobOutput({ jobArn: ARN }, { dependsOn: gate }),
        ];
        await Promise.all(after.map(outputDetails));
        assert.equal(calls.length, 2, "one read before the gate, one shared by the lookups after it");
    });

    it("refuses a provider option, which it could not honour", async () => {
        await useMocks(false);
        await assert.rejects(
            braket.getHybridJob({ jobArn: ARN }, { provider: {} as pulumi.ProviderResource }),
            (err: unknown) => err instanceof braket.HybridJobArgumentError && err.argument === "opts.provider",
        );
        assert.equal(calls.length, 0);
    });

    it("refuses a malformed ARN before calling the mocks", async () => {
        await useMocks(false);
        await assert.rejects(
            braket.getHybridJob({ jobArn: "arn:aws:braket:us-east-1:123456789012:device/x" }),
            braket.HybridJobArgumentError,
        );
        const job = braket.getHybridJobOutput({ jobArn: "not-an-arn" });
        await assert.rejects(outputDetails(job), /jobArn "not-an-arn" does not match the Braket JobArn pattern/);
        assert.equal(calls.length, 0);
    });

    it("refuses a mock that returns an incomplete job, naming what is missing", async () => {
        await pulumi.runtime.setMocks({
            newResource: (args) => ({ id: args.name, state: args.inputs }),
            call: () => ({ status: "COMPLETED", jobArn: ARN }),
        });
        await assert.rejects(braket.getHybridJob({ jobArn: ARN }), /incomplete job: roleArn, jobName, outputDataConfig/);
    });
});
