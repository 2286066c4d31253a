/**
 * The invoke getHybridJob as the plugin runs it (test/support/lookup.ts: arguments marshalled as
 * the engine sends them, the provider's settings as Configure parses them): the real AWS SDK client
 * against the local Braket endpoint over HTTP.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { connectionCount, destroyConnections } from "../provider/clients";
import {
    BraketCredentialsError,
    BraketUnavailableError,
    HybridJobAccessDeniedError,
    HybridJobArgumentError,
    HybridJobNotFoundError,
    HybridJobThrottledError,
} from "../provider/errors";
import { requestCounters } from "../provider/hybridJob";
import { GET_JOB_MEMBERS, toHybridJobResult } from "../provider/mapping";
import { ManualClock, type BraketEmulator } from "../provider/emulator";
import { AwsTestEnvironment, fixtureJob, startFixtureEmulator, TEST_CREDENTIALS } from "./support/emulator";
import { lookUp, pluginSignal } from "./support/lookup";

const FULL = fixtureJob("qaoa-maxcut-forte");
const QUEUED = fixtureJob("qaoa-maxcut-queued");
const WEST = fixtureJob("ankaa-benchmark-usw2");
const RUNNING = fixtureJob("grover-search-running");
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
        const job = await lookUp({ jobArn: FULL.jobArn });
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

    it("asks the job's own region whatever AWS_REGION says; the call's region beats the provider's, which beats the ARN's", async () => {
        const job = await lookUp({ jobArn: WEST.jobArn });
        assert.equal(job.region, "us-west-2");
        const notInEast = (err: unknown) => {
            assert.ok(err instanceof HybridJobNotFoundError);
            assert.equal(err.region, "us-east-1");
            assert.match(err.message, /in region us-east-1/);
            assert.match(err.message, /wrong region\?/);
            return true;
        };
        await assert.rejects(lookUp({ jobArn: WEST.jobArn, region: "us-east-1" }), notInEast);
        // The provider's region (braket:region) beats the ARN's…
        await assert.rejects(lookUp({ jobArn: WEST.jobArn }, { region: "us-east-1" }), notInEast);
        // …and the call's own region beats the provider's.
        const asked = await lookUp({ jobArn: WEST.jobArn, region: "us-west-2" }, { region: "us-east-1" });
        assert.equal(asked.jobName, WEST.jobName);
        await assert.rejects(lookUp({ jobArn: WEST.jobArn, region: "us-east-1" }, { region: "us-west-2" }), notInEast);
    });

    it("uses AWS_ENDPOINT_URL_BRAKET from the SDK's own resolution; the provider's endpoint beats it, the call's beats both", async () => {
        assert.equal((await lookUp({ jobArn: FULL.jobArn })).status, "COMPLETED");
        process.env.AWS_ENDPOINT_URL_BRAKET = "http://127.0.0.1:9"; // nothing listens there
        destroyConnections();
        const viaArg = await lookUp({ jobArn: FULL.jobArn, endpoint: emu.endpoint });
        assert.equal(viaArg.status, "COMPLETED");
        // RUNNING: never reused from an earlier read, so every lookup below is a request where it says.
        const viaProvider = await lookUp({ jobArn: RUNNING.jobArn }, { endpoint: emu.endpoint });
        assert.equal(viaProvider.status, "RUNNING");
        const overProvider = await lookUp({ jobArn: RUNNING.jobArn, endpoint: emu.endpoint }, { endpoint: "http://127.0.0.1:9" });
        assert.equal(overProvider.status, "RUNNING");
        assert.equal(emu.stats.byOperation.GetJob, 4);
        await assert.rejects(
            lookUp({ jobArn: RUNNING.jobArn, endpoint: "http://127.0.0.1:9" }, { endpoint: emu.endpoint, maxRetries: 0 }),
            BraketUnavailableError,
        );
        assert.equal(emu.stats.byOperation.GetJob, 4, "the call's endpoint was asked, not the provider's");
        process.env.AWS_ENDPOINT_URL_BRAKET = emu.endpoint;
    });

    it("signs with the named profile from shared config: the call's, else the provider's (braket:profile), else the SDK's chain", async () => {
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
        const noSuchProfile = (err: unknown) => err instanceof BraketCredentialsError && /profile "no-such-profile"/.test(err.message);
        try {
            const job = await lookUp({ jobArn: FULL.jobArn, profile: "braket-ci" });
            assert.equal(job.jobName, "qaoa-maxcut-forte");
            await assert.rejects(lookUp({ jobArn: QUEUED.jobArn, profile: "no-such-profile" }), noSuchProfile);
            // Without a profile argument or setting, and no credentials in the environment: none at all.
            await assert.rejects(lookUp({ jobArn: WEST.jobArn }), BraketCredentialsError);
            // The provider's profile (stack config braket:profile, through Configure).
            const viaProvider = await lookUp({ jobArn: WEST.jobArn }, { profile: "braket-ci" });
            assert.equal(viaProvider.jobName, "ankaa-benchmark-usw2");
            await assert.rejects(lookUp({ jobArn: QUEUED.jobArn }, { profile: "no-such-profile" }), noSuchProfile);
            // The call's profile beats the provider's, both ways.
            const overProvider = await lookUp({ jobArn: QUEUED.jobArn, profile: "braket-ci" }, { profile: "no-such-profile" });
            assert.equal(overProvider.status, "QUEUED");
            await assert.rejects(lookUp({ jobArn: QUEUED.jobArn, profile: "no-such-profile" }, { profile: "braket-ci" }), noSuchProfile);
            // Neither: the SDK's chain, AWS_PROFILE included.
            process.env.AWS_PROFILE = "braket-ci";
            destroyConnections();
            const viaChain = await lookUp({ jobArn: QUEUED.jobArn });
            assert.equal(viaChain.status, "QUEUED");
        } finally {
            delete process.env.AWS_PROFILE;
            process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
            process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
        }
    });

    it("maps 404 to HybridJobNotFoundError naming the ARN, the region and what to check", async () => {
        await assert.rejects(lookUp({ jobArn: MISSING }), (err: unknown) => {
            assert.ok(err instanceof HybridJobNotFoundError);
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
        await assert.rejects(lookUp({ jobArn: FULL.jobArn }), (err: unknown) => {
            assert.ok(err instanceof HybridJobAccessDeniedError);
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
            await assert.rejects(lookUp({ jobArn: FULL.jobArn }), (err: unknown) => {
                assert.ok(err instanceof HybridJobAccessDeniedError, String(err));
                assert.ok(!err.message.includes("not-the-right-secret"));
                assert.ok(!err.message.includes(TEST_CREDENTIALS.accessKeyId));
                // The credentials, not a missing IAM permission.
                assert.match(err.message, /did not accept the request's credentials \(InvalidSignatureException\)/);
                assert.doesNotMatch(err.message, /needs the IAM permission/);
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
        const job = await lookUp({ jobArn: FULL.jobArn });
        assert.equal(job.status, "COMPLETED");
        assert.equal(emu.stats.byStatus["429"], 2);
        assert.equal(emu.stats.byStatus["200"], 1);
    });

    it("gives up after the SDK's attempts (braket:maxRetries) with HybridJobThrottledError or BraketUnavailableError, never forever", async () => {
        await emu.close();
        emu = await startFixtureEmulator({
            now: clock.now,
            faultFor: ({ requestNumber }) => (requestNumber <= 3 ? "throttle" : "serverError"),
        });
        process.env.AWS_ENDPOINT_URL_BRAKET = emu.endpoint;
        destroyConnections();
        await assert.rejects(lookUp({ jobArn: FULL.jobArn }, { maxRetries: 2 }), (err: unknown) => {
            assert.ok(err instanceof HybridJobThrottledError, String(err));
            assert.equal(err.attempts, 3);
            assert.match(err.message, /throttled after 3 attempts/);
            return true;
        });
        await assert.rejects(lookUp({ jobArn: FULL.jobArn }, { maxRetries: 2 }), (err: unknown) => {
            assert.ok(err instanceof BraketUnavailableError, String(err));
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
        await assert.rejects(lookUp({ jobArn: FULL.jobArn }, { maxRetries: 2 }), (err: unknown) => {
            assert.ok(err instanceof BraketUnavailableError, String(err));
            assert.match(err.message, /no answer/);
            return true;
        });
        assert.equal(emu.stats.requests, 3);
    });

    it("shares one request between identical lookups in flight, and reuses one client per target", async () => {
        const arn = FULL.jobArn as string;
        const results = await Promise.all(Array.from({ length: 10 }, () => lookUp({ jobArn: arn })));
        assert.equal(emu.stats.byOperation.GetJob, 1);
        for (const r of results) assert.deepEqual(r, results[0]);
        await Promise.all([lookUp({ jobArn: arn, additionalAttributeNames: ["QueueInfo"] }), lookUp({ jobArn: QUEUED.jobArn })]);
        assert.equal(emu.stats.byOperation.GetJob, 3, "different attributes or jobs are different requests");
        const running = await Promise.all(Array.from({ length: 5 }, () => lookUp({ jobArn: RUNNING.jobArn })));
        assert.equal(emu.stats.byOperation.GetJob, 4, "a job still running is shared while the read is in flight too");
        assert.ok(running.every((r) => r.status === "RUNNING"));
        assert.equal(connectionCount(), 1);
    });

    it("serves many concurrent lookups under the plugin's one signal without a MaxListenersExceededWarning", async () => {
        // The signal of a fresh plugin's server (Node warns once per signal), shared by every invoke as there.
        const signal = pluginSignal();
        const arns = Array.from(
            { length: 20 },
            (_, i) => `arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        );
        for (const [i, jobArn] of arns.entries()) emu.putJob({ ...RUNNING, jobArn, jobName: `concurrent-${i}` });
        const warnings: string[] = [];
        const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
        process.on("warning", onWarning);
        try {
            const jobs = await Promise.all(arns.map((jobArn) => lookUp({ jobArn }, {}, { signal })));
            assert.deepEqual(
                jobs.map((j) => j.jobName),
                arns.map((_, i) => `concurrent-${i}`),
            );
            await new Promise((r) => setImmediate(r));
        } finally {
            process.off("warning", onWarning);
        }
        assert.deepEqual(
            warnings.filter((w) => /MaxListeners/.test(w)),
            [],
        );
    });

    it("reuses a finished read only for a terminal job: a RUNNING job is read again, a COMPLETED one is not", async () => {
        const before = { ...requestCounters };
        const first = await lookUp({ jobArn: RUNNING.jobArn });
        const second = await lookUp({ jobArn: RUNNING.jobArn });
        assert.equal(first.status, "RUNNING");
        assert.equal(second.status, "RUNNING");
        assert.equal(emu.stats.byOperation.GetJob, 2, "a RUNNING job's read is not reused after it returned");
        const done = await lookUp({ jobArn: FULL.jobArn });
        const again = await lookUp({ jobArn: FULL.jobArn });
        assert.deepEqual(again, done);
        assert.equal(emu.stats.byOperation.GetJob, 3, "a COMPLETED job never changes: one request");
        assert.equal(requestCounters.getJob - before.getJob, 3);
        assert.equal(requestCounters.deduplicated - before.deduplicated, 1);
        // Only the identical lookup: other settings or attributes ask again.
        await lookUp({ jobArn: FULL.jobArn, additionalAttributeNames: ["QueueInfo"] });
        await lookUp({ jobArn: FULL.jobArn, region: "us-east-1" });
        assert.equal(emu.stats.byOperation.GetJob, 4, "the explicit region is the ARN's: the same lookup, reused");
        // A failed read is not kept.
        await assert.rejects(lookUp({ jobArn: MISSING }), HybridJobNotFoundError);
        await assert.rejects(lookUp({ jobArn: MISSING }), HybridJobNotFoundError);
        assert.equal(emu.stats.byOperation.GetJob, 6);
    });

    it("reads a job again while it runs, so a later lookup sees it finish; then reuses the terminal read", async () => {
        const arn = QUEUED.jobArn as string;
        clock.advanceSeconds(10);
        assert.equal((await lookUp({ jobArn: arn })).status, "RUNNING");
        clock.advanceSeconds(3600);
        assert.equal((await lookUp({ jobArn: arn })).status, "COMPLETED");
        assert.equal((await lookUp({ jobArn: arn })).status, "COMPLETED");
        assert.equal(emu.stats.byOperation.GetJob, 2, "read again while running, then reused once terminal");
    });

    it("follows the job's lifecycle and queue position", async () => {
        const arn = QUEUED.jobArn as string;
        const queued = await lookUp({ jobArn: arn, additionalAttributeNames: ["QueueInfo"] });
        assert.equal(queued.status, "QUEUED");
        assert.equal(queued.queueInfo?.queue, "JOBS_QUEUE");
        assert.ok(Number(queued.queueInfo?.position) > 0);
        assert.equal(queued.isTerminal, false);
        clock.advanceSeconds(10);
        const running = await lookUp({ jobArn: arn });
        assert.equal(running.status, "RUNNING");
        assert.ok(running.startedAt);
        assert.equal(running.queueInfo, undefined, "no queueInfo unless asked for");
        clock.advanceSeconds(3600);
        const done = await lookUp({ jobArn: arn });
        assert.equal(done.status, "COMPLETED");
        assert.ok(done.endedAt && done.billableDuration !== undefined);
        assert.equal(done.isTerminal, true);
    });

    it("refuses malformed input before any request", async () => {
        await assert.rejects(lookUp({ jobArn: "arn:aws:braket:us-east-1:123456789012:quantum-task/x" }), HybridJobArgumentError);
        await assert.rejects(lookUp({ jobArn: FULL.jobArn, additionalAttributeNames: ["Everything"] }), HybridJobArgumentError);
        assert.equal(emu.stats.requests, 0);
    });
});
