import { strict as assert } from "node:assert";
import { BraketJobError } from "../provider/errors";
import { GET_JOB_MEMBERS, joinS3, parseS3Location, toHybridJobResult } from "../provider/mapping";

const ARN = "arn:aws:braket:us-east-1:123456789012:job/1c9f4a52-0b7e-4a8e-9d35-2f6a7c1e8b40";

/** A GetJob response as the AWS SDK returns it: Date objects, every member set. */
function sdkResponse(): Record<string, unknown> {
    return {
        $metadata: { httpStatusCode: 200, requestId: "r-1" },
        status: "COMPLETED",
        jobArn: ARN,
        roleArn: "arn:aws:iam::123456789012:role/service-role/AmazonBraketJobsExecutionRole",
        failureReason: undefined,
        jobName: "qaoa-training",
        hyperParameters: { p: "2", shots: "1000" },
        inputDataConfig: [
            { channelName: "input", contentType: "application/json", dataSource: { s3DataSource: { s3Uri: "s3://data/in/" } } },
        ],
        outputDataConfig: { s3Path: "s3://amazon-braket-results/jobs/qaoa-training/", kmsKeyId: "alias/braket" },
        stoppingCondition: { maxRuntimeInSeconds: 3600 },
        checkpointConfig: { s3Uri: "s3://amazon-braket-results/jobs/qaoa-training/checkpoints", localPath: "/opt/jobs/checkpoints" },
        algorithmSpecification: {
            scriptModeConfig: { entryPoint: "qaoa.main:run", s3Uri: "s3://src/source.tar.gz", compressionType: "GZIP" },
        },
        instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 30, instanceCount: 1 },
        createdAt: new Date("2026-11-28T10:00:00Z"),
        startedAt: new Date("2026-11-28T10:02:03.456Z"),
        endedAt: new Date("2026-11-28T11:00:00Z"),
        billableDuration: 3477,
        deviceConfig: { device: "arn:aws:braket:::device/quantum-simulator/amazon/sv1" },
        events: [{ eventType: "COMPLETED", message: "done", timeOfEvent: new Date("2026-11-28T11:00:00Z") }],
        tags: { team: "ml" },
        queueInfo: { queue: "JOBS_QUEUE", position: "None", message: "not queued" },
        associations: [{ arn: "arn:aws:braket:us-east-1:123456789012:reservation/r-1", type: "RESERVATION_TIME_WINDOW_ARN" }],
    };
}

describe("mapping a GetJob response to the result", () => {
    it("keeps every GetJob member under its API name, timestamps as ISO strings", () => {
        const result = toHybridJobResult(sdkResponse());
        const expected = sdkResponse();
        for (const member of GET_JOB_MEMBERS) {
            if (member === "failureReason") continue;
            assert.ok(member in result, `result lacks ${member}`);
        }
        assert.equal(result.createdAt, "2026-11-28T10:00:00.000Z");
        assert.equal(result.startedAt, "2026-11-28T10:02:03.456Z");
        assert.equal(result.events?.[0].timeOfEvent, "2026-11-28T11:00:00.000Z");
        assert.deepEqual(result.hyperParameters, expected.hyperParameters);
        assert.deepEqual(result.instanceConfig, expected.instanceConfig);
        assert.deepEqual(result.associations, expected.associations);
        assert.ok(!("$metadata" in result), "SDK metadata must not leak into the result");
        assert.ok(!("failureReason" in result), "absent optional members stay absent");
    });

    it("covers exactly the model's GetJobResponse members", () => {
        assert.deepEqual([...GET_JOB_MEMBERS].sort(), [
            "algorithmSpecification",
            "associations",
            "billableDuration",
            "checkpointConfig",
            "createdAt",
            "deviceConfig",
            "endedAt",
            "events",
            "failureReason",
            "hyperParameters",
            "inputDataConfig",
            "instanceConfig",
            "jobArn",
            "jobName",
            "outputDataConfig",
            "queueInfo",
            "roleArn",
            "startedAt",
            "status",
            "stoppingCondition",
            "tags",
        ]);
    });

    it("is plain JSON data", () => {
        const result = toHybridJobResult(sdkResponse());
        assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
    });

    it("derives the wiring conveniences", () => {
        const r = toHybridJobResult(sdkResponse());
        assert.equal(r.outputS3Path, "s3://amazon-braket-results/jobs/qaoa-training/");
        assert.equal(r.resultsS3Uri, "s3://amazon-braket-results/jobs/qaoa-training/output/model.tar.gz");
        assert.equal(r.outputS3Bucket, "amazon-braket-results");
        assert.equal(r.outputS3KeyPrefix, "jobs/qaoa-training");
        assert.equal(r.resultsS3Key, "jobs/qaoa-training/output/model.tar.gz");
        assert.equal(r.checkpointS3Uri, "s3://amazon-braket-results/jobs/qaoa-training/checkpoints");
        assert.equal(r.checkpointS3Bucket, "amazon-braket-results");
        assert.equal(r.checkpointS3KeyPrefix, "jobs/qaoa-training/checkpoints");
        assert.equal(r.region, "us-east-1");
        assert.equal(r.accountId, "123456789012");
        assert.equal(r.partition, "aws");
        assert.equal(r.isTerminal, true);
    });

    it("marks only COMPLETED, FAILED and CANCELLED as terminal", () => {
        for (const [status, terminal] of [
            ["QUEUED", false],
            ["RUNNING", false],
            ["CANCELLING", false],
            ["COMPLETED", true],
            ["FAILED", true],
            ["CANCELLED", true],
        ] as const) {
            assert.equal(toHybridJobResult({ ...sdkResponse(), status }).isTerminal, terminal, status);
        }
    });

    it("is idempotent: a result mapped again is the same result, its conveniences recomputed", () => {
        const once = toHybridJobResult(sdkResponse());
        assert.deepEqual(toHybridJobResult(once), once);
        const tampered = { ...once, resultsS3Uri: "s3://wrong/place", isTerminal: false };
        assert.deepEqual(toHybridJobResult(tampered), once);
    });

    it("refuses a response missing required members: nothing half-read", () => {
        const partial = sdkResponse();
        delete partial.outputDataConfig;
        delete partial.createdAt;
        assert.throws(
            () => toHybridJobResult(partial),
            (err: Error) => err instanceof BraketJobError && /outputDataConfig, createdAt missing/.test(err.message),
        );
        assert.throws(() => toHybridJobResult(null), BraketJobError);
        assert.throws(() => toHybridJobResult({ ...sdkResponse(), createdAt: "yesterday" }), /not a timestamp/);
    });

    it("splits every S3Path form the model allows", () => {
        assert.deepEqual(parseS3Location("s3://b/k/p"), { bucket: "b", key: "k/p" });
        assert.deepEqual(parseS3Location("s3://b"), { bucket: "b", key: "" });
        assert.deepEqual(parseS3Location("https://my-bucket.s3.us-west-2.amazonaws.com/a/b/"), { bucket: "my-bucket", key: "a/b/" });
        assert.deepEqual(parseS3Location("https://s3.us-west-2.amazonaws.com/my-bucket/a"), { bucket: "my-bucket", key: "a" });
        assert.equal(parseS3Location("http://x/y"), undefined);
        assert.equal(joinS3("s3://b/p//", "/output/model.tar.gz"), "s3://b/p/output/model.tar.gz");
        const https = toHybridJobResult({
            ...sdkResponse(),
            outputDataConfig: { s3Path: "https://res.s3.us-east-1.amazonaws.com/jobs/x/" },
        });
        assert.equal(https.resultsS3Uri, "https://res.s3.us-east-1.amazonaws.com/jobs/x/output/model.tar.gz");
        assert.equal(https.outputS3Bucket, "res");
        assert.equal(https.resultsS3Key, "jobs/x/output/model.tar.gz");
        const bucketOnly = toHybridJobResult({ ...sdkResponse(), outputDataConfig: { s3Path: "s3://res" } });
        assert.equal(bucketOnly.resultsS3Uri, "s3://res/output/model.tar.gz");
        assert.equal(bucketOnly.resultsS3Key, "output/model.tar.gz");
    });

    it("refuses another job's answer when it knows the ARN asked for: a gate never passes on another job", () => {
        const other = "arn:aws:braket:us-east-1:123456789012:job/ffffffff-0b7e-4a8e-9d35-2f6a7c1e8b40";
        assert.equal(toHybridJobResult(sdkResponse(), { expectedJobArn: ARN }).jobArn, ARN);
        assert.throws(
            () => toHybridJobResult({ ...sdkResponse(), jobArn: other }, { expectedJobArn: ARN }),
            (err: Error) =>
                err instanceof BraketJobError && /returned another job \(arn:.*ffffffff/.test(err.message) && err.message.includes(ARN),
        );
        // A secret ARN: neither ARN is shown.
        assert.throws(
            () => toHybridJobResult({ ...sdkResponse(), jobArn: other }, { requestedArn: "[secret]", expectedJobArn: ARN }),
            (err: Error) =>
                /GetJob for \[secret\] returned another job:/.test(err.message) &&
                !err.message.includes("ffffffff") &&
                !err.message.includes(ARN),
        );
    });

    it("refuses a status that is not a string, or not in the model's enum, naming it", () => {
        for (const status of [5, true, { value: "COMPLETED" }, ["COMPLETED"]]) {
            assert.throws(
                () => toHybridJobResult({ ...sdkResponse(), status }),
                (err: Error) =>
                    err instanceof BraketJobError &&
                    /status is (a number|a boolean|an object|a list) .*not a string \(the model's JobPrimaryStatus\)/.test(err.message),
                JSON.stringify(status),
            );
        }
        for (const status of ["DONE", "completed", "COMPLETED ", ""]) {
            assert.throws(
                () => toHybridJobResult({ ...sdkResponse(), status }),
                (err: Error) =>
                    err instanceof BraketJobError &&
                    err.message.includes(
                        `the status ${JSON.stringify(status)}, which is not one of the model's (QUEUED, RUNNING, COMPLETED, FAILED, CANCELLING, CANCELLED)`,
                    ),
                status,
            );
        }
    });

    it("checks every member's type against the model's shapes, naming the member", () => {
        const cases: [Record<string, unknown>, RegExp][] = [
            [{ billableDuration: "3477" }, /billableDuration is a string \("3477"\), not an integer \(the model's Integer\)/],
            [{ billableDuration: 1.5 }, /billableDuration is a number \(1\.5\), not an integer/],
            [{ jobName: 42 }, /jobName is a number \(42\), not a string/],
            [
                { instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: "30" } },
                /instanceConfig\.volumeSizeInGb is a string \("30"\), not an integer/,
            ],
            [{ instanceConfig: "ml.m5.large" }, /instanceConfig is a string .*not a structure \(the model's InstanceConfig\)/],
            [{ hyperParameters: { p: 2 } }, /hyperParameters\["p"\] is a number \(2\), not a string/],
            [{ hyperParameters: ["p"] }, /hyperParameters is a list .*not a map/],
            [{ tags: "team=ml" }, /tags is a string .*not a map/],
            [{ events: { eventType: "RUNNING" } }, /events is an object .*not a list/],
            [{ events: [{ eventType: "RUNNING", message: 7 }] }, /events\[0\]\.message is a number \(7\), not a string/],
            [
                { inputDataConfig: [{ channelName: "in", dataSource: { s3DataSource: { s3Uri: false } } }] },
                /inputDataConfig\[0\]\.dataSource\.s3DataSource\.s3Uri is a boolean/,
            ],
            [{ startedAt: "soon" }, /startedAt is "soon", which is not a timestamp/],
            [{ failureReason: { text: "x".repeat(500) } }, /failureReason is an object \(\{"text":"x+… \(\d+ characters\)\), not a string/],
        ];
        for (const [change, said] of cases) {
            assert.throws(
                () => toHybridJobResult({ ...sdkResponse(), ...change }),
                (err: Error) => err instanceof BraketJobError && said.test(err.message) && /Nothing was returned/.test(err.message),
                `${JSON.stringify(change).slice(0, 60)} → expected ${said}`,
            );
        }
        // Enum values other than the status are the service's to extend: a new instance type is not refused.
        assert.equal(
            toHybridJobResult({ ...sdkResponse(), instanceConfig: { instanceType: "ml.future.xlarge", volumeSizeInGb: 1 } }).instanceConfig
                .instanceType,
            "ml.future.xlarge",
        );
    });

    it("keeps hyperparameters and tags named __proto__ or constructor as data, not as the prototype", () => {
        const hyperParameters = JSON.parse('{"__proto__": "evil", "constructor": "c", "toString": "t", "p": "2"}') as Record<
            string,
            string
        >;
        const tags = JSON.parse('{"__proto__": "team"}') as Record<string, string>;
        const result = toHybridJobResult({ ...sdkResponse(), hyperParameters, tags });
        for (const map of [result.hyperParameters, result.tags] as Record<string, unknown>[]) {
            assert.equal(Object.getPrototypeOf(map), Object.prototype, "a plain object");
        }
        const hp = result.hyperParameters as Record<string, unknown>;
        assert.deepEqual(Object.keys(hp), ["__proto__", "constructor", "toString", "p"]);
        assert.equal(Object.getOwnPropertyDescriptor(hp, "__proto__")?.value, "evil");
        assert.equal(Object.getOwnPropertyDescriptor(result.tags, "__proto__")?.value, "team");
        assert.equal(JSON.stringify(result.tags), '{"__proto__":"team"}');
        assert.equal(JSON.parse(JSON.stringify(result)).hyperParameters.constructor, "c");
        // Mapped again (a result, or the plugin's answer unwrapped): the same.
        assert.equal(JSON.stringify(toHybridJobResult(result)), JSON.stringify(result));
    });

    it("keeps the service's text as data: a failureReason with escape sequences or a '::' line is returned as sent", () => {
        const failureReason = "AlgorithmError: \u001b[31mboom\u001b[0m\n::error::pwned";
        const result = toHybridJobResult({ ...sdkResponse(), status: "FAILED", failureReason });
        assert.equal(result.failureReason, failureReason, "results are data; messages and output are made safe where printed");
    });
});
