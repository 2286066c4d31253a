/**
 * `pulumi-braket get` and `pulumi-braket wait`: exit codes, stdout JSON and stderr status, run as a
 * pipeline would run them (a separate process, the AWS environment pointing at the local endpoint).
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { BraketEmulator } from "../provider/emulator";
import { AwsTestEnvironment, fixtureJob, startFixtureEmulator, TEST_CREDENTIALS } from "./support/emulator";
import { lookUp } from "./support/lookup";
import { runProcess } from "./support/process";

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
});
