/**
 * `pulumi-braket get` and `pulumi-braket wait`: exit codes, stdout JSON and stderr status, run as a
 * pipeline would run them (a separate process, the AWS environment pointing at the local endpoint).
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BraketEmulator } from "../provider/emulator";
import { safeForTerminal } from "../provider/progress";
import { AwsTestEnvironment, fixtureJob, startFixtureEmulator, TEST_CREDENTIALS } from "./support/emulator";
import { jobSeries } from "./support/jobSeries";
import { lookUp } from "./support/lookup";
import { runProcess } from "./support/process";
import { eventually, isRunning, LINUX_PROC } from "./support/processes";

const CLI = path.resolve(__dirname, "..", "provider", "cli.js");
const DONE = fixtureJob("qaoa-maxcut-forte");
const RUNNING = fixtureJob("grover-search-running");
const FAST = ["--initial-interval", "0.05", "--max-interval", "0.2"];

describe("pulumi-braket CLI (get, wait)", function () {
    this.timeout(30000);
    const env = new AwsTestEnvironment();
    let emu: BraketEmulator;

    const cli = (...args: string[]) => runProcess(process.execPath, [CLI, ...args], 20000, { ...process.env });

    function jobEnding(uuid: string, status: string, seconds: number, failureReason?: string): string {
        const jobArn = `arn:aws:braket:us-east-1:123456789012:job/${uuid}`;
        emu.putJob({
            ...RUNNING,
            jobArn,
            jobName: "cli-test-job",
            emulator: { transitions: [{ afterSeconds: seconds, status, ...(failureReason ? { failureReason } : {}) }] },
        });
        return jobArn;
    }

    before(async () => {
        emu = await startFixtureEmulator();
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
    });
    after(async () => {
        await emu.close();
        env.restore();
    });

    it("get prints the same JSON the plugin's getHybridJob returns, exit 0", async () => {
        const { code, stdout } = await cli("get", "--job-arn", DONE.jobArn as string);
        assert.equal(code, 0);
        assert.deepEqual(JSON.parse(stdout), await lookUp({ jobArn: DONE.jobArn }));
        const withQueue = await cli("get", "--job-arn", DONE.jobArn as string, "--queue-info");
        assert.equal(JSON.parse(withQueue.stdout).queueInfo.position, "None");
    });

    it("get honours --endpoint and --region over the environment", async () => {
        const west = fixtureJob("ankaa-benchmark-usw2").jobArn as string;
        const wrongRegion = await cli("get", "--job-arn", west, "--region", "us-east-1");
        assert.equal(wrongRegion.code, 5);
        assert.match(wrongRegion.stderr, /HybridJob|no such job/);
        const viaFlag = await runProcess(process.execPath, [CLI, "get", "--job-arn", west, "--endpoint", emu.endpoint], 20000, {
            ...process.env,
            AWS_ENDPOINT_URL_BRAKET: "http://127.0.0.1:9",
        });
        assert.equal(viaFlag.code, 0, viaFlag.stderr);
        assert.equal(JSON.parse(viaFlag.stdout).region, "us-west-2");
    });

    it("exits 2 for bad usage or input, before any request", async () => {
        const before = emu.stats.requests;
        for (const args of [
            ["get"],
            ["get", "--job-arn", "arn:aws:braket:us-east-1:123456789012:device/x"],
            ["wait", "--job-arn", DONE.jobArn as string, "--until", "SOMEDAY"],
            ["wait", "--job-arn", DONE.jobArn as string, "--timeout", "-3"],
            ["wait", "--job-arn", DONE.jobArn as string, "--timeout", "3000000"],
            ["wait", "--job-arn", DONE.jobArn as string, "--initial-interval", "120"],
            ["frobnicate"],
            ["get", "--job-arn", DONE.jobArn as string, "--bogus"],
            ["get", "--job-arn", DONE.jobArn as string, "--job-name", "qaoa-maxcut-forte"],
            ["wait", "--job-name", "qaoa-maxcut-forte", "--job-arn", DONE.jobArn as string],
            ["get", "--job-name", "x", "--status", "DONE"],
        ]) {
            const { code, stderr, stdout } = await cli(...args);
            assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
            assert.match(stderr, /^pulumi-braket: /);
            assert.match(stderr, /Usage:/);
            assert.match(stderr, /Run 'pulumi-braket (get |wait )?--help' for every option\./);
            assert.equal(stdout, "");
        }
        assert.equal(emu.stats.requests, before);
    });

    it("exits 5 with the service error when the job does not exist", async () => {
        const { code, stderr } = await cli(
            "get",
            "--job-arn",
            "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-00000000cafe",
        );
        assert.equal(code, 5);
        assert.match(stderr, /no such job/);
        assert.ok(!stderr.includes(TEST_CREDENTIALS.accessKeyId) && !stderr.includes(TEST_CREDENTIALS.secretAccessKey));
    });

    it("wait exits 0 once the job COMPLETED, JSON on stdout, status lines on stderr", async () => {
        const jobArn = jobEnding("7e2a1c00-0000-4000-8000-000000000001", "COMPLETED", 4);
        const { code, stdout, stderr } = await cli("wait", "--job-arn", jobArn, "--timeout", "20", ...FAST);
        assert.equal(code, 0, stderr);
        assert.equal(JSON.parse(stdout).status, "COMPLETED");
        assert.match(stderr, /job RUNNING/);
        assert.match(stderr, /Hybrid job cli-test-job is COMPLETED\./);
    });

    it("wait exits 3 with the failureReason when the job FAILED, 0 with --until TERMINAL", async () => {
        const jobArn = jobEnding("7e2a1c00-0000-4000-8000-000000000002", "FAILED", 0.3, "AlgorithmError: bad input data");
        const failed = await cli("wait", "--job-arn", jobArn, "--timeout", "20", ...FAST);
        assert.equal(failed.code, 3);
        assert.match(failed.stderr, /ended FAILED: AlgorithmError: bad input data/);
        assert.equal(failed.stdout, "");
        const terminal = await cli("wait", "--job-arn", jobArn, "--until", "TERMINAL", ...FAST);
        assert.equal(terminal.code, 0);
        assert.equal(JSON.parse(terminal.stdout).failureReason, "AlgorithmError: bad input data");
    });

    it("wait exits 4 at the timeout", async () => {
        const jobArn = jobEnding("7e2a1c00-0000-4000-8000-000000000003", "COMPLETED", 3600);
        const started = Date.now();
        const { code, stderr } = await cli("wait", "--job-arn", jobArn, "--timeout", "1", ...FAST);
        assert.equal(code, 4);
        assert.match(stderr, /still RUNNING when the wait's timeout of 1 s passed/);
        assert.ok(Date.now() - started < 5000);
    });

    it("wait exits 130 promptly on SIGINT", async () => {
        const jobArn = jobEnding("7e2a1c00-0000-4000-8000-000000000004", "COMPLETED", 3600);
        const child = spawn(process.execPath, [CLI, "wait", "--job-arn", jobArn, "--initial-interval", "5"], { env: process.env });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        await new Promise<void>((resolve) => {
            const poll = setInterval(() => {
                if (stderr.includes("job RUNNING")) {
                    clearInterval(poll);
                    resolve();
                }
            }, 20);
        });
        const sent = Date.now();
        child.kill("SIGINT");
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        assert.equal(code, 130);
        assert.ok(Date.now() - sent < 2000, "did not stop promptly");
        assert.match(stderr, /interrupted/);
    });

    it("get --help, wait --help and emulator --help each list every option of their command with its default", async () => {
        const before = emu.stats.requests;
        const get = await cli("get", "--help");
        assert.equal(get.code, 0);
        assert.match(get.stdout, /^Usage: pulumi-braket get /);
        for (const option of [
            "--job-arn <arn>",
            "--job-name <name>",
            "--status <s>",
            "--created-after <t>",
            "--created-before <t>",
            "--device <d>",
            "--most-recent",
            "--queue-info",
            "--region <r>",
            "--profile <p>",
            "--endpoint <url>",
            "-h, --help",
            "--version",
        ]) {
            assert.ok(get.stdout.includes(`  ${option}`), `get --help lists ${option}`);
        }
        assert.doesNotMatch(get.stdout, /--timeout|--until/);
        assert.match(get.stdout, /default: the region in the ARN/);
        assert.match(get.stdout, /\n {2}6 {4}the result could not be written/);
        assert.match(get.stdout, /\n {2}2 {4}bad usage or input \(nothing was sent\); or --job-name matched several jobs/);
        assert.match(get.stdout, /\n {2}5 {4}Braket or AWS answered with an error .*\n {7}or no job matches --job-name/);

        const wait = await cli("wait", "--help");
        assert.equal(wait.code, 0);
        assert.match(wait.stdout, /^Usage: pulumi-braket wait /);
        for (const [option, fallback] of [
            ["--job-arn <arn>", "(this or --job-name)"],
            ["--job-name <name>", "(this or --job-arn)"],
            ["--status <s>", "(default: any status)"],
            ["--created-after <t>", "(default: any)"],
            ["--created-before <t>", "(default: any)"],
            ["--device <d>", "(default: any)"],
            ["--most-recent", "(default: several are an error, exit 2"],
            ["--timeout <s>", "(default: 21600, 6 h)"],
            ["--until <status>", "(default: COMPLETED)"],
            ["--initial-interval <s>", "(default: 2)"],
            ["--max-interval <s>", "(default: 60)"],
            ["--ignore-parent-exit", "(default: stop, exit 130)"],
            ["--region <r>", "(default: the region in the ARN; with --job-name: the AWS SDK's"],
            ["--profile <p>", "(default: AWS_PROFILE"],
            ["--endpoint <url>", "(default: AWS_ENDPOINT_URL_BRAKET"],
        ]) {
            const lines = wait.stdout.split("\n");
            const at = lines.findIndex((l) => l.startsWith(`  ${option}`));
            assert.ok(at >= 0, `wait --help lists ${option}`);
            assert.ok(
                lines
                    .slice(at, at + 3)
                    .join(" ")
                    .includes(fallback),
                `${option}: ${fallback}`,
            );
        }
        assert.equal((await cli("help", "wait")).stdout, wait.stdout);

        const emulator = await cli("emulator", "--help");
        assert.equal(emulator.code, 0);
        assert.match(emulator.stdout, /^Usage: pulumi-braket emulator/);
        assert.match(emulator.stdout, /--credentials <file\.json>/);

        const global = await cli("--help");
        assert.equal(global.code, 0);
        assert.match(global.stdout, /'pulumi-braket <command> --help' lists every option/);
        assert.notEqual(global.stdout, get.stdout);
        assert.equal(emu.stats.requests, before, "help sends nothing");
    });

    it("--version prints the package's version", async () => {
        const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
        for (const args of [["--version"], ["get", "--version"], ["wait", "--version"], ["emulator", "--version"]]) {
            const r = await cli(...args);
            assert.equal(r.code, 0, args.join(" "));
            assert.equal(r.stdout, `${pkg.version}\n`);
        }
    });

    describe("finding the job by --job-name (SearchJobs)", () => {
        const DM1 = "arn:aws:braket:::device/quantum-simulator/amazon/dm1";
        // Runs of one name in us-east-1, oldest first, created a day apart from 2026-11-01T02:00Z;
        // the FAILED one on another device. The suite's AWS_REGION is eu-central-1.
        const NIGHTLY = jobSeries({ name: "cli-nightly", statuses: ["COMPLETED", "COMPLETED", "FAILED", "CANCELLED"] });
        NIGHTLY[2] = { ...NIGHTLY[2], deviceConfig: { device: DM1 } };
        const EU = jobSeries({ name: "cli-eu-run", statuses: ["COMPLETED"], region: "eu-central-1" });
        const arnOf = (job: Record<string, unknown>) => job.jobArn as string;
        const EAST = ["--region", "us-east-1"];
        const operations = (name: string) => emu.stats.byOperation[name] ?? 0;

        before(() => {
            for (const job of [...NIGHTLY, ...EU]) emu.putJob(job);
        });

        it("get --job-name --most-recent prints the newest job: the same JSON as get --job-arn of its ARN, one search", async () => {
            emu.resetStats();
            const byName = await cli("get", "--job-name", "cli-nightly", "--most-recent", ...EAST);
            assert.equal(byName.code, 0, byName.stderr);
            assert.equal(byName.stderr, "");
            assert.equal(operations("SearchJobs"), 1);
            assert.equal(operations("GetJob"), 1);
            const job = JSON.parse(byName.stdout);
            assert.equal(job.jobArn, arnOf(NIGHTLY[3]));
            assert.equal(job.status, "CANCELLED");
            const byArn = await cli("get", "--job-arn", arnOf(NIGHTLY[3]));
            assert.equal(byArn.code, 0, byArn.stderr);
            assert.deepEqual(job, JSON.parse(byArn.stdout));
            assert.equal(byName.stdout, byArn.stdout, "the same bytes");
        });

        it("the filters choose among the runs: --status (repeated, comma lists, any case), the time window, --device", async () => {
            const found = async (...args: string[]) => {
                const r = await cli("get", "--job-name", "cli-nightly", ...EAST, ...args);
                assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
                return JSON.parse(r.stdout) as Record<string, unknown>;
            };
            const newestCompleted = await found("--status", "COMPLETED", "--most-recent");
            assert.equal(newestCompleted.jobArn, arnOf(NIGHTLY[1]));
            assert.equal(newestCompleted.status, "COMPLETED");
            assert.equal((await found("--status", "completed,FAILED", "--most-recent")).jobArn, arnOf(NIGHTLY[2]));
            assert.equal((await found("--status", "COMPLETED", "--status", "FAILED", "--most-recent")).jobArn, arnOf(NIGHTLY[2]));
            assert.equal((await found("--status", "CANCELLED,QUEUED")).jobArn, arnOf(NIGHTLY[3]), "one match needs no --most-recent");
            // Strictly after the first run's createdAt, before midnight of 3 November: the second run alone.
            assert.equal(
                (await found("--created-after", "2026-11-01T02:00:00Z", "--created-before", "2026-11-03")).jobArn,
                arnOf(NIGHTLY[1]),
            );
            assert.equal((await found("--device", DM1)).jobArn, arnOf(NIGHTLY[2]));
            assert.equal(
                (await found("--device", DM1, "--queue-info")).queueInfo !== undefined,
                true,
                "--queue-info applies to the job found",
            );
        });

        it("no matching job: exit 5, as for a job ARN that is not found; the message names the name and the region", async () => {
            const arnMissing = await cli(
                "get",
                "--job-arn",
                "arn:aws:braket:us-west-2:123456789012:job/00000000-0000-4000-8000-00000000cafe",
            );
            assert.equal(arnMissing.code, 5);
            const west = await cli("get", "--job-name", "cli-nightly", "--region", "us-west-2");
            assert.equal(west.code, arnMissing.code, west.stderr);
            assert.match(
                west.stderr,
                /^pulumi-braket: No hybrid job named "cli-nightly" in region us-west-2 \(SearchJobs read 1 page, \d+ jobs?\)/,
            );
            assert.equal(west.stdout, "");
            const queued = await cli("get", "--job-name", "cli-nightly", "--status", "QUEUED", "--most-recent", ...EAST);
            assert.equal(queued.code, 5);
            assert.match(queued.stderr, /No hybrid job named "cli-nightly",? with status QUEUED in region us-east-1/);
            const wait = await cli("wait", "--job-name", "cli-nightly", "--region", "us-west-2", ...FAST);
            assert.equal(wait.code, 5);
            assert.match(wait.stderr, /No hybrid job named "cli-nightly" in region us-west-2/);
        });

        it("several matches without --most-recent: exit 2, the count and the matches, no job read", async () => {
            for (const command of ["get", "wait"]) {
                emu.resetStats();
                const r = await cli(command, "--job-name", "cli-nightly", ...EAST, ...(command === "wait" ? FAST : []));
                assert.equal(r.code, 2, `${command}: ${r.stderr}`);
                assert.match(r.stderr, /^pulumi-braket: 4 hybrid jobs named "cli-nightly" match in region us-east-1 \(/);
                for (const job of NIGHTLY) assert.ok(r.stderr.includes(arnOf(job)), `${command} lists ${arnOf(job)}`);
                assert.match(r.stderr, /pass --most-recent to take the newest/);
                assert.equal(r.stdout, "");
                assert.equal(operations("SearchJobs"), 1);
                assert.equal(operations("GetJob"), 0, `${command} read no job`);
            }
        });

        it("without --region: the AWS SDK's region (AWS_REGION, else the profile's); with none, exit 2 before any request", async () => {
            const viaEnv = await cli("get", "--job-name", "cli-eu-run");
            assert.equal(viaEnv.code, 0, viaEnv.stderr);
            assert.equal(JSON.parse(viaEnv.stdout).jobArn, arnOf(EU[0]));
            assert.equal(JSON.parse(viaEnv.stdout).region, "eu-central-1");

            const noRegion: NodeJS.ProcessEnv = { ...process.env };
            delete noRegion.AWS_REGION;
            delete noRegion.AWS_DEFAULT_REGION;
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-braket-cli-region-"));
            try {
                const config = path.join(dir, "config");
                fs.writeFileSync(config, "[default]\nregion = eu-central-1\n");
                const viaProfile = await runProcess(process.execPath, [CLI, "get", "--job-name", "cli-eu-run"], 20000, {
                    ...noRegion,
                    AWS_CONFIG_FILE: config,
                });
                assert.equal(viaProfile.code, 0, viaProfile.stderr);
                assert.equal(JSON.parse(viaProfile.stdout).jobArn, arnOf(EU[0]));

                const before = emu.stats.requests;
                for (const command of ["get", "wait"]) {
                    const none = await runProcess(process.execPath, [CLI, command, "--job-name", "cli-eu-run"], 20000, {
                        ...noRegion,
                        AWS_CONFIG_FILE: path.join(dir, "no-such-config"),
                    });
                    assert.equal(none.code, 2, none.stderr);
                    assert.match(none.stderr, /^pulumi-braket: A search for jobs \(jobName, getHybridJobs, --job-name\) needs a region/);
                    assert.match(none.stderr, /With pulumi-braket: pass --region <r>/);
                    assert.match(none.stderr, new RegExp(`Run 'pulumi-braket ${command} --help'`));
                }
                assert.equal(emu.stats.requests, before, "nothing was sent");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("--job-arn with --job-name, a filter without --job-name, or a bad filter: exit 2 before any request", async () => {
            const before = emu.stats.requests;
            for (const [args, message] of [
                [
                    ["get", "--job-arn", arnOf(NIGHTLY[0]), "--job-name", "cli-nightly"],
                    /--job-arn and --job-name both name the job: pass one/,
                ],
                [
                    ["wait", "--job-name", "cli-nightly", "--job-arn", arnOf(NIGHTLY[0]), ...EAST],
                    /--job-arn and --job-name both name the job/,
                ],
                [
                    ["get", "--job-arn", arnOf(NIGHTLY[0]), "--status", "COMPLETED", "--most-recent"],
                    /--status, --most-recent apply only with --job-name \(a search by name\); with --job-arn, leave them out/,
                ],
                [["get", "--most-recent"], /--most-recent applies only with --job-name \(a search by name\): pass --job-name too/],
                [["wait"], /--job-arn or --job-name is required/],
                [
                    ["get", "--job-name", "cli-nightly", "--status", "DONE", ...EAST],
                    /--status: statuses has "DONE", which is not a hybrid job status/,
                ],
                [
                    ["get", "--job-name", "cli-nightly", "--status", "COMPLETED,", ...EAST],
                    /--status takes a status or a comma list of them .*got "COMPLETED,"/,
                ],
                [
                    ["get", "--job-name", "cli-nightly", "--created-after", "yesterday", ...EAST],
                    /--created-after: createdAfter "yesterday" is not a timestamp/,
                ],
                [
                    ["get", "--job-name", "cli-nightly", "--created-after", "2026-11-05", "--created-before", "2026-11-01", ...EAST],
                    /no job can match/,
                ],
                [["get", "--job-name", "not a name!", ...EAST], /--job-name: jobName "not a name!" cannot be the name of a hybrid job/],
                [["get", "--job-name", "cli-nightly", "--device", "", ...EAST], /--device: device "" is not a device/],
            ] as [string[], RegExp][]) {
                const r = await cli(...args);
                assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
                assert.match(r.stderr, message, args.join(" "));
                assert.match(r.stderr, /Usage:\n {2}pulumi-braket (get |wait)/);
                assert.match(r.stderr, /<filters>: \[--status <s>/);
                assert.equal(r.stdout, "");
            }
            assert.equal(emu.stats.requests, before, "nothing was sent");
        });

        it("wait --job-name finds the job once, says which on stderr, and follows its ARN until it COMPLETED", async () => {
            const TRAINING = jobSeries({ name: "cli-training", statuses: ["COMPLETED", "RUNNING"] });
            for (const job of TRAINING) emu.putJob(job);
            const running = arnOf(TRAINING[1]);
            emu.resetStats();
            // --status RUNNING matches it when it is found; a search again once it COMPLETED would find nothing.
            const child = spawn(
                process.execPath,
                [CLI, "wait", "--job-name", "cli-training", "--status", "RUNNING", ...EAST, "--timeout", "20", ...FAST],
                { env: process.env },
            );
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
            try {
                assert.ok(await eventually(() => stderr.includes("job RUNNING"), 15000), stderr);
                emu.setStatus(running, "COMPLETED");
                const code = await closed;
                assert.equal(code, 0, stderr);
            } finally {
                child.kill("SIGKILL");
            }
            const job = JSON.parse(stdout);
            assert.equal(job.jobArn, running);
            assert.equal(job.status, "COMPLETED");
            const lines = stderr.trimEnd().split("\n");
            assert.match(
                lines[0],
                new RegExp(`^Found the hybrid job named "cli-training",? with status RUNNING in region us-east-1: ${running}\\.$`),
            );
            assert.match(lines[1], /^job RUNNING/);
            assert.equal(lines[lines.length - 1], "Hybrid job cli-training is COMPLETED.");
            assert.equal(operations("SearchJobs"), 1, "found once");
            assert.ok(
                emu.stats.log.filter((l) => l.operation === "GetJob" && l.jobArn === running).length >= 2,
                "then read by its ARN until it ended",
            );
            assert.equal(emu.stats.log.filter((l) => l.operation === "GetJob" && l.jobArn !== running).length, 0);
        });

        it("wait --job-name stops on SIGINT during the search (exit 130), before any GetJob", async () => {
            emu.resetStats();
            emu.setFaults({ slow: 1, slowMs: 10_000 });
            const child = spawn(process.execPath, [CLI, "wait", "--job-name", "cli-nightly", "--most-recent", ...EAST], {
                env: process.env,
            });
            let stderr = "";
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
            try {
                assert.ok(await eventually(() => operations("SearchJobs") > 0, 15000), "the search started");
                child.kill("SIGINT");
                assert.equal(await closed, 130, stderr);
            } finally {
                child.kill("SIGKILL");
                emu.setFaults(undefined);
            }
            assert.equal(stderr, 'pulumi-braket: Finding the hybrid job named "cli-nightly" (SearchJobs) was interrupted (SIGINT).\n');
            assert.equal(operations("GetJob"), 0);
        });

        it("wait --job-name --most-recent says it took the newest", async () => {
            const r = await cli("wait", "--job-name", "cli-nightly", "--most-recent", "--until", "TERMINAL", ...EAST, ...FAST);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(JSON.parse(r.stdout).jobArn, arnOf(NIGHTLY[3]));
            assert.match(
                r.stderr,
                new RegExp(`^Found the newest hybrid job named "cli-nightly" in region us-east-1: ${arnOf(NIGHTLY[3])}\\.\n`),
            );
        });
    });

    describe("writing the result", () => {
        it("exits 6 with one clear line when stdout is a pipe its reader closed (EPIPE)", async () => {
            for (const args of [
                ["get", "--job-arn", DONE.jobArn as string],
                ["wait", "--job-arn", DONE.jobArn as string, "--until", "TERMINAL"],
            ]) {
                const child = spawn(process.execPath, [CLI, ...args], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
                child.stdout.destroy(); // the reader is gone before the result is written
                let stderr = "";
                child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
                const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
                assert.equal(code, 6, `${args[0]}: ${stderr}`);
                assert.match(stderr, /pulumi-braket: could not write the result to stdout: its reader closed the pipe \(EPIPE\)\.\n$/);
                assert.doesNotMatch(stderr, /\n\s+at |Error:|node:/, "no stack trace");
            }
        });

        it("exits 6 through a shell pipe whose reader exits before the result is written (| true)", async () => {
            const r = await runProcess(
                "bash",
                ["-c", `set -o pipefail; "${process.execPath}" "${CLI}" get --job-arn "${DONE.jobArn as string}" | true; echo "rc=$?"`],
                20000,
                { ...process.env },
            );
            assert.match(r.stdout, /rc=6/, r.stderr);
            assert.equal(r.stderr, "pulumi-braket: could not write the result to stdout: its reader closed the pipe (EPIPE).\n");
        });

        it("exits 6 with one clear line when the disk is full (ENOSPC, > /dev/full)", async function () {
            if (!fs.existsSync("/dev/full")) this.skip();
            const full = fs.openSync("/dev/full", "w");
            try {
                const child = spawn(process.execPath, [CLI, "get", "--job-arn", DONE.jobArn as string], {
                    env: process.env,
                    stdio: ["ignore", full, "pipe"],
                });
                let stderr = "";
                child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
                const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
                assert.equal(code, 6, stderr);
                assert.equal(stderr, "pulumi-braket: could not write the result to stdout: no space left on the device (ENOSPC).\n");
            } finally {
                fs.closeSync(full);
            }
        });
    });

    describe("text from the service on stderr", () => {
        const HOSTILE =
            "AlgorithmError: boom\u001b[2J\u001b]0;owned\u0007\n::add-mask::hunter2\r::error::fake\n  ::stop-commands::x ##[set-output name=a;]b \u202eevil";

        it("safeForTerminal escapes control characters and defuses workflow commands", () => {
            assert.equal(
                safeForTerminal(HOSTILE),
                "AlgorithmError: boom\\x1b[2J\\x1b]0;owned\\x07\n\\u003a:add-mask::hunter2\\r::error::fake\n  \\u003a:stop-commands::x #\\u0023[set-output name=a;]b \\u202eevil",
            );
            assert.equal(safeForTerminal("plain text: a:b, tabs\tstay\nand lines"), "plain text: a:b, tabs\tstay\nand lines");
            assert.equal(safeForTerminal("\u009b31m C1 CSI, \u0085 NEL, \u2028 LS"), "\\x9b31m C1 CSI, \\x85 NEL, \\u2028 LS");
        });

        it("wait prints a hostile failureReason and jobName without escape sequences or lines starting with ::", async () => {
            const jobArn = "arn:aws:braket:us-east-1:123456789012:job/7e2a1c00-0000-4000-8000-0000000000e5";
            emu.putJob({
                ...RUNNING,
                jobArn,
                jobName: "evil\u001b]0;title\u0007name",
                emulator: { transitions: [{ afterSeconds: 0.2, status: "FAILED", failureReason: HOSTILE }] },
            });
            const isSafe = (text: string): void => {
                // eslint-disable-next-line no-control-regex
                assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, JSON.stringify(text));
                for (const line of text.split("\n"))
                    assert.ok(!line.trimStart().startsWith("::"), `a workflow command: ${JSON.stringify(line)}`);
                assert.ok(!text.includes("##["));
            };
            const failed = await cli("wait", "--job-arn", jobArn, "--timeout", "20", ...FAST);
            assert.equal(failed.code, 3, failed.stderr);
            assert.match(failed.stderr, /ended FAILED: AlgorithmError: boom/);
            isSafe(failed.stderr);
            const terminal = await cli("wait", "--job-arn", jobArn, "--until", "TERMINAL", ...FAST);
            assert.equal(terminal.code, 0, terminal.stderr);
            assert.match(terminal.stderr, /Hybrid job evil\\x1b\]0;title\\x07name is FAILED\./);
            isSafe(terminal.stderr);
            assert.equal(JSON.parse(terminal.stdout).failureReason, HOSTILE, "the JSON result keeps the data whole (JSON escapes it)");
            isSafe(terminal.stdout);
            assert.ok(terminal.stdout.includes("\\u202eevil"), "bidirectional controls are \\u escapes in the JSON too");
        });
    });

    describe("the process it was started under exits", () => {
        const underParent = async (extra: string[]) => {
            const jobArn = jobEnding(`7e2a1c00-0000-4000-8000-${String(Date.now()).slice(-12)}`, "COMPLETED", 3600);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-braket-cli-"));
            const errFile = path.join(dir, "stderr");
            // A parent that starts the wait, says its pid, and then stays until it is killed.
            const script = `
                const fs = require("node:fs");
                const { spawn } = require("node:child_process");
                const err = fs.openSync(${JSON.stringify(errFile)}, "w");
                const c = spawn(process.execPath, ${JSON.stringify([CLI, "wait", "--job-arn", jobArn, ...FAST, ...extra])}, { stdio: ["ignore", "ignore", err] });
                console.log(c.pid);
                setInterval(() => {}, 1000);`;
            const parent = spawn(process.execPath, ["-e", script], { env: process.env, stdio: ["ignore", "pipe", "inherit"] });
            const pid = await new Promise<number>((resolve) =>
                parent.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
            );
            const polling = await eventually(() => fs.readFileSync(errFile, "utf8").includes("job RUNNING"), 15000);
            assert.ok(polling, fs.readFileSync(errFile, "utf8"));
            parent.kill("SIGKILL");
            await new Promise((resolve) => parent.on("close", resolve));
            return { pid, jobArn, errFile, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
        };
        const getJobs = (jobArn: string) => emu.stats.log.filter((l) => l.operation === "GetJob" && l.jobArn === jobArn).length;

        it("wait stops within a second or two (exit 130) and sends no more GetJob", async function () {
            if (!LINUX_PROC) this.skip();
            const { pid, jobArn, errFile, cleanup } = await underParent([]);
            try {
                assert.ok(await eventually(() => !isRunning(pid), 3000), "the wait still runs after its parent was killed");
                assert.match(fs.readFileSync(errFile, "utf8"), /was interrupted: the process that started it \(pid \d+, node\) has exited/);
                const sent = getJobs(jobArn);
                await new Promise((r) => setTimeout(r, 1000));
                assert.equal(getJobs(jobArn), sent, "no GetJob after it stopped");
            } finally {
                cleanup();
            }
        });

        it("--ignore-parent-exit keeps waiting", async function () {
            if (!LINUX_PROC) this.skip();
            const { pid, cleanup } = await underParent(["--ignore-parent-exit"]);
            try {
                await new Promise((r) => setTimeout(r, 1500));
                assert.ok(isRunning(pid), "it stopped although told to ignore its parent's exit");
            } finally {
                process.kill(pid, "SIGTERM");
                await eventually(() => !isRunning(pid), 3000);
                cleanup();
            }
        });
    });
});
