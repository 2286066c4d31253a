/**
 * The Braket emulator driven by the REAL @aws-sdk/client-braket over HTTP.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import {
    AccessDeniedException,
    CancelJobCommand,
    ConflictException,
    CreateJobCommand,
    GetJobCommand,
    InternalServiceException,
    ResourceNotFoundException,
    SearchJobsCommand,
    ThrottlingException,
    ValidationException,
    paginateSearchJobs,
    type BraketClient,
    type SearchJobsFilter,
} from "@aws-sdk/client-braket";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { loadJobsFile, ManualClock, SeedError, startBraketEmulator, type BraketEmulator, type EmulatorOptions } from "../provider/emulator";
import {
    ARN,
    FAKE_CREDENTIALS,
    JOBS_FILE,
    MISSING_ARN,
    UUID_RE,
    expectedBody,
    fixtureJob,
    fixtureJobs,
    makeClient,
    plain,
    rawRequest,
    signedRequest,
    sleep,
} from "./fixtures/emulator-helpers";

const T0 = "2026-11-29T12:00:00.000Z";
const JOB_ARN_PATTERN = "arn:aws[a-z\\-]*:braket:[a-z0-9\\-]+:[0-9]{12}:job/.*";

describe("Braket emulator (real @aws-sdk/client-braket)", function () {
    this.timeout(10000);
    let emu: BraketEmulator | undefined;
    const clients: BraketClient[] = [];
    let clock: ManualClock;

    async function start(opts: EmulatorOptions = {}): Promise<BraketEmulator> {
        clock = new ManualClock(T0);
        emu = await startBraketEmulator({ jobsFile: JOBS_FILE, now: clock.now, ...opts });
        return emu;
    }
    function client(config: Parameters<typeof makeClient>[1] = {}): BraketClient {
        const c = makeClient(emu!.endpoint, config);
        clients.push(c);
        return c;
    }
    async function rejects<T>(
        p: Promise<unknown>,
        ctor: new (...a: never[]) => T,
    ): Promise<T & { message: string; $metadata: { httpStatusCode?: number } }> {
        try {
            await p;
        } catch (e) {
            assert.ok(e instanceof ctor, `expected ${ctor.name}, got ${(e as Error).name}: ${(e as Error).message}`);
            return e as T & { message: string; $metadata: { httpStatusCode?: number } };
        }
        assert.fail(`expected ${ctor.name}, but the call succeeded`);
    }
    async function rejectsNamed(p: Promise<unknown>, name: string): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
        try {
            await p;
        } catch (e) {
            assert.equal((e as Error).name, name, (e as Error).message);
            return e as Error & { $metadata?: { httpStatusCode?: number } };
        }
        assert.fail(`expected ${name}, but the call succeeded`);
    }

    afterEach(async () => {
        for (const c of clients.splice(0)) c.destroy();
        await emu?.close();
        emu = undefined;
    });

    describe("GetJob", () => {
        it("round-trips every member of every fixture job (timestamps become Dates)", async () => {
            await start();
            const c = client();
            for (const job of fixtureJobs()) {
                const region = job.jobArn.split(":")[3];
                const rc = region === "us-east-1" ? c : client({ region });
                const out = await rc.send(new GetJobCommand({ jobArn: job.jobArn }));
                assert.equal(out.$metadata.httpStatusCode, 200);
                assert.match(out.$metadata.requestId ?? "", UUID_RE);
                assert.ok(out.createdAt instanceof Date);
                for (const e of out.events ?? []) assert.ok(e.timeOfEvent instanceof Date);
                if (job.startedAt) assert.ok(out.startedAt instanceof Date);
                if (job.endedAt) assert.ok(out.endedAt instanceof Date);
                assert.equal(out.queueInfo, undefined, "no queueInfo without additionalAttributeNames");
                assert.deepEqual(plain(out), expectedBody(job.jobArn));
            }
        });

        it("populates every GetJobResponse member except the computed/conditional ones for the full fixture", async () => {
            await start();
            const out = await client().send(new GetJobCommand({ jobArn: ARN.completedFull }));
            const members = [
                "algorithmSpecification",
                "associations",
                "billableDuration",
                "checkpointConfig",
                "createdAt",
                "deviceConfig",
                "endedAt",
                "events",
                "hyperParameters",
                "inputDataConfig",
                "instanceConfig",
                "jobArn",
                "jobName",
                "outputDataConfig",
                "roleArn",
                "startedAt",
                "status",
                "stoppingCondition",
                "tags",
            ];
            for (const m of members) assert.notEqual((out as unknown as Record<string, unknown>)[m], undefined, m);
            assert.equal(out.inputDataConfig?.length, 2);
            assert.equal(out.outputDataConfig?.kmsKeyId, "arn:aws:kms:us-east-1:123456789012:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b");
            assert.equal(out.checkpointConfig?.localPath, "/opt/jobs/checkpoints");
            assert.equal(out.algorithmSpecification?.scriptModeConfig?.compressionType, "GZIP");
            assert.equal(out.instanceConfig?.instanceCount, 1);
            assert.equal(out.associations?.[0].type, "RESERVATION_TIME_WINDOW_ARN");
            const container = await client().send(new GetJobCommand({ jobArn: ARN.completedContainer }));
            assert.equal(
                container.algorithmSpecification?.containerImage?.uri,
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/braket-vqe-lih:1.4.0",
            );
            assert.equal(container.algorithmSpecification?.scriptModeConfig, undefined);
            const https = await client().send(new GetJobCommand({ jobArn: ARN.httpsOutput }));
            assert.equal(
                https.outputDataConfig?.s3Path,
                "https://amazon-braket-us-east-1-123456789012.s3.us-east-1.amazonaws.com/jobs/vqe-h2-https-output/output/",
            );
        });

        it("answers with application/json, a request id and ISO-8601 timestamps on the wire", async () => {
            await start();
            const res = await signedRequest(emu!.endpoint, { method: "GET", path: `/job/${encodeURIComponent(ARN.completedFull)}` });
            assert.equal(res.status, 200);
            assert.equal(res.headers["content-type"], "application/json");
            assert.match(String(res.headers["x-amzn-requestid"]), UUID_RE);
            const body = res.json();
            assert.equal(body.createdAt, "2026-11-28T09:00:00.000Z");
            assert.equal(body.emulator, undefined);
        });

        it("returns queueInfo with additionalAttributeNames=QueueInfo, counting down while QUEUED", async () => {
            await start();
            const c = client();
            const get = () => c.send(new GetJobCommand({ jobArn: ARN.queued, additionalAttributeNames: ["QueueInfo"] }));
            assert.deepEqual((await get()).queueInfo, { queue: "JOBS_QUEUE", position: "12" });
            clock.advanceSeconds(2.5); // halfway to the RUNNING transition at 5 s: linear countdown
            assert.deepEqual((await get()).queueInfo, { queue: "JOBS_QUEUE", position: "6" });
            clock.advanceSeconds(2.5);
            const running = await get();
            assert.equal(running.status, "RUNNING");
            assert.equal(running.queueInfo?.queue, "JOBS_QUEUE");
            assert.equal(running.queueInfo?.position, "None");
            assert.match(running.queueInfo?.message ?? "", /RUNNING/);
            const done = await c.send(new GetJobCommand({ jobArn: ARN.completedFull, additionalAttributeNames: ["QueueInfo"] }));
            assert.equal(done.queueInfo?.position, "None");
            assert.match(done.queueInfo?.message ?? "", /COMPLETED/);
        });

        it("supports explicit queuePositions steps", async () => {
            await start();
            const job = {
                ...expectedBody(ARN.queued),
                jobArn: "arn:aws:braket:us-east-1:123456789012:job/5c3e0d7a-9a1b-4c2d-8e3f-a0b1c2d3e4f5",
            };
            emu!.putJob({
                ...job,
                emulator: {
                    queuePosition: 9,
                    queuePositions: [
                        { afterSeconds: 10, position: 4 },
                        { afterSeconds: 20, position: 1 },
                    ],
                },
            });
            const get = async () =>
                (await client().send(new GetJobCommand({ jobArn: job.jobArn, additionalAttributeNames: ["QueueInfo"] }))).queueInfo
                    ?.position;
            assert.equal(await get(), "9");
            clock.advanceSeconds(10);
            assert.equal(await get(), "4");
            clock.advanceSeconds(15);
            assert.equal(await get(), "1");
        });
    });

    describe("errors (SDK exception class, status, message)", () => {
        it("400 ValidationException for a jobArn that breaks the model pattern", async () => {
            await start();
            const e = await rejects(client().send(new GetJobCommand({ jobArn: "not-an-arn" })), ValidationException);
            assert.equal(e.$metadata.httpStatusCode, 400);
            assert.equal(
                e.message,
                `1 validation error detected: Value 'not-an-arn' at 'jobArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${JOB_ARN_PATTERN}`,
            );
        });

        it("400 ValidationException for an unknown additionalAttributeNames value", async () => {
            await start();
            const e = await rejects(
                client().send(new GetJobCommand({ jobArn: ARN.queued, additionalAttributeNames: ["Bogus" as "QueueInfo"] })),
                ValidationException,
            );
            assert.equal(
                e.message,
                "1 validation error detected: Value 'Bogus' at 'additionalAttributeNames.1.member' failed to satisfy constraint: Member must satisfy enum value set: [QueueInfo]",
            );
        });

        it("400 ValidationException for SearchJobs constraints (required filters, maxResults range)", async () => {
            await start();
            const c = client();
            let e = await rejects(c.send(new SearchJobsCommand({} as never)), ValidationException);
            assert.equal(
                e.message,
                "1 validation error detected: Value null at 'filters' failed to satisfy constraint: Member must not be null",
            );
            e = await rejects(c.send(new SearchJobsCommand({ filters: [], maxResults: 101 })), ValidationException);
            assert.match(
                e.message,
                /Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100/,
            );
            e = await rejects(c.send(new SearchJobsCommand({ filters: [], maxResults: 0 })), ValidationException);
            assert.match(e.message, /Member must have value greater than or equal to 1/);
            e = await rejects(
                c.send(new SearchJobsCommand({ filters: [{ name: "createdAt", operator: "SOON" as "LT", values: [] }] })),
                ValidationException,
            );
            assert.match(e.message, /^2 validation errors detected: /);
            assert.match(
                e.message,
                /at 'filters\.1\.member\.operator' failed to satisfy constraint: Member must satisfy enum value set: \[LT, LTE, EQUAL, GT, GTE, BETWEEN, CONTAINS\]/,
            );
            assert.match(
                e.message,
                /at 'filters\.1\.member\.values' failed to satisfy constraint: Member must have length greater than or equal to 1/,
            );
        });

        it("404 ResourceNotFoundException for an unknown job", async () => {
            await start();
            const e = await rejects(client().send(new GetJobCommand({ jobArn: MISSING_ARN })), ResourceNotFoundException);
            assert.equal(e.$metadata.httpStatusCode, 404);
            assert.equal(e.message, `Braket hybrid job ${MISSING_ARN} not found.`);
        });

        it("404 ResourceNotFoundException for a job of another region than the request's credential scope", async () => {
            await start();
            const west = client({ region: "us-west-2" });
            const e = await rejects(west.send(new GetJobCommand({ jobArn: ARN.completedFull })), ResourceNotFoundException);
            assert.match(e.message, /not found/);
            await rejects(client().send(new GetJobCommand({ jobArn: ARN.usWest2 })), ResourceNotFoundException);
            await rejects(west.send(new CancelJobCommand({ jobArn: ARN.queued })), ResourceNotFoundException);
            const ok = await west.send(new GetJobCommand({ jobArn: ARN.usWest2 }));
            assert.equal(ok.jobName, "ankaa-benchmark-usw2");
            const search = await west.send(new SearchJobsCommand({ filters: [] }));
            assert.deepEqual(
                search.jobs?.map((j) => j.jobArn),
                [ARN.usWest2],
            );
        });

        it("409 ConflictException when cancelling a job that already ended", async () => {
            await start();
            const e = await rejects(client().send(new CancelJobCommand({ jobArn: ARN.cancelled })), ConflictException);
            assert.equal(e.$metadata.httpStatusCode, 409);
            assert.equal(e.message, `Job ${ARN.cancelled} is already in CANCELLED status and cannot be cancelled.`);
        });

        it("429 ThrottlingException and 500 InternalServiceException from scripted faults", async () => {
            await start({
                faultFor: ({ requestNumber }) => (requestNumber === 1 ? "throttle" : requestNumber === 2 ? "serverError" : undefined),
            });
            const c = client();
            const t = await rejects(c.send(new GetJobCommand({ jobArn: ARN.queued })), ThrottlingException);
            assert.equal(t.$metadata.httpStatusCode, 429);
            assert.equal(t.message, "Rate exceeded");
            const s = await rejects(c.send(new GetJobCommand({ jobArn: ARN.queued })), InternalServiceException);
            assert.equal(s.$metadata.httpStatusCode, 500);
            assert.match(s.message, /internal error/i);
            assert.equal((await c.send(new GetJobCommand({ jobArn: ARN.queued }))).status, "QUEUED");
        });

        it("403 AccessDeniedException for an action a key is not allowed", async () => {
            await start({ credentials: [{ ...FAKE_CREDENTIALS, allow: ["braket:GetJob", "braket:Search*"] }] });
            const c = client();
            await c.send(new GetJobCommand({ jobArn: ARN.queued }));
            await c.send(new SearchJobsCommand({ filters: [] }));
            const e = await rejects(c.send(new CancelJobCommand({ jobArn: ARN.queued })), AccessDeniedException);
            assert.equal(e.$metadata.httpStatusCode, 403);
            assert.equal(
                e.message,
                `User is not authorized to perform: braket:CancelJob on resource: ${ARN.queued} because no identity-based policy allows the braket:CancelJob action`,
            );
        });

        it("404 UnknownOperationException for model operations the emulator does not implement and for unknown routes", async () => {
            await start();
            const e = await rejectsNamed(
                client().send(
                    new CreateJobCommand({
                        clientToken: "4a1b2c3d-0000-4000-8000-000000000001",
                        jobName: "x",
                        roleArn: "arn:aws:iam::123456789012:role/r",
                        algorithmSpecification: { scriptModeConfig: { entryPoint: "a", s3Uri: "s3://b/c" } },
                        outputDataConfig: { s3Path: "s3://b/o" },
                        instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 30 },
                        deviceConfig: { device: "arn:aws:braket:::device/quantum-simulator/amazon/sv1" },
                        checkpointConfig: undefined,
                    }),
                ),
                "UnknownOperationException",
            );
            assert.equal(e.$metadata?.httpStatusCode, 404);
            assert.match(e.message, /CreateJob is not available on this endpoint/);
            const raw = await signedRequest(emu!.endpoint, { method: "DELETE", path: `/job/${encodeURIComponent(ARN.queued)}` });
            assert.equal(raw.status, 404);
            assert.equal(raw.headers["x-amzn-errortype"], "UnknownOperationException");
            assert.equal(emu!.stats.byOperation.Unknown, 1);
        });

        it("400 SerializationException for a malformed JSON body and for wrong JSON types", async () => {
            await start();
            let res = await signedRequest(emu!.endpoint, { method: "POST", path: "/jobs", body: '{"filters": [' });
            assert.equal(res.status, 400);
            assert.equal(res.headers["x-amzn-errortype"], "SerializationException");
            assert.match(String(res.json().message), /Malformed JSON/);
            res = await signedRequest(emu!.endpoint, { method: "POST", path: "/jobs", body: '{"filters": [], "maxResults": "5"}' });
            assert.equal(res.status, 400);
            assert.equal(res.headers["x-amzn-errortype"], "SerializationException");
            res = await signedRequest(emu!.endpoint, { method: "POST", path: "/jobs", body: "[1]" });
            assert.equal(res.status, 400);
            res = await signedRequest(emu!.endpoint, { method: "GET", path: "/job/arn%ZZ" });
            assert.equal(res.status, 400);
            assert.equal(res.headers["x-amzn-errortype"], "ValidationException");
        });
    });

    describe("SigV4", () => {
        it("refuses unsigned requests with 403 MissingAuthenticationTokenException", async () => {
            await start();
            const res = await rawRequest(emu!.endpoint, { method: "GET", path: `/job/${encodeURIComponent(ARN.queued)}` });
            assert.equal(res.status, 403);
            assert.equal(res.headers["x-amzn-errortype"], "MissingAuthenticationTokenException");
            assert.equal(res.headers["content-type"], "application/json");
            assert.equal(res.json().message, "Missing Authentication Token");
        });

        it("refuses malformed Authorization headers and wrong credential scopes", async () => {
            await start();
            const p = `/job/${encodeURIComponent(ARN.queued)}`;
            const date = new Date()
                .toISOString()
                .replace(/[-:]/g, "")
                .replace(/\.\d{3}/, "");
            let res = await rawRequest(emu!.endpoint, {
                method: "GET",
                path: p,
                headers: { authorization: "AWS4-HMAC-SHA256 Credential=abc", "x-amz-date": date },
            });
            assert.equal(res.status, 403);
            assert.equal(res.headers["x-amzn-errortype"], "IncompleteSignatureException");
            assert.match(String(res.json().message), /requires 'Signature' parameter/);
            res = await rawRequest(emu!.endpoint, { method: "GET", path: p, headers: { authorization: "Bearer abc" } });
            assert.equal(res.headers["x-amzn-errortype"], "IncompleteSignatureException");
            res = await signedRequest(emu!.endpoint, { method: "GET", path: p }, { service: "s3" });
            assert.equal(res.status, 403);
            assert.equal(res.headers["x-amzn-errortype"], "InvalidSignatureException");
            assert.equal(res.json().message, "Credential should be scoped to correct service: 'braket'.");
            res = await signedRequest(emu!.endpoint, { method: "GET", path: p }, { region: "Not_A_Region" });
            assert.equal(res.headers["x-amzn-errortype"], "InvalidSignatureException");
        });

        it("verifies signatures when credentials are configured, without echoing secrets", async () => {
            await start({ credentials: [FAKE_CREDENTIALS] });
            assert.equal((await client().send(new GetJobCommand({ jobArn: ARN.queued }))).status, "QUEUED");
            assert.equal(
                (await client().send(new SearchJobsCommand({ filters: [{ name: "jobArn", operator: "CONTAINS", values: ["aec263e3"] }] })))
                    .jobs?.length,
                1,
            );
            const wrongSecret = "wrong/secret/key/that/must/not/be/echoed00";
            const bad = client({ credentials: { accessKeyId: FAKE_CREDENTIALS.accessKeyId, secretAccessKey: wrongSecret } });
            const e = await rejectsNamed(bad.send(new GetJobCommand({ jobArn: ARN.queued })), "InvalidSignatureException");
            assert.equal(e.$metadata?.httpStatusCode, 403);
            assert.match(e.message, /The request signature we calculated does not match the signature you provided/);
            assert.ok(!e.message.includes(wrongSecret) && !e.message.includes(FAKE_CREDENTIALS.secretAccessKey));
            const unknown = client({
                credentials: { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: FAKE_CREDENTIALS.secretAccessKey },
            });
            const u = await rejectsNamed(unknown.send(new GetJobCommand({ jobArn: ARN.queued })), "UnrecognizedClientException");
            assert.equal(u.$metadata?.httpStatusCode, 403);
            assert.equal(u.message, "The security token included in the request is invalid.");
            // Session tokens are part of the signature.
            const temp = { ...FAKE_CREDENTIALS, sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN" };
            assert.equal((await client({ credentials: temp }).send(new GetJobCommand({ jobArn: ARN.queued }))).status, "QUEUED");
            // A tampered body is refused.
            const res = await signedRequest(emu!.endpoint, { method: "POST", path: "/jobs", body: '{"filters":[]}' });
            assert.equal(res.status, 200);
            const tampered = await signedRequest(
                emu!.endpoint,
                { method: "POST", path: "/jobs", body: '{"filters":[]}' },
                { sendBody: '{"filters":[ ]}' },
            );
            assert.equal(tampered.status, 403);
            assert.equal(tampered.headers["x-amzn-errortype"], "InvalidSignatureException");
            // So is a changed query string.
            const query = await signedRequest(
                emu!.endpoint,
                { method: "GET", path: `/job/${encodeURIComponent(ARN.queued)}?additionalAttributeNames=QueueInfo` },
                { sendPath: `/job/${encodeURIComponent(ARN.queued)}` },
            );
            assert.equal(query.status, 403);
        });

        it("refuses a request whose X-Amz-Date is more than 15 minutes off the real clock; the SDK corrects its skew and retries", async () => {
            await start();
            const skewed = client({ systemClockOffset: -20 * 60 * 1000 });
            const e = await rejectsNamed(skewed.send(new GetJobCommand({ jobArn: ARN.queued })), "InvalidSignatureException");
            assert.equal(e.$metadata?.httpStatusCode, 403);
            assert.match(e.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
            const future = await signedRequest(
                emu!.endpoint,
                { method: "POST", path: "/jobs", body: '{"filters":[]}' },
                { signingDate: new Date(Date.now() + 20 * 60 * 1000) },
            );
            assert.equal(future.status, 403);
            assert.match(String(future.json().message), /^Signature not yet current/);
            const retrying = client({ systemClockOffset: -20 * 60 * 1000, maxAttempts: 2 });
            const ok = await retrying.send(new GetJobCommand({ jobArn: ARN.queued }));
            assert.equal(ok.$metadata.attempts, 2);
        });
    });

    describe("lifecycle on a manual clock", () => {
        it("QUEUED -> RUNNING -> COMPLETED keeps startedAt, endedAt, billableDuration and events consistent", async () => {
            await start();
            const c = client();
            const get = () => c.send(new GetJobCommand({ jobArn: ARN.queued }));
            let j = await get();
            assert.equal(j.status, "QUEUED");
            assert.equal(j.startedAt, undefined);
            clock.advanceSeconds(4.999);
            assert.equal((await get()).status, "QUEUED");
            clock.advanceSeconds(100);
            j = await get();
            assert.equal(j.status, "RUNNING");
            assert.equal(
                j.startedAt?.toISOString(),
                "2026-11-29T12:00:05.000Z",
                "startedAt is the scheduled time, not the observation time",
            );
            assert.deepEqual(
                j.events?.map((e) => e.eventType),
                ["QUEUED_FOR_EXECUTION", "RUNNING"],
            );
            assert.equal(j.endedAt, undefined);
            clock.advanceSeconds(3600);
            j = await get();
            assert.equal(j.status, "COMPLETED");
            assert.equal(j.endedAt?.toISOString(), "2026-11-29T13:00:00.000Z");
            assert.equal(j.billableDuration, 3595000);
            assert.deepEqual(
                j.events?.map((e) => e.eventType),
                ["QUEUED_FOR_EXECUTION", "RUNNING", "COMPLETED"],
            );
            assert.equal(j.events?.[2].timeOfEvent?.toISOString(), "2026-11-29T13:00:00.000Z");
            assert.equal(j.failureReason, undefined);
        });

        it("RUNNING -> FAILED sets failureReason and a FAILED event", async () => {
            await start();
            clock.advanceSeconds(3600);
            const j = await client().send(new GetJobCommand({ jobArn: ARN.runningFails }));
            const reason = (fixtureJob(ARN.runningFails).emulator as { transitions: { failureReason: string }[] }).transitions[0]
                .failureReason;
            assert.equal(j.status, "FAILED");
            assert.equal(j.failureReason, reason);
            assert.equal(j.endedAt?.toISOString(), "2026-11-29T13:00:00.000Z");
            assert.equal(j.billableDuration, Date.parse("2026-11-29T13:00:00.000Z") - Date.parse("2026-11-29T11:02:30.000Z"));
            const last = j.events?.[j.events.length - 1];
            assert.equal(last?.eventType, "FAILED");
            assert.equal(last?.message, reason);
        });

        it("CancelJob: CANCELLING, then CANCELLED after the cancel delay; cancelling again conflicts", async () => {
            await start({ cancelDelaySeconds: 2 });
            const c = client();
            const r = await c.send(new CancelJobCommand({ jobArn: ARN.queued }));
            assert.deepEqual(plain(r), { jobArn: ARN.queued, cancellationStatus: "CANCELLING" });
            assert.equal((await c.send(new GetJobCommand({ jobArn: ARN.queued }))).status, "CANCELLING");
            assert.equal(
                (await c.send(new CancelJobCommand({ jobArn: ARN.queued }))).cancellationStatus,
                "CANCELLING",
                "idempotent while CANCELLING",
            );
            clock.advanceSeconds(10); // the scheduled RUNNING transition (5 s) was superseded by the cancellation
            const j = await c.send(new GetJobCommand({ jobArn: ARN.queued }));
            assert.equal(j.status, "CANCELLED");
            assert.equal(j.endedAt?.toISOString(), "2026-11-29T12:00:02.000Z");
            assert.equal(j.startedAt, undefined);
            assert.equal(j.billableDuration, 0);
            assert.equal(j.events?.at(-1)?.eventType, "CANCELLED");
            await rejects(c.send(new CancelJobCommand({ jobArn: ARN.queued })), ConflictException);
            const running = await c.send(new CancelJobCommand({ jobArn: ARN.runningFails }));
            assert.equal(running.cancellationStatus, "CANCELLING");
        });

        it("putJob / setStatus / getJob give programmatic control (events capped at 20)", async () => {
            await start();
            const arn = "arn:aws:braket:us-east-1:123456789012:job/0e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b";
            const events = Array.from({ length: 20 }, (_, i) => ({
                eventType: "WAITING_FOR_PRIORITY",
                timeOfEvent: new Date(Date.parse(T0) - (20 - i) * 1000).toISOString(),
            }));
            emu!.putJob({ ...expectedBody(ARN.queued), jobArn: arn, jobName: "programmatic", events });
            emu!.setStatus(arn, "RUNNING");
            clock.advanceSeconds(30);
            emu!.setStatus(arn, "FAILED", { failureReason: "InternalError: injected by the test" });
            const j = await client().send(new GetJobCommand({ jobArn: arn }));
            assert.equal(j.status, "FAILED");
            assert.equal(j.failureReason, "InternalError: injected by the test");
            assert.equal(j.events?.length, 20);
            assert.deepEqual(
                j.events?.slice(-2).map((e) => e.eventType),
                ["RUNNING", "FAILED"],
            );
            assert.equal(j.billableDuration, 30000);
            const body = emu!.getJob(arn) as Record<string, unknown>;
            assert.equal(body.status, "FAILED");
            assert.equal(body.endedAt, "2026-11-29T12:00:30.000Z");
            assert.equal(emu!.getJob(MISSING_ARN), undefined);
            assert.throws(() => emu!.setStatus(arn, "DONE"), /not a JobPrimaryStatus/);
            assert.throws(() => emu!.setStatus(MISSING_ARN, "RUNNING"), /no job/);
            assert.throws(() => emu!.putJob({ jobArn: arn }), SeedError);
        });
    });

    describe("SearchJobs", () => {
        const names = (jobs: { jobName?: string }[] | undefined): string[] => (jobs ?? []).map((j) => j.jobName!);
        const search = async (filters: SearchJobsFilter[]): Promise<string[]> => {
            const c = makeClient(emu!.endpoint);
            clients.push(c);
            return names((await c.send(new SearchJobsCommand({ filters }))).jobs);
        };

        it("returns JobSummary members only, newest first, for the request's region", async () => {
            await start();
            const out = await client().send(new SearchJobsCommand({ filters: [] }));
            assert.deepEqual(names(out.jobs), [
                "qaoa-maxcut-queued",
                "grover-search-running",
                "qaoa-maxcut-forte",
                "vqe-lih-custom-container",
                "qml-classifier-cancelled",
                "vqe-h2-https-output",
            ]);
            assert.equal(out.nextToken, undefined);
            const allowed = new Set(["createdAt", "device", "endedAt", "jobArn", "jobName", "startedAt", "status", "tags"]);
            for (const j of out.jobs ?? []) for (const k of Object.keys(j)) assert.ok(allowed.has(k), `unexpected JobSummary member ${k}`);
            const full = out.jobs?.find((j) => j.jobArn === ARN.completedFull);
            assert.deepEqual(plain(full!), {
                status: "COMPLETED",
                jobArn: ARN.completedFull,
                jobName: "qaoa-maxcut-forte",
                device: "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1",
                createdAt: "2026-11-28T09:00:00.000Z",
                startedAt: "2026-11-28T09:04:12.000Z",
                endedAt: "2026-11-28T09:31:40.000Z",
                tags: { project: "maxcut", team: "quantum-research", "cost-center": "qc-1234" },
            });
        });

        it("filters createdAt with LT, LTE, EQUAL, GT, GTE and BETWEEN", async () => {
            await start();
            const at = "2026-11-28T09:00:00.000Z"; // qaoa-maxcut-forte
            assert.deepEqual(await search([{ name: "createdAt", operator: "LT", values: [at] }]), [
                "vqe-lih-custom-container",
                "qml-classifier-cancelled",
                "vqe-h2-https-output",
            ]);
            assert.deepEqual(await search([{ name: "createdAt", operator: "LTE", values: [at] }]), [
                "qaoa-maxcut-forte",
                "vqe-lih-custom-container",
                "qml-classifier-cancelled",
                "vqe-h2-https-output",
            ]);
            assert.deepEqual(await search([{ name: "createdAt", operator: "EQUAL", values: [at] }]), ["qaoa-maxcut-forte"]);
            assert.deepEqual(await search([{ name: "createdAt", operator: "GT", values: [at] }]), [
                "qaoa-maxcut-queued",
                "grover-search-running",
            ]);
            assert.deepEqual(await search([{ name: "createdAt", operator: "GTE", values: ["2026-11-28T09:00:00Z"] }]), [
                "qaoa-maxcut-queued",
                "grover-search-running",
                "qaoa-maxcut-forte",
            ]);
            assert.deepEqual(await search([{ name: "createdAt", operator: "BETWEEN", values: ["2026-11-26", "2026-11-28T09:00:00"] }]), [
                "qaoa-maxcut-forte",
                "vqe-lih-custom-container",
                "qml-classifier-cancelled",
            ]);
            assert.deepEqual(
                await search([{ name: "createdAt", operator: "GT", values: [String(Date.parse("2026-11-29T11:00:00Z") / 1000)] }]),
                ["qaoa-maxcut-queued"],
            );
        });

        it("filters jobArn with EQUAL and CONTAINS, and ANDs filters", async () => {
            await start();
            assert.deepEqual(await search([{ name: "jobArn", operator: "EQUAL", values: [ARN.cancelled, ARN.httpsOutput] }]), [
                "qml-classifier-cancelled",
                "vqe-h2-https-output",
            ]);
            assert.deepEqual(await search([{ name: "jobArn", operator: "CONTAINS", values: ["e0913265"] }]), ["grover-search-running"]);
            assert.deepEqual(await search([{ name: "jobArn", operator: "CONTAINS", values: ["us-west-2"] }]), []);
            assert.deepEqual(
                await search([
                    { name: "jobArn", operator: "CONTAINS", values: [":job/"] },
                    { name: "createdAt", operator: "GTE", values: ["2026-11-29T00:00:00Z"] },
                ]),
                ["qaoa-maxcut-queued", "grover-search-running"],
            );
        });

        it("rejects unsupported filter names, operators, value counts and timestamps with ValidationException", async () => {
            await start();
            const c = client();
            const bad = async (f: SearchJobsFilter, re: RegExp) => {
                const e = await rejects(c.send(new SearchJobsCommand({ filters: [f] })), ValidationException);
                assert.equal(e.$metadata.httpStatusCode, 400);
                assert.match(e.message, re);
            };
            await bad(
                { name: "status", operator: "EQUAL", values: ["RUNNING"] },
                /Invalid filter name 'status'.*Supported filter names: jobArn, createdAt/,
            );
            await bad(
                { name: "jobArn", operator: "LT", values: ["x"] },
                /Operator 'LT' is not supported for filter 'jobArn'.*EQUAL, CONTAINS/,
            );
            await bad(
                { name: "createdAt", operator: "CONTAINS", values: ["2026"] },
                /Operator 'CONTAINS' is not supported for filter 'createdAt'/,
            );
            await bad({ name: "createdAt", operator: "BETWEEN", values: ["2026-11-26T00:00:00Z"] }, /requires exactly 2 values, got 1/);
            await bad({ name: "createdAt", operator: "GT", values: ["a", "b"] }, /requires exactly 1 value, got 2/);
            await bad({ name: "createdAt", operator: "GT", values: ["yesterday"] }, /Invalid value 'yesterday' for filter 'createdAt'/);
        });

        it("paginates with the SDK's paginateSearchJobs; tokens are opaque, stable and bound to the search", async () => {
            await start();
            const c = client();
            const pages: string[][] = [];
            for await (const page of paginateSearchJobs({ client: c, pageSize: 2 }, { filters: [] })) pages.push(names(page.jobs));
            assert.deepEqual(pages, [
                ["qaoa-maxcut-queued", "grover-search-running"],
                ["qaoa-maxcut-forte", "vqe-lih-custom-container"],
                ["qml-classifier-cancelled", "vqe-h2-https-output"],
            ]);
            const first = await c.send(new SearchJobsCommand({ filters: [], maxResults: 4 }));
            const again = await c.send(new SearchJobsCommand({ filters: [], maxResults: 4 }));
            assert.ok(first.nextToken);
            assert.equal(again.nextToken, first.nextToken, "same search, same token");
            assert.ok(!first.nextToken!.includes("arn:aws"), "opaque token");
            const rest = await c.send(new SearchJobsCommand({ filters: [], maxResults: 4, nextToken: first.nextToken }));
            assert.deepEqual(names(rest.jobs), ["qml-classifier-cancelled", "vqe-h2-https-output"]);
            assert.equal(rest.nextToken, undefined);
            let e = await rejects(c.send(new SearchJobsCommand({ filters: [], nextToken: "garbage" })), ValidationException);
            assert.match(e.message, /nextToken is invalid/);
            e = await rejects(
                c.send(new SearchJobsCommand({ filters: [], nextToken: first.nextToken!.slice(0, -2) + "xx" })),
                ValidationException,
            );
            e = await rejects(
                c.send(
                    new SearchJobsCommand({
                        filters: [{ name: "jobArn", operator: "CONTAINS", values: ["job"] }],
                        nextToken: first.nextToken,
                    }),
                ),
                ValidationException,
            );
            assert.match(e.message, /not issued for this search/);
        });
    });

    describe("faults", () => {
        it("scripted throttles: the SDK retries and succeeds", async () => {
            await start({
                faultFor: ({ requestNumber, operation }) => (operation === "GetJob" && requestNumber <= 2 ? "throttle" : undefined),
            });
            const c = client({ maxAttempts: 3, retryStrategy: new ConfiguredRetryStrategy(3, () => 5) });
            const out = await c.send(new GetJobCommand({ jobArn: ARN.queued }));
            assert.equal(out.status, "QUEUED");
            assert.equal(out.$metadata.attempts, 3);
            const s = emu!.stats;
            assert.equal(s.requests, 3);
            assert.equal(s.faults.throttle, 2);
            assert.deepEqual(s.byStatus, { "429": 2, "200": 1 });
            assert.deepEqual(
                s.log.map((l) => [l.status, l.fault ?? null, l.errorCode ?? null]),
                [
                    [429, "throttle", "ThrottlingException"],
                    [429, "throttle", "ThrottlingException"],
                    [200, null, null],
                ],
            );
        });

        it("drop destroys the connection: the SDK reports a network error", async () => {
            await start({ faultFor: () => "drop" });
            const c = client();
            await assert.rejects(c.send(new GetJobCommand({ jobArn: ARN.queued })), (e: Error & { code?: string }) => {
                assert.ok(/socket hang up|ECONNRESET/i.test(`${e.message} ${e.code ?? ""}`), `${e.name}: ${e.message}`);
                return true;
            });
            assert.equal(emu!.stats.faults.drop, 1);
            assert.equal(emu!.stats.log[0].status, 0);
        });

        it("slow and latencyMs delay responses", async () => {
            await start({ latencyMs: 80, faults: { slow: 1, slowMs: 500 } });
            const c = client();
            let t = Date.now();
            await c.send(new GetJobCommand({ jobArn: ARN.queued }));
            assert.ok(Date.now() - t >= 570, `slow: ${Date.now() - t} ms`);
            emu!.setFaults(undefined);
            t = Date.now();
            await c.send(new GetJobCommand({ jobArn: ARN.queued }));
            const elapsed = Date.now() - t;
            assert.ok(elapsed >= 75 && elapsed < 500, `latency only: ${elapsed} ms`);
            assert.equal(emu!.stats.faults.slow, 1);
        });

        it("random faults are reproducible for a seed, settable at runtime and validated", async () => {
            const run = async (): Promise<number[]> => {
                const e = await startBraketEmulator({ jobsFile: JOBS_FILE, seed: 42, faults: { throttle: 0.3, serverError: 0.2 } });
                const c = makeClient(e.endpoint);
                try {
                    for (let i = 0; i < 12; i++) await c.send(new GetJobCommand({ jobArn: ARN.queued })).catch(() => undefined);
                    return e.stats.log.map((l) => l.status);
                } finally {
                    c.destroy();
                    await e.close();
                }
            };
            const a = await run();
            const b = await run();
            assert.deepEqual(a, b);
            assert.ok(a.includes(429) && a.includes(200), a.join(","));
            await start();
            emu!.setFaults({ throttle: 1 });
            await rejects(client().send(new GetJobCommand({ jobArn: ARN.queued })), ThrottlingException);
            emu!.setFaults(undefined);
            await client().send(new GetJobCommand({ jobArn: ARN.queued }));
            assert.throws(() => emu!.setFaults({ drop: 1.5 }), /faults\.drop must be a probability between 0 and 1/);
            assert.throws(() => emu!.setFaults({ drop: 0.6, throttle: 0.6 }), /at most 1/);
            emu!.resetStats();
            assert.deepEqual(emu!.stats, {
                requests: 0,
                byOperation: {},
                byStatus: {},
                faults: { throttle: 0, serverError: 0, drop: 0, slow: 0 },
                log: [],
            });
        });
    });

    describe("path encoding", () => {
        it("decodes an ARN with ?, #, %, spaces and ../ exactly once, as one segment", async () => {
            await start();
            const odd = [
                "arn:aws:braket:us-east-1:123456789012:job/what?is=this#frag",
                "arn:aws:braket:us-east-1:123456789012:job/100% sure",
                "arn:aws:braket:us-east-1:123456789012:job/../../jobs",
                "arn:aws:braket:us-east-1:123456789012:job/a%2Fb%25c",
                "arn:aws:braket:us-east-1:123456789012:job/ü ñ/ü+x&y=z",
            ];
            for (const [i, arn] of odd.entries()) emu!.putJob({ ...expectedBody(ARN.queued), jobArn: arn, jobName: `odd-${i}` });
            emu!.resetStats();
            const c = client();
            for (const [i, arn] of odd.entries()) {
                const j = await c.send(new GetJobCommand({ jobArn: arn, additionalAttributeNames: ["QueueInfo"] }));
                assert.equal(j.jobName, `odd-${i}`);
                assert.equal(j.jobArn, arn);
                await c.send(new CancelJobCommand({ jobArn: arn }));
            }
            const log = emu!.stats.log;
            assert.deepEqual(
                log.map((l) => l.jobArn),
                odd.flatMap((a) => [a, a]),
            );
            assert.deepEqual(
                log.map((l) => l.operation),
                odd.flatMap(() => ["GetJob", "CancelJob"]),
            );
            for (const l of log) {
                assert.equal(l.status, 200);
                assert.match(l.path, /^\/job\/arn%3Aaws%3Abraket%3Aus-east-1%3A123456789012%3Ajob%2F[^/]*(\/cancel)?$/);
            }
            assert.deepEqual(log[0].query, { additionalAttributeNames: ["QueueInfo"] });
        });
    });

    describe("seed jobs", () => {
        it("loadJobsFile reads and validates the fixture", () => {
            const jobs = loadJobsFile(JOBS_FILE);
            assert.equal(jobs.length, 7);
            assert.throws(() => loadJobsFile(path.join(__dirname, "does-not-exist.json")), /cannot read jobs file/);
        });

        it("names the job index and member when a seed job breaks the model", async () => {
            const good = expectedBody(ARN.completedFull);
            const cases: [unknown, RegExp][] = [
                [
                    { ...good, roleArn: undefined },
                    /^jobs\[1\] \(qaoa-maxcut-forte, arn:aws:braket:us-east-1:123456789012:job\/3a8987db-[^)]+\): invalid GetJob body: roleArn: Member must not be null/,
                ],
                [
                    { ...good, status: "DONE" },
                    /jobs\[1\].*status: Member must satisfy enum value set: \[QUEUED, RUNNING, COMPLETED, FAILED, CANCELLING, CANCELLED\]/,
                ],
                [{ ...good, createdAt: "yesterday" }, /jobs\[1\].*createdAt: Member must be an ISO-8601 timestamp/],
                [{ ...good, jobname: "typo" }, /jobs\[1\].*jobname: Member is not part of shape GetJobResponse/],
                [
                    { ...good, instanceConfig: { instanceType: "ml.huge", volumeSizeInGb: 0 } },
                    /instanceConfig\.instanceType: Member must satisfy enum value set.*instanceConfig\.volumeSizeInGb: Member must have value greater than or equal to 1/,
                ],
                [
                    { ...good, inputDataConfig: [{ channelName: "!!!", dataSource: { s3DataSource: { s3Uri: "s3://b/k" } } }] },
                    /inputDataConfig\[0\]\.channelName: Member must satisfy regular expression pattern/,
                ],
                [{ ...good, emulator: { transitions: [{ afterSeconds: 1, status: "RUNNING" }] } }, /follows the terminal status COMPLETED/],
                [
                    { ...good, status: "RUNNING", emulator: { transitions: [{ afterSeconds: -1, status: "FAILED" }] } },
                    /emulator\.transitions\[0\]\.afterSeconds: must be a number of seconds from 0 to 3155760000/,
                ],
                [
                    {
                        ...good,
                        status: "RUNNING",
                        emulator: { transitions: [{ afterSeconds: 1, status: "COMPLETED", failureReason: "x" }] },
                    },
                    /failureReason: only allowed on a transition to FAILED/,
                ],
                [{ ...good, emulator: { queue: 3 } }, /emulator\.queue: unknown member/],
                [good, /jobs\[1\].*duplicate jobArn, already used by jobs\[0\]/],
            ];
            for (const [bad, re] of cases) {
                await assert.rejects(startBraketEmulator({ jobs: [good, bad] }), (e: Error) => {
                    assert.ok(e instanceof SeedError, e.message);
                    assert.match(e.message, re);
                    return true;
                });
            }
        });
    });

    describe("hostile input: built-in property names, numbers, sizes", () => {
        const BUILT_INS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

        it("400 ValidationException for built-in object property names as SearchJobs filter names (not a 500)", async () => {
            await start();
            for (const name of BUILT_INS) {
                const res = await signedRequest(emu!.endpoint, {
                    method: "POST",
                    path: "/jobs",
                    body: JSON.stringify({ filters: [{ name, operator: "EQUAL", values: ["x"] }] }),
                });
                assert.equal(res.status, 400, `${name}: ${res.body}`);
                assert.equal(res.headers["x-amzn-errortype"], "ValidationException");
                assert.equal(
                    res.json().message,
                    `Invalid filter name '${name}' at 'filters.1.member.name'. Supported filter names: jobArn, createdAt.`,
                );
            }
            const e = await rejects(
                client().send(new SearchJobsCommand({ filters: [{ name: "constructor", operator: "EQUAL", values: ["x"] }] })),
                ValidationException,
            );
            assert.equal(e.$metadata.httpStatusCode, 400);
            assert.equal(emu!.stats.byStatus["500"], undefined);
        });

        it("ignores built-in property names as request members and query parameters, as restJson1 ignores unknown members", async () => {
            await start({ credentials: [FAKE_CREDENTIALS] });
            const arnFilter = { name: "jobArn", operator: "EQUAL", values: [ARN.queued] };
            for (const name of BUILT_INS) {
                for (const body of [
                    `{"filters": [], ${JSON.stringify(name)}: {"maxResults": 1000}}`,
                    `{"filters": [{"name": "jobArn", "operator": "EQUAL", "values": [${JSON.stringify(ARN.queued)}], ${JSON.stringify(name)}: "x"}]}`,
                ]) {
                    const res = await signedRequest(emu!.endpoint, { method: "POST", path: "/jobs", body });
                    assert.equal(res.status, 200, `${body}: ${res.body}`);
                    assert.ok(Array.isArray(res.json().jobs));
                }
                // A query parameter of that name, signed and verified.
                const get = await signedRequest(emu!.endpoint, {
                    method: "GET",
                    path: `/job/${encodeURIComponent(ARN.queued)}?${encodeURIComponent(name)}=1&additionalAttributeNames=QueueInfo`,
                });
                assert.equal(get.status, 200, `${name}: ${get.body}`);
                assert.equal((get.json().queueInfo as { position: string }).position, "12");
                const header = await signedRequest(emu!.endpoint, {
                    method: "GET",
                    path: `/job/${encodeURIComponent(ARN.queued)}`,
                    headers: { [name.toLowerCase()]: "x" },
                });
                assert.equal(header.status, 200, `header ${name}: ${header.body}`);
            }
            const one = await signedRequest(emu!.endpoint, {
                method: "POST",
                path: "/jobs",
                body: JSON.stringify({ filters: [arnFilter] }),
            });
            assert.equal((one.json().jobs as unknown[]).length, 1);
            assert.equal(emu!.stats.byStatus["500"], undefined);
        });

        it("keeps map keys such as __proto__ and constructor whole in GetJob and SearchJobs", async () => {
            await start();
            const arn = "arn:aws:braket:us-east-1:123456789012:job/0d2c4e6f-1111-4222-8333-444455556666";
            const tags = JSON.parse('{"__proto__": "p", "constructor": "c", "team": "q"}') as Record<string, string>;
            const hyperParameters = JSON.parse('{"__proto__": "0.1", "toString": "2"}') as Record<string, string>;
            emu!.putJob({ ...expectedBody(ARN.completedFull), jobArn: arn, jobName: "proto-keys", tags, hyperParameters });
            const res = await signedRequest(emu!.endpoint, { method: "GET", path: `/job/${encodeURIComponent(arn)}` });
            const body = JSON.parse(res.body) as Record<string, Record<string, string>>;
            assert.deepEqual(Object.entries(body.tags), [
                ["__proto__", "p"],
                ["constructor", "c"],
                ["team", "q"],
            ]);
            assert.deepEqual(Object.entries(body.hyperParameters), [
                ["__proto__", "0.1"],
                ["toString", "2"],
            ]);
            const search = await signedRequest(emu!.endpoint, {
                method: "POST",
                path: "/jobs",
                body: JSON.stringify({ filters: [{ name: "jobArn", operator: "EQUAL", values: [arn] }] }),
            });
            const summary = (JSON.parse(search.body) as { jobs: { tags: Record<string, string> }[] }).jobs[0];
            assert.deepEqual(Object.keys(summary.tags), ["__proto__", "constructor", "team"]);
        });

        it("refuses numbers beyond the type (32-bit integer, safe integer) with SerializationException, beyond the model's range with ValidationException", async () => {
            await start();
            for (const n of ["1e300", "9007199254740993", "2147483648", "-2147483649", "100000000000000000000000"]) {
                const res = await signedRequest(emu!.endpoint, {
                    method: "POST",
                    path: "/jobs",
                    body: `{"filters": [], "maxResults": ${n}}`,
                });
                assert.equal(res.status, 400, n);
                assert.equal(res.headers["x-amzn-errortype"], "SerializationException", n);
                assert.match(String(res.json().message), /at 'maxResults': Member must be an integer from -2147483648 to 2147483647/);
            }
            const res = await signedRequest(emu!.endpoint, {
                method: "POST",
                path: "/jobs",
                body: `{"filters": [], "maxResults": 2147483647}`,
            });
            assert.equal(res.status, 400);
            assert.equal(res.headers["x-amzn-errortype"], "ValidationException");
            assert.match(String(res.json().message), /Member must have value less than or equal to 100/);
        });

        it("refuses over-large numbers in seed jobs, naming the job and the member", async () => {
            const good = expectedBody(ARN.completedFull);
            const running = { ...good, status: "RUNNING", endedAt: undefined, billableDuration: undefined };
            const cases: [unknown, RegExp][] = [
                [
                    { ...good, instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 1e300 } },
                    /jobs\[0\] \(qaoa-maxcut-forte, arn:[^)]+\): invalid GetJob body: instanceConfig\.volumeSizeInGb: Member must be an integer from -2147483648 to 2147483647/,
                ],
                [
                    { ...good, instanceConfig: { instanceType: "ml.m5.large", volumeSizeInGb: 30, instanceCount: 2 ** 31 } },
                    /instanceConfig\.instanceCount: Member must be an integer from/,
                ],
                [{ ...good, billableDuration: 2 ** 53 + 2 }, /billableDuration: Member must be an integer from/],
                [
                    { ...good, stoppingCondition: { maxRuntimeInSeconds: 432001 } },
                    /maxRuntimeInSeconds: Member must have value less than or equal to 432000/,
                ],
                [
                    { ...running, emulator: { queuePosition: 1e300 } },
                    /emulator\.queuePosition: must be an integer from 1 to 9007199254740991/,
                ],
                [
                    { ...running, emulator: { transitions: [{ afterSeconds: 1e300, status: "COMPLETED" }] } },
                    /emulator\.transitions\[0\]\.afterSeconds: must be a number of seconds from 0 to 3155760000/,
                ],
                [
                    { ...running, emulator: { transitions: [{ afterSeconds: 1, status: "COMPLETED", billableDuration: 1e300 }] } },
                    /emulator\.transitions\[0\]\.billableDuration: must be an integer from 0 to 2147483647/,
                ],
                [
                    { ...running, emulator: { queuePositions: [{ afterSeconds: 1, position: 2 ** 60 }] } },
                    /emulator\.queuePositions\[0\]\.position: must be an integer from 1/,
                ],
                [
                    { ...running, queueInfo: { queue: "JOBS_QUEUE", position: "99999999999999999999" } },
                    /queueInfo\.position: must be a whole number/,
                ],
            ];
            for (const [bad, re] of cases) {
                await assert.rejects(startBraketEmulator({ jobs: [bad] }), (e: Error) => {
                    assert.ok(e instanceof SeedError, e.message);
                    assert.match(e.message, re);
                    return true;
                });
            }
        });

        it("a hostile jobs file gives errors naming the job (index, jobName, jobArn) and the member, escaped", async () => {
            const good = expectedBody(ARN.completedFull);
            const deep = JSON.parse(`${"[".repeat(100000)}${"]".repeat(100000)}`) as unknown;
            const cases: [unknown, RegExp][] = [
                [
                    JSON.parse(`{"__proto__": {"x": 1}}`),
                    /^jobs\[1\]: invalid GetJob body: .*__proto__: Member is not part of shape GetJobResponse/,
                ],
                [
                    { ...good, constructor: "x" },
                    /^jobs\[1\] \(qaoa-maxcut-forte, arn:[^)]+\): invalid GetJob body: constructor: Member is not part of shape/,
                ],
                [
                    { ...good, toString: 1, hasOwnProperty: 2 },
                    /toString: Member is not part of shape GetJobResponse; hasOwnProperty: Member is not part/,
                ],
                [
                    { ...good, nested: deep },
                    /^jobs\[1\] \(qaoa-maxcut-forte, arn:[^)]+\): invalid GetJob body: nested: Member is not part of shape/,
                ],
                [{ ...good, hyperParameters: { a: deep } }, /hyperParameters\["a"\]: Member must be a string/],
                [{ ...good, "\u001b[2Jbad\nname": 1 }, /\["\\u001b\[2Jbad\\nname"\]: Member is not part of shape/],
                [
                    { ...good, jobName: "evil\u001b]0;x\u0007", roleArn: undefined },
                    /^jobs\[1\] \("evil\\u001b\]0;x\\u0007", arn:[^)]+\): invalid GetJob body: roleArn: Member must not be null/,
                ],
                [{ ...good, jobArn: 42 }, /^jobs\[1\] \(qaoa-maxcut-forte\): invalid GetJob body: jobArn: Member must be a string/],
                [{ ...good, emulator: { "\u202eevil": 1 } }, /emulator\["\\u202eevil"\]: unknown member/],
                ["a string", /^jobs\[1\]: must be a JSON object/],
            ];
            for (const [bad, re] of cases) {
                await assert.rejects(startBraketEmulator({ jobs: [{ ...good, jobArn: MISSING_ARN }, bad] }), (e: Error) => {
                    assert.ok(e instanceof SeedError, e.message);
                    assert.match(e.message, re);
                    // eslint-disable-next-line no-control-regex
                    assert.doesNotMatch(e.message, /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e]/, "no raw control characters");
                    return true;
                });
            }
        });

        it("refuses a seed job without deviceConfig: SearchJobs's JobSummary requires device, so it could not be listed", async () => {
            await start();
            const arn = "arn:aws:braket:us-east-1:123456789012:job/5b1e2c3d-0000-4000-8000-00000000dead";
            const { deviceConfig: _omitted, ...noDevice } = expectedBody(ARN.completedFull);
            assert.throws(
                () => emu!.putJob({ ...noDevice, jobArn: arn, jobName: "no-device" }),
                /deviceConfig\.device: required \(SearchJobs's JobSummary requires device/,
            );
            await assert.rejects(
                startBraketEmulator({ jobs: [{ ...noDevice, jobArn: arn }] }),
                /jobs\[0\].*deviceConfig\.device: required/,
            );
            // Every job the endpoint lists has the JobSummary's required members.
            const all = await client().send(new SearchJobsCommand({ filters: [] }));
            assert.ok((all.jobs?.length ?? 0) > 0);
            assert.ok(all.jobs?.every((x) => typeof x.device === "string" && typeof x.jobName === "string"));
        });

        it("413 for an oversized body without reading it to the end: answered, then the connection is closed", async () => {
            await start();
            const { port, hostname } = new URL(emu!.endpoint);
            for (const framing of ["content-length", "chunked"] as const) {
                const total = 64 * 1024 * 1024;
                const socket = net.connect(Number(port), hostname);
                let sent = 0;
                let received = "";
                let finished = false;
                socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
                socket.on("error", () => undefined); // the server closes while we still send: EPIPE/ECONNRESET
                const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
                socket.write(
                    `POST /jobs HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
                        (framing === "content-length" ? `Content-Length: ${total}\r\n\r\n` : "Transfer-Encoding: chunked\r\n\r\n"),
                );
                const chunk = Buffer.alloc(64 * 1024, 0x20);
                const frame =
                    framing === "chunked"
                        ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])
                        : chunk;
                const pump = (): void => {
                    while (!finished && sent < total && received === "") {
                        sent += chunk.length;
                        if (!socket.write(frame)) return void socket.once("drain", pump);
                    }
                };
                pump();
                const started = Date.now();
                await Promise.race([closed, sleep(8000)]);
                finished = true;
                const elapsed = Date.now() - started;
                assert.match(received, /^HTTP\/1\.1 413 /, `${framing}: ${received.slice(0, 100)}`);
                assert.match(received, /x-amzn-errortype: RequestEntityTooLargeException/i);
                assert.match(received, /connection: close/i);
                assert.ok(socket.destroyed || socket.readableEnded, `${framing}: the server closed the connection`);
                assert.ok(elapsed < 5000, `${framing}: closed after ${elapsed} ms`);
                assert.ok(sent < total / 4, `${framing}: the client could send ${sent} of ${total} bytes: the server kept reading`);
                socket.destroy();
            }
            // The SDK gets the modeled 413, and the endpoint goes on serving.
            const e = await rejectsNamed(
                client().send(
                    new SearchJobsCommand({ filters: [{ name: "jobArn", operator: "CONTAINS", values: ["x".repeat(2 * 1024 * 1024)] }] }),
                ),
                "RequestEntityTooLargeException",
            );
            assert.equal(e.$metadata?.httpStatusCode, 413);
            assert.equal((await client().send(new GetJobCommand({ jobArn: ARN.queued }))).status, "QUEUED");
        });
    });

    describe("close()", () => {
        it("closes keep-alive connections so a process exits by itself", async function () {
            this.timeout(15000);
            const emulatorModule = path.resolve(__dirname, "..", "provider", "emulator", "index.js");
            const script = `
        const { startBraketEmulator } = require(${JSON.stringify(emulatorModule)});
        const { BraketClient, GetJobCommand } = require("@aws-sdk/client-braket");
        (async () => {
          const emu = await startBraketEmulator({ jobsFile: ${JSON.stringify(JOBS_FILE)}, latencyMs: 1 });
          const c = new BraketClient({ endpoint: emu.endpoint, region: "us-east-1", maxAttempts: 1,
            credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "x" } });
          await c.send(new GetJobCommand({ jobArn: ${JSON.stringify(ARN.queued)} }));
          emu.setFaults({ slow: 1, slowMs: 60000 });
          const pending = c.send(new GetJobCommand({ jobArn: ${JSON.stringify(ARN.queued)} })).catch(() => "aborted");
          await new Promise((r) => setTimeout(r, 100));
          await emu.close();
          console.log("closed", await pending);
        })();`;
            const started = Date.now();
            const child = spawn(process.execPath, ["-e", script], {
                cwd: path.resolve(__dirname, "..", ".."),
                stdio: ["ignore", "pipe", "pipe"],
            });
            let out = "";
            child.stdout.on("data", (d: Buffer) => (out += d.toString()));
            const code = await new Promise<number | null>((resolve) => {
                const timer = setTimeout(() => {
                    child.kill("SIGKILL");
                    resolve(-1);
                }, 8000);
                child.on("exit", (c) => {
                    clearTimeout(timer);
                    resolve(c);
                });
            });
            assert.equal(code, 0, `child did not exit by itself (stdout: ${out})`);
            assert.match(out, /closed aborted/);
            assert.ok(Date.now() - started < 8000);
        });
    });
});
