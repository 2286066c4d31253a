/**
 * The pure parts of a search (provider/jobFilters.ts) and the check of SearchJobs pages
 * (provider/mapping.ts toHybridJobSummaries): no endpoint.
 */
import { strict as assert } from "node:assert";
import { BraketJobError, HybridJobArgumentError } from "../provider/errors";
import {
    checkJobFilters,
    checkMaxJobs,
    checkTimestamp,
    chooseJob,
    compareSummaries,
    CREATED_AT_OPERATORS,
    describeFilters,
    LIST_FILTERS,
    matchesFilters,
    NAME_LOOKUP_FILTERS,
    NoMatchingJobError,
    SEARCH_FILTER_NAMES,
    SEARCH_PAGE_SIZE,
    searchJobsFilters,
} from "../provider/jobFilters";
import { toHybridJobSummaries } from "../provider/mapping";
import type { HybridJobSummary } from "../provider/types";

const summary = (createdAt: string, jobArnSuffix: string, extra: Partial<HybridJobSummary> = {}): HybridJobSummary => ({
    createdAt,
    device: "arn:aws:braket:::device/quantum-simulator/amazon/sv1",
    jobArn: `arn:aws:braket:us-east-1:123456789012:job/${jobArnSuffix}`,
    jobName: "nightly",
    status: "COMPLETED",
    ...extra,
});

describe("job filters (pure)", () => {
    it("takes the filter names, operators and page size from the Braket model", () => {
        assert.deepEqual([...SEARCH_FILTER_NAMES].sort(), ["createdAt", "jobArn"]);
        assert.deepEqual(CREATED_AT_OPERATORS, ["LT", "LTE", "EQUAL", "GT", "GTE", "BETWEEN"]);
        assert.equal(SEARCH_PAGE_SIZE, 100);
    });

    it("reads timestamps with a zone or dates, as UTC; refuses a time without a zone", () => {
        assert.equal(checkTimestamp("2026-11-29T12:00:00Z", "t"), "2026-11-29T12:00:00.000Z");
        assert.equal(checkTimestamp("2026-11-29T13:30:00+01:30", "t"), "2026-11-29T12:00:00.000Z");
        assert.equal(checkTimestamp("2026-11-29T13:30:00+0130", "t"), "2026-11-29T12:00:00.000Z");
        assert.equal(checkTimestamp("2026-11-29", "t"), "2026-11-29T00:00:00.000Z");
        assert.equal(checkTimestamp("2026-11-29T12:00Z", "t"), "2026-11-29T12:00:00.000Z");
        for (const bad of [
            "2026-11-29T12:00:00",
            "29/11/2026",
            "2026-13-01",
            "2026-02-30",
            "2026-04-31T10:00:00Z",
            "tomorrow",
            "",
            1764417600,
            null,
        ]) {
            assert.throws(
                () => checkTimestamp(bad, "createdAfter"),
                (err: unknown) => err instanceof HybridJobArgumentError && err.argument === "createdAfter",
                String(bad),
            );
        }
        assert.throws(
            () => checkTimestamp("zz-secret-qq", "createdAfter", true),
            (err: Error) => !err.message.includes("zz-secret-qq"),
        );
    });

    it("checks only the filters its caller takes, sorted and de-duplicated", () => {
        const f = checkJobFilters(
            { jobName: "nightly", statuses: ["RUNNING", "COMPLETED", "RUNNING"], createdAt: { operator: "GT", values: ["2026-11-01"] } },
            NAME_LOOKUP_FILTERS,
        );
        assert.deepEqual(f, { jobName: "nightly", statuses: ["COMPLETED", "RUNNING"] }, "createdAt is getHybridJobs's only");
        const list = checkJobFilters({ createdAt: { operator: "BETWEEN", values: ["2026-11-02", "2026-11-01"] } }, LIST_FILTERS);
        assert.deepEqual(list.createdAt, { operator: "BETWEEN", values: ["2026-11-02T00:00:00.000Z", "2026-11-01T00:00:00.000Z"] });
    });

    it("sends only the time window to SearchJobs, as createdAt filters", () => {
        assert.deepEqual(searchJobsFilters({ jobName: "x", statuses: ["COMPLETED"], device: "d" }), []);
        assert.deepEqual(
            searchJobsFilters({
                createdAfter: "2026-11-01T00:00:00.000Z",
                createdBefore: "2026-11-30T00:00:00.000Z",
                createdAt: { operator: "EQUAL", values: ["2026-11-15T00:00:00.000Z"] },
            }),
            [
                { name: "createdAt", operator: "BETWEEN", values: ["2026-11-01T00:00:00.000Z", "2026-11-30T00:00:00.000Z"] },
                { name: "createdAt", operator: "EQUAL", values: ["2026-11-15T00:00:00.000Z"] },
            ],
        );
        assert.deepEqual(searchJobsFilters({ createdAfter: "2026-11-01T00:00:00.000Z" }), [
            { name: "createdAt", operator: "GT", values: ["2026-11-01T00:00:00.000Z"] },
        ]);
        assert.deepEqual(searchJobsFilters({ createdBefore: "2026-11-01T00:00:00.000Z" }), [
            { name: "createdAt", operator: "LT", values: ["2026-11-01T00:00:00.000Z"] },
        ]);
        // A BETWEEN given newest first goes to the service in order.
        assert.deepEqual(
            searchJobsFilters({ createdAt: { operator: "BETWEEN", values: ["2026-11-30T00:00:00.000Z", "2026-11-01T00:00:00.000Z"] } }),
            [{ name: "createdAt", operator: "BETWEEN", values: ["2026-11-01T00:00:00.000Z", "2026-11-30T00:00:00.000Z"] }],
        );
    });

    it("matches every filter on the summary, bounds strict, BETWEEN inclusive in either order", () => {
        const job = summary("2026-11-15T00:00:00.000Z", "a");
        assert.ok(matchesFilters(job, {}));
        assert.ok(matchesFilters(job, { jobName: "nightly", statuses: ["COMPLETED", "FAILED"] }));
        assert.ok(!matchesFilters(job, { jobName: "Nightly" }));
        assert.ok(!matchesFilters(job, { statuses: ["RUNNING"] }));
        assert.ok(!matchesFilters(job, { device: "arn:aws:braket:::device/quantum-simulator/amazon/dm1" }));
        assert.ok(!matchesFilters(job, { createdAfter: job.createdAt }));
        assert.ok(!matchesFilters(job, { createdBefore: job.createdAt }));
        assert.ok(matchesFilters(job, { createdAfter: "2026-11-14T23:59:59.999Z", createdBefore: "2026-11-15T00:00:00.001Z" }));
        const between = { operator: "BETWEEN", values: ["2026-11-16T00:00:00.000Z", job.createdAt] };
        assert.ok(matchesFilters(job, { createdAt: between }));
        assert.ok(!matchesFilters(job, { createdAt: { operator: "LT", values: [job.createdAt] } }));
        assert.ok(matchesFilters(job, { createdAt: { operator: "LTE", values: [job.createdAt] } }));
        assert.ok(matchesFilters(job, { createdAt: { operator: "EQUAL", values: ["2026-11-01T00:00:00.000Z", job.createdAt] } }));
    });

    it("orders newest first, then by ARN, whatever order the pages came in", () => {
        const jobs = [summary("2026-11-01T00:00:00Z", "b"), summary("2026-11-02T00:00:00Z", "c"), summary("2026-11-01T00:00:00Z", "a")];
        assert.deepEqual(
            [...jobs].sort(compareSummaries).map((j) => j.jobArn.slice(-1)),
            ["c", "a", "b"],
        );
    });

    it("chooses the only match, or the newest with mostRecent; says how to go on otherwise", () => {
        const tally = { pages: 2, scanned: 150 };
        const filters = { jobName: "nightly", statuses: ["COMPLETED" as const] };
        const one = summary("2026-11-01T00:00:00Z", "a");
        assert.equal(chooseJob([one], { filters, mostRecent: false, where: "region us-east-1", tally }), one);
        const many = Array.from({ length: 7 }, (_, i) => summary(`2026-11-0${i + 1}T00:00:00Z`, `j${i}`));
        assert.equal(chooseJob(many, { filters, mostRecent: true, where: "region us-east-1", tally }).jobArn.slice(-2), "j6");
        assert.throws(
            () => chooseJob(many, { filters, mostRecent: false, where: "region us-east-1", tally }),
            (err: unknown) =>
                err instanceof HybridJobArgumentError &&
                /^7 hybrid jobs named "nightly" with status COMPLETED match in region us-east-1 \(.*job\/j6 COMPLETED created 2026-11-07/.test(
                    err.message,
                ) &&
                /and 2 more\)/.test(err.message),
        );
        assert.throws(
            () => chooseJob([], { filters, mostRecent: true, where: "region eu-west-2", tally }),
            (err: unknown) =>
                err instanceof NoMatchingJobError &&
                err.message.startsWith(
                    'No hybrid job named "nightly" with status COMPLETED in region eu-west-2 (SearchJobs read 2 pages, 150 jobs)',
                ),
        );
        assert.throws(
            () => chooseJob(many, { filters, mostRecent: false, where: "region us-east-1", tally, redact: true }),
            (err: Error) => !err.message.includes("nightly") && !err.message.includes("job/j"),
        );
    });

    it("describes filters in words for messages", () => {
        assert.equal(describeFilters({}), "of any name");
        assert.equal(
            describeFilters({ jobName: "n", device: "d", createdAfter: "2026-11-01T00:00:00.000Z" }),
            'named "n" on device d, created after 2026-11-01T00:00:00.000Z',
        );
    });

    it("caps getHybridJobs at 100 by default, at most 10000", () => {
        assert.equal(checkMaxJobs(undefined), 100);
        assert.equal(checkMaxJobs(10_000), 10_000);
        for (const bad of [0, -1, 10_001, 1.5, "5", Number.NaN]) {
            assert.throws(
                () => checkMaxJobs(bad),
                (err: unknown) => err instanceof HybridJobArgumentError && err.argument === "maxResults",
            );
        }
    });
});

describe("SearchJobs pages checked against the model's JobSummary (toHybridJobSummaries)", () => {
    const raw = {
        createdAt: new Date("2026-11-01T00:00:00Z"),
        device: "arn:aws:braket:::device/quantum-simulator/amazon/sv1",
        jobArn: "arn:aws:braket:us-east-1:123456789012:job/3a8987db-45b1-48c4-8a4f-f9cf5f684f66",
        jobName: "nightly",
        status: "COMPLETED",
        tags: { __proto__: "kept", team: "q" } as Record<string, string>,
        unmodelled: "dropped",
    };

    it("maps timestamps to ISO strings, keeps map keys as data, drops unmodelled members", () => {
        const [job] = toHybridJobSummaries({ jobs: [JSON.parse(JSON.stringify({ ...raw, createdAt: undefined }))].map(() => raw) }, "x");
        assert.equal(job.createdAt, "2026-11-01T00:00:00.000Z");
        assert.equal("unmodelled" in job, false);
        assert.equal(job.tags?.team, "q");
        assert.deepEqual(toHybridJobSummaries({ jobs: [] }, "x"), []);
    });

    it("refuses the whole page for one bad summary, naming the member", () => {
        const refuse = (page: unknown, pattern: RegExp) =>
            assert.throws(
                () => toHybridJobSummaries(page, 'hybrid jobs named "nightly" in region us-east-1'),
                (err: unknown) => err instanceof BraketJobError && pattern.test(err.message) && /Nothing was returned/.test(err.message),
            );
        refuse({}, /jobs is undefined, not a list/);
        refuse({ jobs: [raw, { ...raw, device: undefined }] }, /jobs\[1\] lacks device, which the model requires/);
        refuse({ jobs: [{ ...raw, status: "DONE" }] }, /jobs\[0\]\.status is "DONE"/);
        refuse({ jobs: [{ ...raw, createdAt: "yesterday" }] }, /jobs\[0\]\.createdAt/);
        refuse({ jobs: [{ ...raw, jobName: 7 }] }, /jobs\[0\]\.jobName is a number/);
        refuse({ jobs: [{ ...raw, jobArn: "arn:aws:s3:::bucket" }] }, /jobs\[0\]\.jobArn/);
        refuse({ jobs: ["job"] }, /jobs\[0\] is a string, not a JobSummary/);
    });
});
