/**
 * The HybridJobCompletion gate's handlers (provider/hybridJobCompletion.ts) against the local
 * endpoint, with their inputs marshalled as the engine sends them (secrets wrapped, unknowns as the
 * protocol's sentinel).
 */
import { strict as assert } from "node:assert";
import type { BraketEmulator } from "../provider/emulator";
import { HybridJobFailedError } from "../provider/errors";
import {
    checkCompletion,
    checkCompletionRegion,
    createCompletion,
    diffCompletion,
    inputsAfterRead,
    readCompletion,
    secretOutputs,
    updateCompletion,
    type CompletionInputs,
} from "../provider/hybridJobCompletion";
import { UNKNOWN, unwrapProperties, wrapProperties, type Unwrapped } from "../provider/propertyValues";
import { AwsTestEnvironment, fixtureJob, fixtureJobs, startFixtureEmulator } from "./support/emulator";
import { jobSeries } from "./support/jobSeries";

const RUNNING = fixtureJob("grover-search-running");
const DONE = fixtureJob("qaoa-maxcut-forte");
const FAST = { initialIntervalSeconds: 0.05, maxIntervalSeconds: 0.2 };
const NO_PROVIDER_CONFIG = {};

/** Properties as the engine sends them: `secret` names wrapped as secrets, UNKNOWN as the sentinel. */
function props(values: Partial<Record<keyof CompletionInputs, unknown>>, secret: string[] = []): Unwrapped {
    return unwrapProperties(wrapProperties(values as Record<string, unknown>, secret));
}

function create(
    values: Partial<Record<keyof CompletionInputs, unknown>>,
    options: { secret?: string[]; onProgress?: (p: { transientError?: string }) => void } = {},
) {
    return createCompletion(props(values, options.secret), NO_PROVIDER_CONFIG, {
        signal: new AbortController().signal,
        onProgress: options.onProgress ?? (() => undefined),
    });
}

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

describe("HybridJobCompletion handlers against the local endpoint", function () {
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
        const { id, outs } = await create({ jobArn, timeoutSeconds: 20, ...FAST });
        assert.ok(Date.now() - started >= 500, "returned before the job completed");
        assert.equal(id, jobArn);
        assert.equal(outs.status, "COMPLETED");
        assert.equal(outs.resultsS3Uri, `${String(outs.outputS3Path).replace(/\/$/, "")}/output/model.tar.gz`);
        assert.equal(outs.jobName, "gate-test-6d1f6a3e");
        assert.equal(outs.timeoutSeconds, undefined, "the engine keeps the inputs; the state is the job");
        assert.ok(emu.stats.byOperation.GetJob >= 2);
    });

    it("create fails the deployment with name, ARN, status and failureReason when the job FAILED", async () => {
        const jobArn = jobEnding(emu, "6d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d02", "FAILED", 0.3, "AlgorithmError: out of memory");
        await assert.rejects(create({ jobArn, timeoutSeconds: 20, ...FAST }), (err: unknown) => {
            assert.ok(err instanceof HybridJobFailedError);
            assert.match(err.message, /gate-test-6d1f6a3e/);
            assert.ok(err.message.includes(jobArn));
            assert.match(err.message, /ended FAILED: AlgorithmError: out of memory/);
            return true;
        });
    });

    it("create times out clearly while the job is still running", async () => {
        const jobArn = jobEnding(emu, "6d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d03", "COMPLETED", 3600);
        const started = Date.now();
        await assert.rejects(create({ jobArn, timeoutSeconds: 0.8, ...FAST }), /still RUNNING when the wait's timeout of 0.8 s passed/);
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
        const { outs } = await create(
            { jobArn, timeoutSeconds: 20, ...FAST },
            { onProgress: (p) => void (p.transientError && transient.push(p.transientError)) },
        );
        assert.equal(outs.status, "COMPLETED");
        assert.ok(transient.length >= 2, "faults were injected and survived");
        assert.ok((emu.stats.byStatus["429"] ?? 0) > 0 && (emu.stats.byStatus["500"] ?? 0) > 0);
    });

    it("keeps a secret ARN out of the gate's id, which Pulumi stores in plain text", async () => {
        const { id, outs } = await create({ jobArn: DONE.jobArn, timeoutSeconds: 60 }, { secret: ["jobArn"] });
        assert.match(id, /^secret-[0-9a-f-]{36}$/);
        assert.ok(!id.includes(String(DONE.jobArn).slice(-12)));
        const again = await create({ jobArn: DONE.jobArn, timeoutSeconds: 60 }, { secret: ["jobArn"] });
        assert.notEqual(again.id, id, "not derived from the ARN, so it cannot be guessed back");
        assert.equal(outs.status, "COMPLETED");
        const plain = await create({ jobArn: DONE.jobArn, timeoutSeconds: 60 });
        assert.equal(plain.id, DONE.jobArn);
    });

    it("check refuses bad inputs with the property, and leaves unknowns to the update", () => {
        const check = (values: Partial<Record<keyof CompletionInputs, unknown>>) => checkCompletion(props(values), NO_PROVIDER_CONFIG);
        const bad = check({ jobArn: "arn:aws:braket:us-east-1:123456789012:quantum-task/x" });
        assert.equal(bad[0].property, "jobArn");
        assert.match(bad[0].reason, /JobArn pattern/);
        assert.equal(check({ jobArn: UNKNOWN }).length, 0);
        assert.equal(check({ jobArn: DONE.jobArn, timeoutSeconds: -5 })[0].property, "timeoutSeconds");
        assert.equal(check({ jobArn: DONE.jobArn }).length, 0);
        assert.equal(check({}).length, 1, "jobArn is required");
        assert.deepEqual(check({ jobArn: DONE.jobArn, timeoutSeconds: UNKNOWN }), [], "unknown timeout");
        assert.deepEqual(check({ jobArn: DONE.jobArn, successStatuses: [UNKNOWN] }), [], "unknown status in the list");
        const crossed = check({ jobArn: DONE.jobArn, initialIntervalSeconds: 120 });
        assert.equal(crossed[0].property, "initialIntervalSeconds");
        assert.match(crossed[0].reason, /must not be less than initialIntervalSeconds/);
        assert.equal(check({ jobArn: DONE.jobArn, successStatuses: ["RUNNING"] })[0].property, "successStatuses");
        const secretBad = checkCompletion(props({ jobArn: "arn:aws:braket:us-east-1:123456789012:job/" }, ["jobArn"]), NO_PROVIDER_CONFIG);
        assert.match(secretBad[0].reason, /\[secret\]/);
        assert.ok(!secretBad[0].reason.includes("123456789012"), "a secret ARN stays out of the message");
        const badProviderRegion = checkCompletion(props({ jobArn: DONE.jobArn, region: "mars-1" }), NO_PROVIDER_CONFIG);
        assert.equal(badProviderRegion[0].property, "region");
    });

    it("diff replaces for another job, updates for new options, and is quiet when nothing changed", () => {
        const inputs = { jobArn: DONE.jobArn, timeoutSeconds: 60 };
        const diff = (olds: Unwrapped, news: Unwrapped) => diffCompletion(olds, news);
        assert.deepEqual(diff(props(inputs), props(inputs)), { changed: [], replaces: [] });
        assert.deepEqual(diff(props(inputs), props({ ...inputs, jobArn: RUNNING.jobArn })).replaces, ["jobArn"]);
        assert.deepEqual(diff(props(inputs), props({ ...inputs, region: "us-west-2" })), { changed: ["region"], replaces: [] });
        assert.deepEqual(diff(props(inputs), props(inputs, ["jobArn"])).replaces, ["jobArn"], "a plain-text id must go");
        const resigned = diff(props(inputs), props({ ...inputs, profile: "ci", endpoint: "https://braket.example" }));
        assert.deepEqual(resigned.changed, ["profile", "endpoint"]);
        assert.deepEqual(resigned.replaces, [], "who asks, and where, is not another job: no new wait");
        assert.deepEqual(diff(props(inputs), props({ ...inputs, successStatuses: ["COMPLETED", "CANCELLED"] })).replaces, [
            "successStatuses",
        ]);
        assert.deepEqual(diff(props(inputs), props({ jobArn: DONE.jobArn })), { changed: ["timeoutSeconds"], replaces: [] });
        const retimed = diff(props(inputs), props({ ...inputs, timeoutSeconds: 120 }));
        assert.deepEqual(retimed, { changed: ["timeoutSeconds"], replaces: [] });
        assert.deepEqual(
            diff(props(inputs), props({ ...inputs, jobArn: UNKNOWN })).replaces,
            ["jobArn"],
            "an unknown ARN may be another job",
        );
    });

    it("update keeps the job's fields as they were and waits for nothing", async () => {
        const { outs } = await create({ jobArn: DONE.jobArn, timeoutSeconds: 60 });
        const before = emu.stats.byOperation.GetJob;
        const updated = updateCompletion(unwrapProperties(outs));
        assert.deepEqual(updated.outs, outs);
        assert.equal(emu.stats.byOperation.GetJob, before, "no request");
    });

    it("read (refresh) re-reads the job, and drops the gate when the job is gone", async () => {
        const signal = new AbortController().signal;
        const inputs = props({ jobArn: DONE.jobArn, timeoutSeconds: 60 });
        const { id, outs } = await create({ jobArn: DONE.jobArn, timeoutSeconds: 60 });
        emu.putJob({ ...(emu.getJob(DONE.jobArn as string) as object), tags: { refreshed: "yes" } });
        const refreshed = await readCompletion(id, unwrapProperties(outs), inputs, NO_PROVIDER_CONFIG, signal);
        assert.ok(refreshed);
        assert.deepEqual(refreshed.outs.tags, { refreshed: "yes" });
        assert.equal("queueInfo" in outs || "queueInfo" in refreshed.outs, false, "the queue position of a moment is not state");
        // An import: no inputs, the id is the ARN.
        const imported = await readCompletion(DONE.jobArn as string, props({}), props({}), NO_PROVIDER_CONFIG, signal);
        assert.equal(imported?.outs.jobName, DONE.jobName);
        const gone = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-0000000000aa";
        assert.equal(
            await readCompletion(gone, props({ ...outs, jobArn: gone }), props({ jobArn: gone }), NO_PROVIDER_CONFIG, signal),
            undefined,
        );
    });

    it("a cancelled wait ends at once with a cancellation, and reads no more", async () => {
        const jobArn = jobEnding(emu, "6d1f6a3e-9f0e-4a61-8c39-7f6c1b1e2d06", "COMPLETED", 3600);
        const cancel = new AbortController();
        const wait = createCompletion(
            props({ jobArn, timeoutSeconds: 600, initialIntervalSeconds: 0.05, maxIntervalSeconds: 0.1 }),
            NO_PROVIDER_CONFIG,
            {
                signal: cancel.signal,
                onProgress: () => undefined,
            },
        );
        await new Promise((r) => setTimeout(r, 300));
        const started = Date.now();
        cancel.abort(new Error("Cancelled: test"));
        await assert.rejects(wait, /cancelled/i);
        assert.ok(Date.now() - started < 200, "ended at once");
        await new Promise((r) => setTimeout(r, 400));
        // A read already on the wire when the wait was cancelled may still be counted as it lands;
        // none may start after it (the wait polled every 50-100 ms).
        const late = emu.stats.log.filter((e) => e.operation === "GetJob" && Date.parse(e.time) > started + 50);
        assert.deepEqual(late, [], "nothing polls after the cancellation");
    });
});

describe("HybridJobCompletion by jobName: one search at create, then the job it found", function () {
    this.timeout(30000);
    const env = new AwsTestEnvironment();
    let emu: BraketEmulator;
    // Oldest first: the newest run is RUNNING and completes a moment after the gate starts waiting.
    const series = jobSeries({ name: "gate-by-name", statuses: ["COMPLETED", "FAILED", "RUNNING"] });
    const newest = series[2] as { jobArn: string };

    beforeEach(async () => {
        emu = await startFixtureEmulator({
            jobs: [
                ...fixtureJobs(),
                series[0],
                series[1],
                { ...series[2], emulator: { transitions: [{ afterSeconds: 0.4, status: "COMPLETED" }] } },
            ],
        });
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_REGION: "us-east-1" });
    });
    afterEach(() => emu.close());
    after(() => env.restore());

    it("create finds the newest run, waits for it, and records its ARN as the id and the jobArn output", async () => {
        const { id, outs } = await create({ jobName: "gate-by-name", mostRecent: true, timeoutSeconds: 60, ...FAST });
        assert.equal(id, newest.jobArn);
        assert.equal(outs.jobArn, newest.jobArn);
        assert.equal(outs.status, "COMPLETED");
        assert.equal(emu.stats.byOperation.SearchJobs, 1, "one search, then only GetJob");
        assert.ok(emu.stats.byOperation.GetJob >= 2, "it waited");
    });

    it("with statuses it takes the newest run in one of them, and passes at once", async () => {
        const { outs } = await create({ jobName: "gate-by-name", statuses: ["COMPLETED"], timeoutSeconds: 60, ...FAST });
        assert.equal(outs.jobArn, (series[0] as { jobArn: string }).jobArn);
        const failed = create({ jobName: "gate-by-name", statuses: ["FAILED"], timeoutSeconds: 60, ...FAST });
        await assert.rejects(
            failed,
            (err: unknown) => err instanceof HybridJobFailedError && /AlgorithmError: run failed/.test(err.message),
        );
    });

    it("refresh re-reads the job found at create, not a newer run of the name", async () => {
        const { id, outs } = await create({ jobName: "gate-by-name", mostRecent: true, timeoutSeconds: 60, ...FAST });
        const newer = jobSeries({ name: "gate-by-name", statuses: ["QUEUED"], firstCreatedAt: "2026-11-30T00:00:00Z" })[0];
        emu.putJob({ ...newer, jobArn: String(newer.jobArn).replace(/.{4}$/, "cafe") });
        const inputs = props({ jobName: "gate-by-name", mostRecent: true, timeoutSeconds: 60 });
        const searchesBefore = emu.stats.byOperation.SearchJobs;
        const refreshed = await readCompletion(id, unwrapProperties(outs), inputs, NO_PROVIDER_CONFIG, new AbortController().signal);
        assert.equal(refreshed?.outs.jobArn, newest.jobArn);
        assert.equal(emu.stats.byOperation.SearchJobs, searchesBefore, "no new search");
        assert.deepEqual(inputsAfterRead(inputs, refreshed!.outs), { jobName: "gate-by-name", mostRecent: true, timeoutSeconds: 60 });
    });

    it("check needs jobArn or jobName, not both, and checks the filters; unknowns wait for the update", () => {
        const check = (values: Partial<Record<keyof CompletionInputs, unknown>>) => checkCompletion(props(values), NO_PROVIDER_CONFIG);
        assert.deepEqual(check({ jobName: "gate-by-name", mostRecent: true }), []);
        const both = check({ jobName: "gate-by-name", jobArn: newest.jobArn });
        assert.equal(both[0].property, "jobName");
        assert.match(both[0].reason, /jobArn or jobName, not both/);
        const neither = check({});
        assert.equal(neither[0].property, "jobArn");
        assert.match(neither[0].reason, /needs jobArn .* or jobName/);
        assert.equal(check({ jobName: "gate-by-name", statuses: ["DONE"] })[0].property, "statuses");
        assert.equal(check({ jobArn: newest.jobArn, createdAfter: "2026-11-01" })[0].property, "createdAfter");
        assert.deepEqual(check({ jobName: UNKNOWN, mostRecent: true }), []);
        assert.equal(emu.stats.requests, 0, "check never asks the service");
    });

    it("check finds a missing region in the preview: none given, none from the provider, none in AWS_REGION", async () => {
        const news = props({ jobName: "gate-by-name", mostRecent: true });
        assert.deepEqual(await checkCompletionRegion(news, NO_PROVIDER_CONFIG), [], "AWS_REGION gives one");
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_REGION: undefined });
        const failures = await checkCompletionRegion(news, NO_PROVIDER_CONFIG);
        assert.equal(failures[0]?.property, "region");
        assert.match(failures[0].reason, /needs a region, as there is no job ARN/);
        assert.deepEqual(await checkCompletionRegion(news, { region: "us-east-1" }), [], "the provider's region");
        assert.deepEqual(await checkCompletionRegion(props({ jobArn: newest.jobArn }), NO_PROVIDER_CONFIG), [], "an ARN has its region");
        assert.equal(emu.stats.requests, 0);
    });

    it("diff: another name or filter replaces the gate (it must search again); the same search does not", () => {
        const inputs = { jobName: "gate-by-name", mostRecent: true, timeoutSeconds: 60 };
        assert.deepEqual(diffCompletion(props(inputs), props(inputs)), { changed: [], replaces: [] });
        for (const [key, value] of [
            ["jobName", "other-name"],
            ["statuses", ["COMPLETED"]],
            ["createdAfter", "2026-11-02"],
            ["createdBefore", "2026-11-30"],
            ["device", "arn:aws:braket:::device/quantum-simulator/amazon/sv1"],
            ["mostRecent", false],
        ] as const) {
            assert.deepEqual(diffCompletion(props(inputs), props({ ...inputs, [key]: value })).replaces, [key], key);
        }
        const byArn = diffCompletion(props(inputs), props({ jobArn: newest.jobArn, timeoutSeconds: 60 }));
        assert.deepEqual(byArn.replaces.sort(), ["jobArn", "jobName", "mostRecent"]);
    });

    it("a secret name makes the found ARN secret: a random id, and the jobArn and jobName outputs secret", async () => {
        const inputs = props({ jobName: "gate-by-name", mostRecent: true, timeoutSeconds: 60, ...FAST }, ["jobName"]);
        const { id } = await createCompletion(inputs, NO_PROVIDER_CONFIG, {
            signal: new AbortController().signal,
            onProgress: () => undefined,
        });
        assert.match(id, /^secret-[0-9a-f-]{36}$/);
        assert.deepEqual(secretOutputs(inputs), ["jobArn", "jobName"]);
        assert.deepEqual(secretOutputs(props({ jobName: "gate-by-name" })), []);
        // The job it finds is named as secretly as the search: a FAILED run's message shows neither its name nor its ARN.
        const failed = createCompletion(
            props({ jobName: "gate-by-name", statuses: ["FAILED"], timeoutSeconds: 60, ...FAST }, ["jobName"]),
            NO_PROVIDER_CONFIG,
            {
                signal: new AbortController().signal,
                onProgress: () => undefined,
            },
        );
        await assert.rejects(failed, (err: unknown) => {
            assert.ok(err instanceof HybridJobFailedError, String(err));
            assert.equal(err.message, "Hybrid job [secret] ([secret]) ended FAILED: AlgorithmError: run failed.");
            assert.equal(err.jobName, "[secret]");
            return true;
        });
    });
});
