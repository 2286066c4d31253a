/**
 * `pulumi-braket wait` started as the README starts it, through npx / npm exec (npm 11 runs a
 * package's bin under `sh -c`), stopped by the signals a user, a terminal or a CI runner sends.
 * Each case: a job that never finishes on the local endpoint, a wait polling it, a signal to npx
 * (or to its process group) only; then, within a few seconds, no process of that wait may be left
 * and no GetJob may arrive any more.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import type { BraketEmulator } from "../provider/emulator";
import { AwsTestEnvironment, fixtureJob, startFixtureEmulator } from "./support/emulator";
import { eventually, LINUX_PROC, runningWith } from "./support/processes";

const REPO = path.resolve(__dirname, "..", "..");
const RUNNING = fixtureJob("grover-search-running");
const FAST = ["--initial-interval", "0.2", "--max-interval", "0.2"];
const NPX_AVAILABLE = spawnSync("npx", ["--version"], { encoding: "utf8" }).status === 0;

describe("pulumi-braket wait under npx and npm exec: signals stop it", function () {
    this.timeout(60000);
    const env = new AwsTestEnvironment();
    let emu: BraketEmulator;
    let n = 0;

    before(async function () {
        if (!LINUX_PROC || !NPX_AVAILABLE) this.skip();
        emu = await startFixtureEmulator();
        env.apply({ AWS_ENDPOINT_URL_BRAKET: emu.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
    });
    after(async () => {
        await emu?.close();
        env.restore();
    });

    /** Starts `command` (npx ...) in its own process group, waiting on a job that never ends; resolves once it polls. */
    async function startWait(command: (jobArn: string) => string[]) {
        const jobArn = `arn:aws:braket:us-east-1:123456789012:job/5157a1c0-0000-4000-8000-${String(++n).padStart(4, "0")}${String(Date.now()).slice(-8)}`;
        emu.putJob({ ...RUNNING, jobArn, jobName: "never-ends" });
        const [cmd, ...args] = command(jobArn);
        const child: ChildProcessWithoutNullStreams = spawn(cmd, args, {
            cwd: REPO,
            detached: true,
            stdio: ["pipe", "pipe", "pipe"],
            env: {
                ...process.env,
                npm_config_yes: "true",
                npm_config_update_notifier: "false",
                npm_config_fund: "false",
                npm_config_audit: "false",
            },
        });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.stdout.resume();
        const exited = new Promise<number | null>((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal ? -1 : null))));
        const polling = await eventually(() => stderr.includes("job RUNNING"), 30000);
        assert.ok(polling, `the wait did not start polling: ${stderr}`);
        const processes = runningWith(jobArn);
        assert.ok(
            processes.some((p) => / wait --job-arn /.test(p.cmdline) && /pulumi-braket/.test(p.cmdline)),
            JSON.stringify(processes),
        );
        return { jobArn, child, exited, stderr: () => stderr, processes };
    }

    const getJobs = (jobArn: string) => emu.stats.log.filter((l) => l.operation === "GetJob" && l.jobArn === jobArn).length;

    /** Within `ms`, no process of the wait is left; then, for a second, no GetJob arrives. */
    async function assertStopped(jobArn: string, ms: number, stderr: () => string) {
        const gone = await eventually(() => runningWith(jobArn).length === 0, ms);
        assert.ok(gone, `still running after ${ms} ms: ${JSON.stringify(runningWith(jobArn))}\n${stderr()}`);
        const sent = getJobs(jobArn);
        await new Promise((r) => setTimeout(r, 1200));
        assert.equal(getJobs(jobArn), sent, "a GetJob arrived after the wait was stopped");
        assert.match(stderr(), /was interrupted/);
    }

    const killLeftovers = (jobArn: string) => {
        for (const p of runningWith(jobArn)) {
            try {
                process.kill(p.pid, "SIGKILL");
            } catch {
                // already gone
            }
        }
    };

    const npx = (jobArn: string) => ["npx", "pulumi-braket", "wait", "--job-arn", jobArn, ...FAST];
    const npmExec = (jobArn: string) => ["npm", "exec", "--", "pulumi-braket", "wait", "--job-arn", jobArn, ...FAST];
    const npxExec = (jobArn: string) => ["npx", "-c", `exec pulumi-braket wait --job-arn '${jobArn}' ${FAST.join(" ")}`];

    const GONE = /was interrupted: (the|a) process (that started it|it was started under) \(pid \d+, [^)]*\) has exited/;
    for (const [name, command, signal, target, says, code] of [
        ["npx pulumi-braket wait: SIGTERM to npx", npx, "SIGTERM", "npx", GONE, undefined],
        ["npx pulumi-braket wait: SIGKILL to npx", npx, "SIGKILL", "npx", GONE, undefined],
        ["npx pulumi-braket wait: SIGHUP to npx", npx, "SIGHUP", "npx", GONE, undefined],
        [
            "npx pulumi-braket wait: SIGINT to the process group (Ctrl-C, a CI runner)",
            npx,
            "SIGINT",
            "group",
            /interrupted \(SIGINT\)/,
            undefined,
        ],
        ["npx pulumi-braket wait: SIGTERM to the process group", npx, "SIGTERM", "group", /was interrupted/, undefined],
        ["npm exec -- pulumi-braket wait: SIGTERM to npm", npmExec, "SIGTERM", "npx", GONE, undefined],
        ["npx -c 'exec pulumi-braket wait …': SIGINT to npx", npxExec, "SIGINT", "npx", /interrupted \(SIGINT\)/, 130],
        ["npx -c 'exec pulumi-braket wait …': SIGTERM to npx", npxExec, "SIGTERM", "npx", /interrupted \(SIGTERM\)/, 130],
    ] as const) {
        it(name, async () => {
            const w = await startWait(command);
            try {
                process.kill(target === "group" ? -w.child.pid! : w.child.pid!, signal);
                await assertStopped(w.jobArn, 5000, w.stderr);
                assert.match(w.stderr(), says);
                // npm exits as its child did: with its code, or (after a shell that died of the signal) by the signal.
                if (code !== undefined) assert.equal(await w.exited, code, w.stderr());
            } finally {
                killLeftovers(w.jobArn);
            }
        });
    }

    it("npx pulumi-braket wait: SIGINT to npx alone is held by npm's `sh -c` (documented); the forms above stop", async () => {
        // npm forwards SIGINT to the shell it runs the bin under; the shell defers it until its
        // child exits, so the wait never sees it. Nothing exits either, so nothing can be noticed:
        // the README says to use `npx -c 'exec pulumi-braket wait …'` (or signal the group).
        const w = await startWait(npx);
        try {
            process.kill(w.child.pid!, "SIGINT");
            await new Promise((r) => setTimeout(r, 1500));
            const left = runningWith(w.jobArn);
            if (left.length === 0) return; // a future npm that passes SIGINT on: fine too
            const before = getJobs(w.jobArn);
            await new Promise((r) => setTimeout(r, 600));
            assert.ok(getJobs(w.jobArn) > before, "still polling, as documented");
            // SIGTERM then still stops it: the shell dies and the wait notices.
            process.kill(w.child.pid!, "SIGTERM");
            await assertStopped(w.jobArn, 5000, w.stderr);
        } finally {
            killLeftovers(w.jobArn);
        }
    });
});
