/**
 * Hybrid jobs found by name (SearchJobs, then GetJob) under the real engine, from TypeScript
 * (test/e2e/programs/search-ts) and from Pulumi YAML (examples/yaml-search): the newest COMPLETED
 * run of a name, the list of its runs newest first, and a gate on its newest run that searches once,
 * at create, and then follows that job.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import type { EmulatorRequestLogEntry } from "../../provider/emulator";
import { jobSeries } from "../support/jobSeries";
import {
    ENGINE_BUILD_TIMEOUT_MS,
    assertNothingChanged,
    GATE_TYPE,
    REPO_ROOT,
    completeAfterFirstPoll,
    copyProject,
    describeResult,
    getJobRequests,
    isWaitRead,
    progressLines,
    startWorld,
    type CommandResult,
    type E2eWorld,
    type PulumiStack,
} from "./harness";

const REGION = "eu-central-1";
const NAME = "nightly-train";

/** Five runs of the nightly training, oldest first: the first four are seeded, the fifth comes later. */
const RUNS = jobSeries({ name: NAME, statuses: ["COMPLETED", "FAILED", "COMPLETED", "RUNNING", "COMPLETED"], region: REGION }) as {
    jobArn: string;
    status: string;
    createdAt: string;
    outputDataConfig: { s3Path: string };
}[];
const SEEDED = RUNS.slice(0, 4);
const [, , LAST_COMPLETED, NEWEST_RUNNING, LATER_RUN] = RUNS;

/** Jobs a search of the name must not return: another name that starts the same, and the same name in another region, newer than all. */
const OTHERS = [
    ...jobSeries({ name: `${NAME}-eval`, statuses: ["COMPLETED", "COMPLETED"], region: REGION, firstCreatedAt: "2026-11-10T00:00:00Z" }),
    ...jobSeries({ name: NAME, statuses: ["COMPLETED"], region: "us-east-1", firstCreatedAt: "2026-11-20T00:00:00Z" }),
] as { jobArn: string }[];

const searchRequests = (log: EmulatorRequestLogEntry[]) => log.filter((e) => e.operation === "SearchJobs");
const requestedArns = (log: EmulatorRequestLogEntry[]) => [...new Set(getJobRequests(log).map((e) => e.jobArn))].sort();
const output = (r: CommandResult) => r.stdout + r.stderr;

interface Language {
    name: string;
    /** The project directory (in place, or a copy under the world's tmp). */
    project(world: E2eWorld): string;
    /** The region comes from stack config (`braket:region`) rather than AWS_REGION. */
    regionFromConfig: boolean;
    /** How the several-matches case is run: `preview`, or `up` (then the gate must come through it unchanged). */
    ambiguousRun: "preview" | "up";
}

const LANGUAGES: Language[] = [
    {
        name: "TypeScript (test/e2e/programs/search-ts)",
        project: () => path.join(REPO_ROOT, "test", "e2e", "programs", "search-ts"),
        regionFromConfig: false,
        ambiguousRun: "preview",
    },
    {
        name: "YAML (examples/yaml-search)",
        project: (world) => copyProject(path.join(REPO_ROOT, "examples", "yaml-search"), world.tmp, "yaml-search"),
        regionFromConfig: true,
        ambiguousRun: "up",
    },
];

for (const language of LANGUAGES) {
    describe(`e2e search by jobName, ${language.name}, under the real engine`, function () {
        this.timeout(120_000);
        let world: E2eWorld;
        let stack: PulumiStack;

        before(async function () {
            this.timeout(ENGINE_BUILD_TIMEOUT_MS + 60_000);
            if (process.env.SKIP_E2E) this.skip();
            world = await startWorld("search", [...SEEDED, ...OTHERS]);
            stack = world.stack(language.project(world));
            await stack.init();
            await stack.setConfig("jobName", NAME);
            if (language.regionFromConfig) {
                delete world.env.AWS_REGION;
                await stack.setConfig("braket:region", REGION);
            }
        });

        after(async function () {
            this.timeout(60_000);
            await stack?.remove();
            await world?.close();
        });

        it("e2e: search up finds the newest COMPLETED run, lists the runs newest first, and the gate waits for the newest run", async function () {
            world.emulator.resetStats();
            const update = stack.up();
            const completion = completeAfterFirstPoll(world.emulator, NEWEST_RUNNING.jobArn, 500);
            completion.catch(() => undefined); // awaited below, once the update has ended
            const result = await update;
            assert.equal(result.code, 0, describeResult(result));
            const completedAt = await completion;
            assert.deepEqual(result.leftovers, [], "the update left processes behind");
            assert.doesNotMatch(output(result), /[Ww]arning/, "the update printed warnings");

            const outputs = await stack.outputs();
            // The filtered lookup skips the newer RUNNING and FAILED runs.
            assert.equal(outputs.latestCompletedArn, LAST_COMPLETED.jobArn);
            assert.equal(outputs.latestCompletedOutputS3Path, LAST_COMPLETED.outputDataConfig.s3Path);
            assert.ok(
                String(outputs.latestCompletedResultsS3Uri).startsWith(`${LAST_COMPLETED.outputDataConfig.s3Path}/`),
                `resultsS3Uri ${String(outputs.latestCompletedResultsS3Uri)}`,
            );
            // The list: newest first, three of the four runs of the name (no other name, no other region).
            assert.deepEqual(
                outputs.runArns,
                [SEEDED[3], SEEDED[2], SEEDED[1]].map((j) => j.jobArn),
            );
            assert.equal(outputs.runMatchCount, 4);
            assert.equal(outputs.runTruncated, true);
            assert.equal(outputs.runRegion, REGION);
            // The gate found the newest run (RUNNING then) and waited until it completed, during this update.
            assert.equal(outputs.gateJobArn, NEWEST_RUNNING.jobArn);
            assert.equal(outputs.gateStatus, "COMPLETED");
            const log = world.emulator.stats.log;
            const waits = getJobRequests(log, NEWEST_RUNNING.jobArn).filter(isWaitRead);
            assert.ok(waits.length >= 2, `the gate read the job ${waits.length} times: it did not wait`);
            assert.ok(Date.parse(waits.at(-1)!.time) >= completedAt, "the gate stopped polling before the job completed");
            assert.ok(
                progressLines(result.stdout, "nightly").some((l) => l.includes("job RUNNING, waited")),
                `no progress of the wait shown:\n${result.stdout}`,
            );

            // Requests: SearchJobs (POST /jobs) for the lookup, the list and the gate (identical
            // searches in flight at once may share one); GetJob only for the two jobs chosen.
            const searches = searchRequests(log);
            assert.ok(
                searches.every((e) => e.method === "POST" && e.path === "/jobs" && e.status === 200),
                JSON.stringify(searches),
            );
            assert.ok(searches.length >= 2 && searches.length <= 3, `${searches.length} SearchJobs requests`);
            assert.deepEqual(
                log.filter((e) => e.operation !== "SearchJobs" && e.operation !== "GetJob"),
                [],
                "requests other than SearchJobs and GetJob",
            );
            assert.deepEqual(requestedArns(log), [LAST_COMPLETED.jobArn, NEWEST_RUNNING.jobArn].sort(), "GetJob of a job not chosen");
            assert.deepEqual(
                getJobRequests(log)
                    .filter((e) => !isWaitRead(e))
                    .map((e) => e.jobArn),
                [LAST_COMPLETED.jobArn],
                "the lookup read more than its job, or the gate read its job outside the wait",
            );

            const gate = (await stack.exportState()).resources?.find((r) => r.type === GATE_TYPE);
            assert.equal(gate?.id, NEWEST_RUNNING.jobArn);
            assert.equal(gate?.inputs?.jobName, NAME);
            assert.equal(gate?.inputs?.jobArn, undefined, "the gate's inputs gained the ARN it found");
        });

        it("e2e: search second up does not wait or replace the gate; a newer run moves the lookup, not the gate", async function () {
            world.emulator.putJob(LATER_RUN);
            world.emulator.resetStats();
            const result = await stack.up();
            assertNothingChanged(result, 2);
            const outputs = await stack.outputs();
            assert.equal(outputs.latestCompletedArn, LATER_RUN.jobArn, "the lookup with mostRecent did not follow the newer run");
            assert.deepEqual(
                outputs.runArns,
                [LATER_RUN, NEWEST_RUNNING, LAST_COMPLETED].map((j) => j.jobArn),
            );
            assert.equal(outputs.runMatchCount, 5);
            assert.equal(outputs.runTruncated, true);
            assert.equal(outputs.gateJobArn, NEWEST_RUNNING.jobArn, "the gate moved to the newer run");
            assert.equal(outputs.gateStatus, "COMPLETED");

            const log = world.emulator.stats.log;
            assert.deepEqual(getJobRequests(log).filter(isWaitRead), [], "the gate polled again");
            // Only the lookup reads a job; the gate neither searches nor reads.
            assert.deepEqual(
                getJobRequests(log).map((e) => e.jobArn),
                [LATER_RUN.jobArn],
            );
            const searches = searchRequests(log);
            assert.ok(searches.length >= 1 && searches.length <= 2, `${searches.length} SearchJobs requests: did the gate search again?`);
            const gate = (await stack.exportState()).resources?.find((r) => r.type === GATE_TYPE);
            assert.equal(gate?.id, NEWEST_RUNNING.jobArn);
            assert.equal(gate?.outputs?.jobArn, NEWEST_RUNNING.jobArn);
        });

        it(`e2e: search several matches without mostRecent fail \`pulumi ${language.ambiguousRun}\` with how many, and where`, async function () {
            await stack.setConfig("mostRecent", "false");
            world.emulator.resetStats();
            const result = language.ambiguousRun === "up" ? await stack.up() : await stack.pulumi(["preview"], { configFile: true });
            await stack.setConfig("mostRecent", "true");
            assert.notEqual(result.code, 0, describeResult(result));
            assert.deepEqual(result.leftovers, []);
            // The four COMPLETED runs in this region (the gated one included, now); not the other name's, not the other region's.
            assert.match(output(result), new RegExp(`4 hybrid jobs named "${NAME}",? with status COMPLETED match in region ${REGION}\\b`));
            assert.match(output(result), /set mostRecent: true/);
            for (const job of [LATER_RUN, NEWEST_RUNNING, LAST_COMPLETED, SEEDED[0]])
                assert.ok(output(result).includes(job.jobArn), `${job.jobArn} not named`);
            for (const job of OTHERS) assert.ok(!output(result).includes(job.jobArn), `${job.jobArn} named`);
            assert.deepEqual(getJobRequests(world.emulator.stats.log), [], "a job was read though the lookup had no answer");
            if (language.ambiguousRun === "up") {
                const gate = (await stack.exportState()).resources?.find((r) => r.type === GATE_TYPE);
                assert.equal(gate?.outputs?.jobArn, NEWEST_RUNNING.jobArn, "the failed update changed the gate");
            }
        });

        it("e2e: search destroy empties the stack and leaves the jobs alone", async function () {
            world.emulator.resetStats();
            const result = await stack.destroy();
            assert.equal(result.code, 0, describeResult(result));
            assert.deepEqual(result.leftovers, []);
            assert.deepEqual((await stack.exportState()).resources ?? [], []);
            assert.equal(world.emulator.stats.byOperation.CancelJob ?? 0, 0, "destroy cancelled a job");
            assert.equal((world.emulator.getJob(NEWEST_RUNNING.jobArn) as { status: string }).status, "COMPLETED");
        });
    });
}
