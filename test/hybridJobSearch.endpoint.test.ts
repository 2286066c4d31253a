/**
 * Finding jobs without their ARN, as the plugin's invokes run it (test/support/lookup.ts): the AWS
 * SDK's SearchJobs paginator against the local Braket endpoint over HTTP, then GetJob.
 */
import { strict as assert } from "node:assert";
import { BraketUnavailableError, HybridJobArgumentError, HybridJobThrottledError } from "../provider/errors";
import { searchCounters } from "../provider/hybridJobSearch";
import { NoMatchingJobError } from "../provider/jobFilters";
import { startBraketEmulator, type BraketEmulator } from "../provider/emulator";
import { AwsTestEnvironment, fixtureJobs, TEST_CREDENTIALS } from "./support/emulator";
import { jobSeries } from "./support/jobSeries";
import { listJobs, lookUp } from "./support/lookup";

// A nightly training, oldest first: the newest run is RUNNING, the newest COMPLETED the one before.
const NIGHTLY = jobSeries({ name: "nightly-train", statuses: ["COMPLETED", "FAILED", "COMPLETED", "CANCELLED", "COMPLETED", "RUNNING"] });
const at = (i: number) => NIGHTLY[i] as { jobArn: string; createdAt: string; status: string };
// The same name in another region, and on another device: neither may be taken for the us-east-1 series.
const WEST = jobSeries({ name: "nightly-train", statuses: ["COMPLETED"], region: "us-west-2", firstCreatedAt: "2026-11-20T00:00:00Z" });
const QPU = jobSeries({
    name: "nightly-train-qpu",
    statuses: ["COMPLETED", "COMPLETED"],
    device: "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1",
});

describe("name lookups and job lists against the local Braket endpoint (SearchJobs, then GetJob)", function () {
    this.timeout(60000);
    const env = new AwsTestEnvironment();
    let emu: BraketEmulator;

    async function start(jobs: unknown[]): Promise<void> {
        emu = await startBraketEmulator({ jobs, credentials: [TEST_CREDENTIALS] });
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_REGION: "us-east-1" });
    }
    beforeEach(() => start([...fixtureJobs(), ...NIGHTLY, ...WEST, ...QPU]));
    afterEach(() => emu.close());
    after(() => env.restore());

    it("jobName + mostRecent gives the newest run, exactly as a lookup of its ARN does", async () => {
        const byName = await lookUp({ jobName: "nightly-train", mostRecent: true });
        assert.equal(byName.jobArn, at(5).jobArn);
        assert.equal(byName.status, "RUNNING");
        assert.equal(emu.stats.byOperation.SearchJobs, 1);
        assert.equal(emu.stats.byOperation.GetJob, 1);
        assert.deepEqual(byName, await lookUp({ jobArn: at(5).jobArn }));
        // The ARN ends in a UUID: nothing of the name is in it.
        assert.ok(!byName.jobArn.includes("nightly"));
    });

    it("statuses narrows the candidates: the newest COMPLETED run, not the RUNNING one after it", async () => {
        const job = await lookUp({ jobName: "nightly-train", statuses: ["COMPLETED"], mostRecent: true });
        assert.equal(job.jobArn, at(4).jobArn);
        assert.equal(job.status, "COMPLETED");
        const ended = await lookUp({ jobName: "nightly-train", statuses: ["FAILED", "CANCELLED"], mostRecent: true });
        assert.equal(ended.jobArn, at(3).jobArn);
    });

    it("a time window picks the one run in it, without mostRecent; it is sent to the service", async () => {
        const job = await lookUp({
            jobName: "nightly-train",
            createdAfter: "2026-11-02T12:00:00Z",
            createdBefore: "2026-11-03T12:00:00+00:00",
        });
        assert.equal(job.jobArn, at(2).jobArn);
        // Dates mean midnight UTC; the bounds are strict.
        const onTheDot = await lookUp({ jobName: "nightly-train", createdAfter: "2026-11-03", createdBefore: "2026-11-03T02:00:01Z" });
        assert.equal(onTheDot.jobArn, at(2).jobArn);
        await assert.rejects(
            lookUp({ jobName: "nightly-train", createdAfter: at(5).createdAt }),
            (err: unknown) => err instanceof NoMatchingJobError && /created after 2026-11-06T02:00:00.000Z/.test(err.message),
        );
    });

    it("device matches the JobSummary's primary device exactly", async () => {
        const job = await lookUp({
            jobName: "nightly-train-qpu",
            device: "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1",
            mostRecent: true,
        });
        assert.equal(job.jobArn, (QPU[1] as { jobArn: string }).jobArn);
        await assert.rejects(
            lookUp({ jobName: "nightly-train-qpu", device: "arn:aws:braket:::device/quantum-simulator/amazon/sv1" }),
            NoMatchingJobError,
        );
    });

    it("no match: an error that names the filters, the region, and what was read; no GetJob", async () => {
        await assert.rejects(lookUp({ jobName: "nightly-trian", statuses: ["COMPLETED"] }), (err: unknown) => {
            assert.ok(err instanceof NoMatchingJobError, String(err));
            assert.match(err.message, /^No hybrid job named "nightly-trian" with status COMPLETED in region us-east-1/);
            assert.match(err.message, /SearchJobs read 1 page, \d+ jobs/);
            assert.match(err.message, /exact and case-sensitive/);
            return true;
        });
        // Names are exact: a prefix or another case is no match.
        await assert.rejects(lookUp({ jobName: "Nightly-Train", mostRecent: true }), NoMatchingJobError);
        await assert.rejects(lookUp({ jobName: "nightly", mostRecent: true }), NoMatchingJobError);
        assert.equal(emu.stats.byOperation.GetJob ?? 0, 0);
    });

    it("several matches without mostRecent: how many, the newest ones, and how to narrow; no GetJob", async () => {
        await assert.rejects(lookUp({ jobName: "nightly-train" }), (err: unknown) => {
            assert.ok(err instanceof HybridJobArgumentError, String(err));
            assert.equal(err.argument, "mostRecent");
            assert.match(err.message, /^6 hybrid jobs named "nightly-train" match in region us-east-1/);
            assert.ok(err.message.indexOf(at(5).jobArn) < err.message.indexOf(at(4).jobArn), "newest first");
            assert.match(err.message, /and 1 more/);
            assert.match(err.message, /set mostRecent: true/);
            return true;
        });
        assert.equal(emu.stats.byOperation.GetJob ?? 0, 0);
    });

    it("the region is the call's, else the provider's, else AWS_REGION; a job of another region is not found", async () => {
        const west = await lookUp({ jobName: "nightly-train", region: "us-west-2" });
        assert.equal(west.jobArn, (WEST[0] as { jobArn: string }).jobArn);
        const viaProvider = await lookUp({ jobName: "nightly-train" }, { region: "us-west-2" });
        assert.equal(viaProvider.jobArn, west.jobArn);
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_REGION: "us-west-2" });
        assert.equal((await lookUp({ jobName: "nightly-train" })).jobArn, west.jobArn);
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_REGION: undefined });
        const before = emu.stats.requests;
        await assert.rejects(lookUp({ jobName: "nightly-train" }), (err: unknown) => {
            assert.ok(err instanceof HybridJobArgumentError);
            assert.equal(err.argument, "region");
            assert.match(err.message, /needs a region, as there is no job ARN/);
            return true;
        });
        assert.equal(emu.stats.requests, before, "no request without a region");
    });

    it("reads every page: the newest run is found across pages, each page paced and counted", async () => {
        const many = jobSeries({ name: "hourly-sweep", statuses: Array.from({ length: 230 }, () => "COMPLETED"), everyHours: 1 });
        await emu.close();
        await start([...fixtureJobs(), ...many]);
        const pagesBefore = searchCounters.pages;
        const job = await lookUp({ jobName: "hourly-sweep", mostRecent: true });
        assert.equal(job.jobArn, (many[229] as { jobArn: string }).jobArn);
        // 237 jobs in us-east-1 at 100 a page.
        assert.equal(emu.stats.byOperation.SearchJobs, 3);
        assert.equal(searchCounters.pages - pagesBefore, 3);
        const list = await listJobs({ jobName: "hourly-sweep", maxResults: 10_000 });
        assert.equal(list.matchCount, 230);
        assert.equal(list.jobs.length, 230);
        assert.deepEqual(
            list.jobArns,
            [...many].reverse().map((j) => (j as { jobArn: string }).jobArn),
            "every run once, newest first",
        );
        // A window on the last ten hours is sent as createdAt filters: one page is enough.
        emu.resetStats();
        const recent = await listJobs({
            jobName: "hourly-sweep",
            createdAfter: new Date(Date.parse((many[219] as { createdAt: string }).createdAt)).toISOString(),
        });
        assert.equal(recent.matchCount, 10);
        assert.equal(emu.stats.byOperation.SearchJobs, 1);
    });

    it("throttling during pagination: the SDK retries each page, and the result is whole", async () => {
        const many = jobSeries({ name: "hourly-sweep", statuses: Array.from({ length: 230 }, () => "COMPLETED"), everyHours: 1 });
        await emu.close();
        await start(many);
        const calm = await listJobs({ jobName: "hourly-sweep", maxResults: 10_000 });
        emu.resetStats();
        emu.setFaults({ throttle: 0.5, serverError: 0.1 });
        const stormy = await listJobs({ jobName: "hourly-sweep", maxResults: 10_000 });
        assert.deepEqual(stormy, calm);
        const stats = emu.stats;
        assert.ok(stats.faults.throttle > 0, "the endpoint did throttle");
        assert.equal(stats.byStatus["200"], 3, "three pages answered");
        assert.ok(stats.byOperation.SearchJobs > 3, "and some were retried");
    });

    it("a search the service keeps refusing fails whole, naming SearchJobs, the name and the region", async () => {
        emu.setFaults({ throttle: 1 });
        await assert.rejects(listJobs({ jobName: "nightly-train" }, { maxRetries: 1 }), (err: unknown) => {
            assert.ok(err instanceof HybridJobThrottledError, String(err));
            assert.match(
                err.message,
                /^SearchJobs for hybrid jobs named "nightly-train" in region us-east-1 was throttled after 2 attempts/,
            );
            assert.match(err.message, /Braket limits SearchJobs requests/);
            return true;
        });
        emu.setFaults({ serverError: 1 });
        await assert.rejects(lookUp({ jobName: "nightly-train", mostRecent: true }, { maxRetries: 0 }), BraketUnavailableError);
    });

    it("getHybridJobs: newest first then by ARN, the cap, matchCount and truncated; the summaries as the API has them", async () => {
        const list = await listJobs({ jobName: "nightly-train", maxResults: 4 });
        assert.equal(list.region, "us-east-1");
        assert.equal(list.matchCount, 6);
        assert.equal(list.truncated, true);
        assert.deepEqual(
            list.jobArns,
            [5, 4, 3, 2].map((i) => at(i).jobArn),
        );
        assert.deepEqual(
            list.jobs.map((j) => j.jobArn),
            list.jobArns,
        );
        const newest = list.jobs[0];
        assert.deepEqual(Object.keys(newest).sort(), ["createdAt", "device", "jobArn", "jobName", "startedAt", "status"]);
        assert.equal(newest.createdAt, at(5).createdAt);
        const all = await listJobs({ jobName: "nightly-train" });
        assert.equal(all.truncated, false);
        assert.equal(all.jobs.length, 6);
        const completed = await listJobs({ jobName: "nightly-train", statuses: ["COMPLETED"] });
        assert.deepEqual(
            completed.jobArns,
            [4, 2, 0].map((i) => at(i).jobArn),
        );
        // Without a name: every job of the region, the fixtures included.
        const everything = await listJobs({});
        assert.equal(
            everything.matchCount,
            fixtureJobs().filter((j) => String(j.jobArn).includes(":us-east-1:")).length + NIGHTLY.length + QPU.length,
        );
    });

    it("getHybridJobs's createdAt takes the API's operators, applied by the service and again here", async () => {
        const between = await listJobs({
            jobName: "nightly-train",
            createdAt: { operator: "BETWEEN", values: [at(1).createdAt, at(3).createdAt] },
        });
        assert.deepEqual(
            between.jobArns,
            [3, 2, 1].map((i) => at(i).jobArn),
            "BETWEEN is inclusive",
        );
        const gte = await listJobs({ jobName: "nightly-train", createdAt: { operator: "GTE", values: [at(4).createdAt] } });
        assert.deepEqual(
            gte.jobArns,
            [5, 4].map((i) => at(i).jobArn),
        );
        const equal = await listJobs({
            jobName: "nightly-train",
            createdAt: { operator: "EQUAL", values: [at(0).createdAt, at(5).createdAt] },
        });
        assert.deepEqual(
            equal.jobArns,
            [5, 0].map((i) => at(i).jobArn),
        );
    });

    it("identical name lookups at the same time share one search; a later one searches again (a new run may exist)", async () => {
        const before = searchCounters.deduplicated;
        const [a, b] = await Promise.all([
            lookUp({ jobName: "nightly-train", mostRecent: true }),
            lookUp({ jobName: "nightly-train", mostRecent: true }),
        ]);
        assert.equal(a.jobArn, b.jobArn);
        assert.equal(emu.stats.byOperation.SearchJobs, 1);
        assert.equal(searchCounters.deduplicated - before, 1);
        const newer = jobSeries({ name: "nightly-train", statuses: ["QUEUED"], firstCreatedAt: "2026-11-30T02:00:00Z" })[0];
        emu.putJob({ ...newer, jobArn: String(newer.jobArn).replace(/.{4}$/, "beef") });
        const later = await lookUp({ jobName: "nightly-train", mostRecent: true });
        assert.equal(later.status, "QUEUED");
        assert.equal(emu.stats.byOperation.SearchJobs, 2);
    });

    it("bad filters are refused by name before any request", async () => {
        const refused: [Record<string, unknown>, string, RegExp][] = [
            [{ jobName: "has space" }, "jobName", /cannot be the name of a hybrid job/],
            [{ jobName: "x".repeat(51) }, "jobName", /1 to 50 letters/],
            [{ jobName: "" }, "jobName", /is not a job name/],
            [{ jobName: "a", statuses: ["DONE"] }, "statuses", /"DONE", which is not a hybrid job status/],
            [{ jobName: "a", statuses: [] }, "statuses", /non-empty list/],
            [{ jobName: "a", createdAfter: "yesterday" }, "createdAfter", /not a timestamp with a time zone/],
            [{ jobName: "a", createdAfter: "2026-11-29T12:00:00" }, "createdAfter", /time zone/],
            [{ jobName: "a", createdAfter: "2026-11-29", createdBefore: "2026-11-28" }, "createdAfter", /is not before createdBefore/],
            [{ jobName: "a", device: "sv 1" }, "device", /is not a device/],
            [{ jobName: "a", mostRecent: "yes" }, "mostRecent", /true or false/],
            [{ jobName: "a", jobArn: at(0).jobArn }, "jobName", /jobArn or jobName, not both/],
            [{ jobArn: at(0).jobArn, mostRecent: true }, "mostRecent", /only to a search by jobName; with jobArn, leave it out/],
            [{ statuses: ["COMPLETED"] }, "statuses", /only to a search by jobName: pass jobName too/],
            [{ jobName: "a", additionalAttributeNames: ["Queue"] }, "additionalAttributeNames", /does not support/],
            [{ jobName: "a", jobname: "b" }, "jobname", /has no argument "jobname"/],
        ];
        for (const [args, argument, message] of refused) {
            await assert.rejects(lookUp(args), (err: unknown) => {
                assert.ok(err instanceof HybridJobArgumentError, `${JSON.stringify(args)}: ${String(err)}`);
                assert.equal(err.argument, argument, JSON.stringify(args));
                assert.match(err.message, message);
                return true;
            });
        }
        const listRefused: [Record<string, unknown>, string, RegExp][] = [
            [{ maxResults: 0 }, "maxResults", /whole number from 1 to 10000/],
            [{ maxResults: 2.5 }, "maxResults", /whole number/],
            [{ createdAt: { operator: "CONTAINS", values: ["2026-11-01"] } }, "createdAt", /not one of LT, LTE, EQUAL, GT, GTE, BETWEEN/],
            [{ createdAt: { operator: "BETWEEN", values: ["2026-11-01"] } }, "createdAt", /list of 2 timestamps for BETWEEN, got 1/],
            [{ createdAt: { operator: "GT", values: ["soon"] } }, "createdAt.values[0]", /not a timestamp/],
            [{ createdAt: { operator: "GT", values: ["2026-11-01"], name: "jobArn" } }, "createdAt", /"name", which it does not take/],
            [{ mostRecent: true }, "mostRecent", /has no argument "mostRecent"/],
        ];
        for (const [args, argument, message] of listRefused) {
            await assert.rejects(listJobs(args), (err: unknown) => {
                assert.ok(err instanceof HybridJobArgumentError, `${JSON.stringify(args)}: ${String(err)}`);
                assert.equal(err.argument, argument, JSON.stringify(args));
                assert.match(err.message, message);
                return true;
            });
        }
        assert.equal(emu.stats.requests, 0);
        // mostRecent: false says nothing about a search, so it may go with a jobArn (a program setting it from config).
        assert.equal((await lookUp({ jobArn: at(0).jobArn, mostRecent: false })).jobArn, at(0).jobArn);
    });

    it("a secret name keeps every filter and ARN out of messages, and makes the result secret", async () => {
        await assert.rejects(lookUp({ jobName: "nightly-train" }, {}, { secret: ["jobName"] }), (err: unknown) => {
            assert.ok(err instanceof HybridJobArgumentError);
            assert.ok(!err.message.includes("nightly-train"), err.message);
            assert.ok(!err.message.includes(at(5).jobArn.slice(-36)), err.message);
            assert.match(err.message, /^6 hybrid jobs matching the given filters \(\[secret\]\) match/);
            return true;
        });
        await assert.rejects(lookUp({ jobName: "no-such-job" }, {}, { secret: ["jobName"] }), (err: unknown) => {
            assert.ok(err instanceof NoMatchingJobError);
            assert.ok(!err.message.includes("no-such-job"), err.message);
            return true;
        });
    });
});
