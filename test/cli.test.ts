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

        const wait = await cli("wait", "--help");
        assert.equal(wait.code, 0);
        assert.match(wait.stdout, /^Usage: pulumi-braket wait /);
        for (const [option, fallback] of [
            ["--job-arn <arn>", "(required)"],
            ["--timeout <s>", "(default: 21600, 6 h)"],
            ["--until <status>", "(default: COMPLETED)"],
            ["--initial-interval <s>", "(default: 2)"],
            ["--max-interval <s>", "(default: 60)"],
            ["--ignore-parent-exit", "(default: stop, exit 130)"],
            ["--region <r>", "(default: the region in the ARN)"],
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
