/**
 * getHybridJob in a plain Node process (no Pulumi engine, no mocks): the real AWS SDK client
 * against the local Braket endpoint over HTTP.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";
import { connectionCount, destroyConnections } from "../provider/clients";
import { GET_JOB_MEMBERS, toHybridJobResult } from "../provider/mapping";
import { ManualClock, type BraketEmulator } from "../provider/emulator";
import { AwsTestEnvironment, fixtureJob, startFixtureEmulator, TEST_CREDENTIALS } from "./support/emulator";

const FULL = fixtureJob("qaoa-maxcut-forte");
const QUEUED = fixtureJob("qaoa-maxcut-queued");
const WEST = fixtureJob("ankaa-benchmark-usw2");
const MISSING = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-000000000000";

describe("getHybridJob against the local Braket endpoint (real AWS SDK, real HTTP)", function () {
    this.timeout(20000);
    const env = new AwsTestEnvironment();
    let emu: BraketEmulator;
    let clock: ManualClock;

    beforeEach(async () => {
        clock = new ManualClock("2026-11-29T12:00:00.000Z");
        emu = await startFixtureEmulator({ now: clock.now, credentials: [TEST_CREDENTIALS] });
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint });
    });
    afterEach(async () => {
        destroyConnections();
        await emu.close();
    });
    after(() => env.restore());

    it("returns every GetJob member the service sent, under the API's names, plus the conveniences", async () => {
        const job = await braket.getHybridJob({ jobArn: FULL.jobArn as string });
        for (const member of GET_JOB_MEMBERS) {
            if (member === "queueInfo" || member === "failureReason") continue; // not sent for this job/request
            assert.ok(member in job, `missing ${member}`);
        }
        // What the service holds, mapped by the same pure function: nothing lost or altered on the wire.
        assert.deepEqual(job, toHybridJobResult(emu.getJob(FULL.jobArn as string)));
        assert.equal(job.createdAt, new Date(FULL.createdAt as string).toISOString());
        assert.deepEqual(job.hyperParameters, FULL.hyperParameters);
        assert.equal(job.resultsS3Uri, `${(FULL.outputDataConfig as { s3Path: string }).s3Path.replace(/\/$/, "")}/output/model.tar.gz`);
        assert.equal(job.isTerminal, true);
        assert.equal(emu.stats.byOperation.GetJob, 1);
    });

    it("asks the job's own region whatever AWS_REGION says, and honours an explicit region", async () => {
        const job = await braket.getHybridJob({ jobArn: WEST.jobArn as string });
        assert.equal(job.region, "us-west-2");
        await assert.rejects(braket.getHybridJob({ jobArn: WEST.jobArn as string, region: "us-east-1" }), (err: unknown) => {
            assert.ok(err instanceof braket.HybridJobNotFoundError);
            assert.equal(err.region, "us-east-1");
            assert.match(err.message, /in region us-east-1/);
            assert.match(err.message, /wrong region\?/);
            return true;
        });
    });

    it("uses AWS_ENDPOINT_URL_BRAKET from the SDK's own resolution, and an explicit endpoint over it", async () => {
        assert.equal((await braket.getHybridJob({ jobArn: FULL.jobArn as string })).status, "COMPLETED");
        process.env.AWS_ENDPOINT_URL_BRAKET = "http://127.0.0.1:9"; // nothing listens there
        destroyConnections();
        const viaArg = await braket.getHybridJob({ jobArn: FULL.jobArn as string, endpoint: emu.endpoint });
        assert.equal(viaArg.status, "COMPLETED");
        process.env.AWS_ENDPOINT_URL_BRAKET = emu.endpoint;
    });

    it("signs with the named profile from shared config, or the stack's aws:profile", async () => {
        // A file of its own: the SDK caches shared config files per path for the life of the process.
        const credentialsFile = path.join(env.dir, "credentials-profile-test");
        process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
        destroyConnections();
        fs.writeFileSync(
            credentialsFile,
            `[braket-ci]\naws_access_key_id = ${TEST_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${TEST_CREDENTIALS.secretAccessKey}\n`,
        );
        delete process.env.AWS_ACCESS_KEY_ID;
        delete process.env.AWS_SECRET_ACCESS_KEY;
        try {
            const job = await braket.getHybridJob({ jobArn: FULL.jobArn as string, profile: "braket-ci" });
            assert.equal(job.jobName, "qaoa-maxcut-forte");
            await assert.rejects(
                braket.getHybridJob({ jobArn: QUEUED.jobArn as string, profile: "no-such-profile" }),
                (err: unknown) => err instanceof braket.BraketCredentialsError && /profile "no-such-profile"/.test(err.message),
            );
            // Without a profile argument: the stack's aws:profile, as @pulumi/aws reads it.
            await assert.rejects(braket.getHybridJob({ jobArn: WEST.jobArn as string }), braket.BraketCredentialsError);
            pulumi.runtime.setConfig("aws:profile", "braket-ci");
            const viaStack = await braket.getHybridJob({ jobArn: WEST.jobArn as string });
            assert.equal(viaStack.jobName, "ankaa-benchmark-usw2");
        } finally {
            pulumi.runtime.setConfig("aws:profile", "");
            process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
            process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
        }
    });

    it("maps 404 to HybridJobNotFoundError naming the ARN, the region and what to check", async () => {
        await assert.rejects(braket.getHybridJob({ jobArn: MISSING }), (err: unknown) => {
            assert.ok(err instanceof braket.HybridJobNotFoundError);
            assert.equal(err.statusCode, 404);
            assert.equal(err.code, "ResourceNotFoundException");
            assert.ok(err.message.includes(MISSING));
            assert.match(err.message, /region us-east-1/);
            assert.ok(err.requestId, "the service's request id is kept for support");
            return true;
        });
    });

    it("maps 403 to HybridJobAccessDeniedError naming the braket:GetJob permission, without credentials in it", async () => {
        await emu.close();
        emu = await startFixtureEmulator({ now: clock.now, credentials: [{ ...TEST_CREDENTIALS, allow: ["braket:SearchJobs"] }] });
        process.env.AWS_ENDPOINT_URL_BRAKET = emu.endpoint;
        destroyConnections();
        await assert.rejects(braket.getHybridJob({ jobArn: FULL.jobArn as string }), (err: unknown) => {
            assert.ok(err instanceof braket.HybridJobAccessDeniedError);
            assert.equal(err.statusCode, 403);
            assert.match(err.message, /braket:GetJob/);
            assert.ok(!err.message.includes(TEST_CREDENTIALS.accessKeyId));
            assert.ok(!err.message.includes(TEST_CREDENTIALS.secretAccessKey));
            return true;
        });
    });

    it("refuses a wrongly signed request with a clear error that carries no secret", async () => {
        process.env.AWS_SECRET_ACCESS_KEY = "not-the-right-secret-0000000000000000000";
        destroyConnections();
        try {
            await assert.rejects(braket.getHybridJob({ jobArn: FULL.jobArn as string }), (err: unknown) => {
                assert.ok(err instanceof braket.HybridJobAccessDeniedError, String(err));
                assert.ok(!err.message.includes("not-the-right-secret"));
                assert.ok(!err.message.includes(TEST_CREDENTIALS.accessKeyId));
                return true;
            });
        } finally {
            process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
        }
    });

    it("rides out throttling with the SDK's own retries", async () => {
        let throttled = 0;
        await emu.close();
        emu = await startFixtureEmulator({ now: clock.now, faultFor: () => (throttled++ < 2 ? "throttle" : undefined) });
        process.env.AWS_ENDPOINT_URL_BRAKET = emu.endpoint;
        destroyConnections();
        const job = await braket.getHybridJob({ jobArn: FULL.jobArn as string });
        assert.equal(job.status, "COMPLETED");
        assert.equal(emu.stats.byStatus["429"], 2);
        assert.equal(emu.stats.byStatus["200"], 1);
    });

    it("gives up after the SDK's attempts with HybridJobThrottledError or BraketUnavailableError, never forever", async () => {
        await emu.close();
        emu = await startFixtureEmulator({
            now: clock.now,
            faultFor: ({ requestNumber }) => (requestNumber <= 3 ? "throttle" : "serverError"),
        });
        process.env.AWS_ENDPOINT_URL_BRAKET = emu.endpoint;
        destroyConnections();
        await assert.rejects(braket.getHybridJob({ jobArn: FULL.jobArn as string }), (err: unknown) => {
            assert.ok(err instanceof braket.HybridJobThrottledError, String(err));
            assert.equal(err.attempts, 3);
            assert.match(err.message, /throttled after 3 attempts/);
            return true;
        });
        await assert.rejects(braket.getHybridJob({ jobArn: FULL.jobArn as string }), (err: unknown) => {
            assert.ok(err instanceof braket.BraketUnavailableError, String(err));
            assert.equal(err.statusCode, 500);
            return true;
        });
        assert.equal(emu.stats.requests, 6);
    });

    it("reports a dropped connection as BraketUnavailableError after retrying", async () => {
        await emu.close();
        emu = await startFixtureEmulator({ now: clock.now, faultFor: () => "drop" });
        process.env.AWS_ENDPOINT_URL_BRAKET = emu.endpoint;
        destroyConnections();
        await assert.rejects(braket.getHybridJob({ jobArn: FULL.jobArn as string }), (err: unknown) => {
            assert.ok(err instanceof braket.BraketUnavailableError, String(err));
            assert.match(err.message, /no answer/);
            return true;
        });
        assert.equal(emu.stats.requests, 3);
    });

    it("shares one request between identical lookups in flight, and reuses one client per target", async () => {
        const arn = FULL.jobArn as string;
        const results = await Promise.all(Array.from({ length: 10 }, () => braket.getHybridJob({ jobArn: arn })));
        assert.equal(emu.stats.byOperation.GetJob, 1);
        assert.ok(results.every((r) => r === results[0]));
        await Promise.all([
            braket.getHybridJob({ jobArn: arn, additionalAttributeNames: ["QueueInfo"] }),
            braket.getHybridJob({ jobArn: QUEUED.jobArn as string }),
        ]);
        assert.equal(emu.stats.byOperation.GetJob, 3, "different attributes or jobs are different requests");
        assert.equal(connectionCount(), 1);
    });

    it("follows the job's lifecycle and queue position", async () => {
        const arn = QUEUED.jobArn as string;
        const queued = await braket.getHybridJob({ jobArn: arn, additionalAttributeNames: ["QueueInfo"] });
        assert.equal(queued.status, "QUEUED");
        assert.equal(queued.queueInfo?.queue, "JOBS_QUEUE");
        assert.ok(Number(queued.queueInfo?.position) > 0);
        assert.equal(queued.isTerminal, false);
        clock.advanceSeconds(10);
        const running = await braket.getHybridJob({ jobArn: arn });
        assert.equal(running.status, "RUNNING");
        assert.ok(running.startedAt);
        assert.equal(running.queueInfo, undefined, "no queueInfo unless asked for");
        clock.advanceSeconds(3600);
        const done = await braket.getHybridJob({ jobArn: arn });
        assert.equal(done.status, "COMPLETED");
        assert.ok(done.endedAt && done.billableDuration !== undefined);
        assert.equal(done.isTerminal, true);
    });

    it("refuses malformed input before any request", async () => {
        await assert.rejects(
            braket.getHybridJob({ jobArn: "arn:aws:braket:us-east-1:123456789012:quantum-task/x" }),
            braket.HybridJobArgumentError,
        );
        await assert.rejects(
            braket.getHybridJob({ jobArn: FULL.jobArn as string, additionalAttributeNames: ["Everything" as "QueueInfo"] }),
            braket.HybridJobArgumentError,
        );
        assert.equal(emu.stats.requests, 0);
    });
});
