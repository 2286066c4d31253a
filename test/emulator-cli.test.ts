/**
 * `pulumi-braket emulator` (runEmulatorCommand) in a child process.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import { GetJobCommand } from "@aws-sdk/client-braket";
import { ARN, JOBS_FILE, makeClient } from "./fixtures/emulator-helpers";

const CLI_MODULE = path.resolve(__dirname, "..", "provider", "emulator", "cli.js");
const REPO = path.resolve(__dirname, "..", "..");

function runCli(args: string[]): ChildProcessWithoutNullStreams {
    const script = `require(${JSON.stringify(CLI_MODULE)}).runEmulatorCommand(process.argv.slice(1))`;
    return spawn(process.execPath, ["-e", script, "--", ...args], { cwd: REPO });
}

function finish(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("pulumi-braket emulator (CLI)", function () {
    this.timeout(15000);

    it("prints the endpoint as the first stdout line, serves, and exits 0 on SIGTERM", async () => {
        const child = runCli(["emulator", "--port", "0", "--jobs", JOBS_FILE, "--latency-ms", "1", "--seed", "7"]);
        const done = finish(child);
        const endpoint = await new Promise<string>((resolve, reject) => {
            let buf = "";
            child.stdout.on("data", (d: Buffer) => {
                buf += d.toString();
                const nl = buf.indexOf("\n");
                if (nl >= 0) resolve(buf.slice(0, nl));
            });
            child.on("exit", () => reject(new Error("CLI exited before printing the endpoint")));
        });
        assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
        const c = makeClient(endpoint);
        try {
            const j = await c.send(new GetJobCommand({ jobArn: ARN.completedFull }));
            assert.equal(j.jobName, "qaoa-maxcut-forte");
        } finally {
            c.destroy();
        }
        child.kill("SIGTERM");
        const r = await done;
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `${endpoint}\n`, "only the endpoint goes to stdout");
        assert.match(r.stderr, /jobs: 7 from .*jobs\.json \(us-east-1: 6, us-west-2: 1\)/);
        assert.match(r.stderr, /stopped \(SIGTERM\)/);
    });

    it("exits 2 naming the flag for bad arguments", async () => {
        const cases: [string[], RegExp][] = [
            [["--port", "http"], /--port must be an integer port 0\.\.65535/],
            [["--port"], /--port needs a value/],
            [["--throttle", "1.5"], /--throttle must be a probability between 0 and 1/],
            [["--throttle", "0.6", "--drop", "0.6"], /sum must be at most 1/],
            [["--latency-ms", "-3"], /--latency-ms must be a number >= 0/],
            [["--jobs", path.join(REPO, "no-such-jobs.json")], /--jobs .*cannot read jobs file/],
            [["--frobnicate"], /unknown flag --frobnicate; run 'pulumi-braket emulator --help'/],
        ];
        await Promise.all(
            cases.map(async ([args, re]) => {
                const r = await finish(runCli(args));
                assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
                assert.match(r.stderr, re);
                assert.equal(r.stdout, "");
            }),
        );
    });

    it("--help prints the usage and exits 0", async () => {
        const r = await finish(runCli(["--help"]));
        assert.equal(r.code, 0);
        assert.match(r.stdout, /^Usage: pulumi-braket emulator/);
    });
});
