/**
 * `pulumi-braket emulator` (runEmulatorCommand) in a child process.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetJobCommand, type BraketClient } from "@aws-sdk/client-braket";
import { ARN, FAKE_CREDENTIALS, JOBS_FILE, expectedBody, makeClient } from "./fixtures/emulator-helpers";

const CLI_MODULE = path.resolve(__dirname, "..", "provider", "emulator", "cli.js");
const REPO = path.resolve(__dirname, "..", "..");

function runCli(args: string[]): ChildProcessWithoutNullStreams {
    const script = `require(${JSON.stringify(CLI_MODULE)}).runEmulatorCommand(process.argv.slice(1))`;
    return spawn(process.execPath, ["-e", script, "--", ...args], { cwd: REPO });
}

/** Resolves with the endpoint (the first stdout line); rejects if the CLI exits first. */
function endpointOf(child: ChildProcessWithoutNullStreams): Promise<string> {
    return new Promise<string>((resolve, reject) => {
        let buf = "";
        child.stdout.on("data", (d: Buffer) => {
            buf += d.toString();
            const nl = buf.indexOf("\n");
            if (nl >= 0) resolve(buf.slice(0, nl));
        });
        child.on("exit", () => reject(new Error("CLI exited before printing the endpoint")));
    });
}

async function errorName(c: BraketClient, arn: string): Promise<string> {
    try {
        await c.send(new GetJobCommand({ jobArn: arn }));
        return "ok";
    } catch (e) {
        return (e as Error).name;
    } finally {
        c.destroy();
    }
}

function finish(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

/** The key alone (the SDK marks the credentials objects it is given with extra members). */
const KEY = { accessKeyId: FAKE_CREDENTIALS.accessKeyId, secretAccessKey: FAKE_CREDENTIALS.secretAccessKey };

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

    it("--help prints the usage with every flag and its default, and exits 0", async () => {
        const r = await finish(runCli(["--help"]));
        assert.equal(r.code, 0);
        assert.match(r.stdout, /^Usage: pulumi-braket emulator/);
        for (const [flag, def] of [
            ["--port <n|0>", "default 0"],
            ["--jobs <file.json>", "default: no jobs"],
            ["--host <h>", "default 127.0.0.1"],
            ["--credentials <file.json>", "default: signatures are not verified"],
            ["--access-key-id <id>", ""],
            ["--secret-access-key <key>", ""],
            ["--latency-ms <n>", "default 0"],
            ["--slow-ms <n>", "default 1500"],
            ["--seed <n>", "default 1"],
            ["--cancel-delay-seconds <n>", "default 1"],
            ["--throttle <p>", "default 0"],
        ]) {
            const line = r.stdout.split("\n").findIndex((l) => l.trimStart().startsWith(flag));
            assert.ok(line >= 0, `${flag} is in the help`);
            const text = r.stdout
                .split("\n")
                .slice(line, line + 3)
                .join(" ");
            assert.ok(text.includes(def), `${flag}: ${def}`);
        }
    });

    describe("signature checks from the command line", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-braket-emu-cli-"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        const check = async (args: string[], more?: (endpoint: string) => Promise<void>): Promise<{ stderr: string }> => {
            const child = runCli(["--port", "0", "--jobs", JOBS_FILE, ...args]);
            const done = finish(child);
            const endpoint = await endpointOf(child);
            assert.equal(await errorName(makeClient(endpoint), ARN.queued), "ok", "the configured key is accepted");
            const wrongSecret = { accessKeyId: FAKE_CREDENTIALS.accessKeyId, secretAccessKey: "not/the/secret/0000000000000000000000" };
            assert.equal(await errorName(makeClient(endpoint, { credentials: wrongSecret }), ARN.queued), "InvalidSignatureException");
            const unknown = { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: FAKE_CREDENTIALS.secretAccessKey };
            assert.equal(await errorName(makeClient(endpoint, { credentials: unknown }), ARN.queued), "UnrecognizedClientException");
            await more?.(endpoint);
            child.kill("SIGTERM");
            const r = await done;
            assert.equal(r.code, 0, r.stderr);
            assert.ok(!r.stderr.includes(FAKE_CREDENTIALS.secretAccessKey) && !r.stderr.includes(FAKE_CREDENTIALS.accessKeyId));
            return r;
        };

        it("--credentials <file> verifies signatures (allow lists included)", async () => {
            const file = path.join(dir, "creds.json");
            fs.writeFileSync(
                file,
                JSON.stringify([KEY, { accessKeyId: "AKIAREADONLY00000000", secretAccessKey: "s", allow: ["braket:Search*"] }]),
            );
            const r = await check(["--credentials", file], async (endpoint) => {
                const readOnly = { accessKeyId: "AKIAREADONLY00000000", secretAccessKey: "s" };
                assert.equal(await errorName(makeClient(endpoint, { credentials: readOnly }), ARN.queued), "AccessDeniedException");
            });
            assert.match(r.stderr, /signatures: verified against 2 access keys/);
        });

        it("--access-key-id with --secret-access-key verifies signatures", async () => {
            const r = await check([
                "--access-key-id",
                FAKE_CREDENTIALS.accessKeyId,
                "--secret-access-key",
                FAKE_CREDENTIALS.secretAccessKey,
            ]);
            assert.match(r.stderr, /signatures: verified against 1 access key /);
        });

        it("says when signatures are not verified", async () => {
            const child = runCli(["--port", "0"]);
            const done = finish(child);
            await endpointOf(child);
            child.kill("SIGTERM");
            assert.match((await done).stderr, /signatures: not verified \(any access key works; --credentials <file> checks them\)/);
        });

        it("exits 2 for bad credentials, naming the entry and member, never a secret", async () => {
            const write = (name: string, text: string): string => {
                const f = path.join(dir, name);
                fs.writeFileSync(f, text);
                return f;
            };
            const secret = "very/secret/value/that/must/not/leak0000";
            const cases: [string[], RegExp][] = [
                [["--access-key-id", "AKIAONLY"], /--access-key-id and --secret-access-key go together/],
                [["--secret-access-key", secret], /--access-key-id and --secret-access-key go together/],
                [
                    ["--access-key-id", "AKIA/SLASH", "--secret-access-key", secret],
                    /--access-key-id\/--secret-access-key\.accessKeyId: must be 1 to 128 printable characters without '\/'/,
                ],
                [["--credentials", path.join(dir, "missing.json")], /--credentials .*missing\.json: cannot read the file/],
                [["--credentials", write("a.json", "{")], /--credentials .*a\.json: not valid JSON/],
                [
                    ["--credentials", write("b.json", JSON.stringify({ accessKeyId: "A", secretAccessKey: secret }))],
                    /expected a JSON array/,
                ],
                [
                    ["--credentials", write("c.json", JSON.stringify([KEY, { accessKeyId: "AKIA2" }]))],
                    /c\.json: \[1\]\.secretAccessKey: must be a non-empty string/,
                ],
                [["--credentials", write("d.json", JSON.stringify([{ ...KEY, secretKey: secret }]))], /\[0\]\.secretKey: unknown member/],
                [
                    ["--credentials", write("e.json", JSON.stringify([{ ...KEY, allow: "braket:*" }]))],
                    /\[0\]\.allow: must be an array of actions/,
                ],
                [
                    [
                        "--credentials",
                        write("f.json", JSON.stringify([KEY])),
                        "--access-key-id",
                        FAKE_CREDENTIALS.accessKeyId,
                        "--secret-access-key",
                        secret,
                    ],
                    /an access key id is given twice/,
                ],
            ];
            await Promise.all(
                cases.map(async ([args, re]) => {
                    const r = await finish(runCli(args));
                    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
                    assert.match(r.stderr, re);
                    assert.ok(!r.stderr.includes(secret), "the secret is not echoed");
                    assert.equal(r.stdout, "");
                }),
            );
        });
    });

    it("exits 2 for a hostile jobs file with a message naming the job and member, escaped", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-braket-emu-cli-"));
        try {
            const file = path.join(dir, "jobs.json");
            const good = expectedBody(ARN.completedFull);
            fs.writeFileSync(
                file,
                JSON.stringify([good, { ...good, jobArn: ARN.queued, jobName: "x\u001b[2J\u001b]0;pwned\u0007", constructor: 1 }]).replace(
                    '"constructor"',
                    '"__proto__": {"polluted": true}, "constructor"',
                ),
            );
            const r = await finish(runCli(["--jobs", file]));
            assert.equal(r.code, 2, r.stderr);
            assert.match(
                r.stderr,
                /--jobs .*jobs\.json: jobs\[1\] \("x\\u001b\[2J\\u001b\]0;pwned\\u0007", arn:aws:braket:us-east-1:123456789012:job\/aec263e3-[^)]+\): invalid GetJob body: __proto__: Member is not part of shape GetJobResponse; constructor: Member is not part of shape GetJobResponse/,
            );
            // eslint-disable-next-line no-control-regex
            assert.doesNotMatch(r.stderr, /\u001b|\u0007/, "no raw escape sequences reach the terminal");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
