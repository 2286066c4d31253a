/**
 * Bad-input sweep of the invoke getHybridJob as the plugin runs it (test/support/lookup.ts), and of
 * the CLI, against the local Braket endpoint over real HTTP:
 *
 * - every argument outside what GetJob accepts is refused with HybridJobArgumentError naming the
 *   argument, before any request (the endpoint counts none);
 * - every jobArn that the model's JobArn pattern accepts, however odd (`../`, `?`, `#`, `%`,
 *   unicode, 2 KB), travels as exactly one percent-encoded path segment after /job/ and decodes to
 *   the input exactly (the endpoint's request log);
 * - no credential or secret ever appears in an error (message, String, stack, util.inspect), in
 *   anything printed, or in the CLI's stdout/stderr; a jobArn sent as a secret stays out of messages.
 */
import { strict as assert } from "node:assert";
import * as net from "node:net";
import * as path from "node:path";
import { inspect } from "node:util";
import { destroyConnections } from "../provider/clients";
import { parseProviderConfig } from "../provider/config";
import { startBraketEmulator, type BraketEmulator, type EmulatorRequestLogEntry } from "../provider/emulator";
import {
    BraketCredentialsError,
    BraketUnavailableError,
    HybridJobAccessDeniedError,
    HybridJobArgumentError,
    HybridJobNotFoundError,
    HybridJobThrottledError,
} from "../provider/errors";
import { resolveLookup } from "../provider/hybridJob";
import { AwsTestEnvironment, fixtureJob } from "./support/emulator";
import { lookUp } from "./support/lookup";
import { runProcess } from "./support/process";

const CLI = path.resolve(__dirname, "..", "provider", "cli.js");
const PREFIX = "arn:aws:braket:us-east-1:123456789012:job/";
const GOOD = `${PREFIX}0b6c3a36-5d1c-4e0f-9a55-3b1f5f1f7a01`;

/** Distinctive fake credentials: none may ever be printed or put in a message. */
const CREDS = {
    accessKeyId: "AKIABADINPUTKEY77777",
    secretAccessKey: "badinput/Secret+Key/7777777777777777777777777",
    sessionToken: "BADINPUT-SESSION-TOKEN-77777777777777777777777777777777",
};
const CRED_STRINGS = Object.values(CREDS);

function body(jobArn: string): Record<string, unknown> {
    const { emulator: _ignored, ...rest } = fixtureJob("qaoa-maxcut-forte");
    return { ...rest, jobArn, jobName: "bad-input-sweep" };
}

/** Everything an error can show when it is logged or printed. */
function everythingShown(err: unknown): string {
    const e = err as Error;
    return [String(err), e?.message, e?.stack, inspect(err, { depth: 10 })].join("\n");
}

function assertNoCredentials(text: string, where: string): void {
    for (const s of CRED_STRINGS)
        assert.ok(!text.includes(s), `${where} contains a credential (${s.slice(0, 8)}…):\n${text.slice(0, 3000)}`);
}

/** Captures everything written to stdout/stderr (console included) while `fn` runs. */
async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; output: string }> {
    const chunks: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const grab = (chunk: unknown) => {
        chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
        return true;
    };
    process.stdout.write = grab as typeof process.stdout.write;
    process.stderr.write = grab as typeof process.stderr.write;
    try {
        return { value: await fn(), output: chunks.join("") };
    } catch (error) {
        return { error, output: chunks.join("") };
    } finally {
        process.stdout.write = out;
        process.stderr.write = err;
    }
}

/** A port on loopback where nothing listens. */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

// Values of jobArn that must be refused before any request.
const REFUSED_ARNS: [string, unknown, RegExp][] = [
    ["empty", "", /is empty/],
    ["undefined", undefined, /is not set: getHybridJob needs jobArn .* or jobName/],
    ["null", null, /is not set: getHybridJob needs jobArn .* or jobName/],
    ["a number", 42, /not a string/],
    ["a boolean", true, /not a string/],
    ["an object", { arn: GOOD }, /not a string/],
    ["an array", [GOOD], /not a string/],
    ["a bigint", 10n, /not a string/],
    ["a symbol", Symbol("arn"), /not a string/],
    ["a space inside", `${PREFIX}a b`, /white space/],
    ["a leading space", ` ${GOOD}`, /white space/],
    ["a trailing newline", `${GOOD}\n`, /white space/],
    ["a tab", `${PREFIX}a\tb`, /white space/],
    ["a NUL", `${PREFIX}a\u0000b`, /control characters/],
    ["a DEL", `${PREFIX}a\u007fb`, /control characters/],
    ["a non-breaking space", `${PREFIX}a\u00a0b`, /white space/],
    ["10 KB", `${PREFIX}${"x".repeat(10 * 1024)}`, /longer than 2048/],
    ["one character too long", `${PREFIX}${"x".repeat(2049 - PREFIX.length)}`, /longer than 2048/],
    ["a path traversal alone", "../../etc/passwd", /not an Amazon Braket hybrid job ARN/],
    ["a query alone", "?jobArn=x", /JobArn pattern/],
    ["a fragment alone", "#job", /JobArn pattern/],
    ["percent-encoding alone", "%2e%2e%2f", /JobArn pattern/],
    ["an S3 ARN", "arn:aws:s3:::my-bucket/key", /not an Amazon Braket hybrid job ARN/],
    ["an IAM role ARN", "arn:aws:iam::123456789012:role/BraketJobs", /not an Amazon Braket hybrid job ARN/],
    ["a SageMaker training job ARN", "arn:aws:sagemaker:us-east-1:123456789012:training-job/x", /not an Amazon Braket hybrid job ARN/],
    ["a Braket quantum-task ARN", "arn:aws:braket:us-east-1:123456789012:quantum-task/abc", /quantum-task or device ARN is not a job/],
    ["a Braket device ARN", "arn:aws:braket:::device/qpu/ionq/Aria-1", /quantum-task or device ARN is not a job/],
    ["the azure partition", "arn:azure:braket:us-east-1:123456789012:job/x", /JobArn pattern/],
    ["an upper-case partition", "arn:AWS:braket:us-east-1:123456789012:job/x", /JobArn pattern/],
    ["an empty partition", "arn::braket:us-east-1:123456789012:job/x", /JobArn pattern/],
    ["a short partition", "arn:aw:braket:us-east-1:123456789012:job/x", /JobArn pattern/],
    ["an upper-case region", "arn:aws:braket:US-EAST-1:123456789012:job/x", /JobArn pattern/],
    ["an underscore region", "arn:aws:braket:us_east_1:123456789012:job/x", /JobArn pattern/],
    ["an 11-digit account", "arn:aws:braket:us-east-1:12345678901:job/x", /JobArn pattern/],
    ["an empty job id", PREFIX, /JobArn pattern/],
    ["upper-case JOB", "arn:aws:braket:us-east-1:123456789012:JOB/x", /JobArn pattern/],
    ["a lone surrogate (not encodable as UTF-8)", `${PREFIX}a\ud800b`, /jobArn/],
];

// Values of jobArn that the model's JobArn pattern accepts: sent, as one path segment.
const SENT_ARNS: [string, string][] = [
    ["a path traversal", `${PREFIX}../../etc/passwd`],
    ["a dot-dot id", `${PREFIX}..`],
    ["slashes", `${PREFIX}a/b/c/`],
    ["a query", `${PREFIX}a?b=c&d=e`],
    ["a fragment", `${PREFIX}a#frag`],
    ["a percent sign", `${PREFIX}100%`],
    ["text that looks percent-encoded", `${PREFIX}%2F%2e%2e%2F%252F`],
    ["sub-delimiters", `${PREFIX}a;b,c=d+e$f@g:h`],
    ["characters encodeURIComponent keeps", `${PREFIX}it's(*)!~_.-`],
    ["brackets and braces", `${PREFIX}[x]{y}|z^\`\\"<>`],
    ["unicode", `${PREFIX}ジョブ-ü-😀-Ω`],
    ["a zero-width space", `${PREFIX}a\u200bb`],
    ["2048 characters", `${PREFIX}${"x".repeat(2048 - PREFIX.length)}`],
    ["the aws-cn partition", "arn:aws-cn:braket:cn-north-1:123456789012:job/a?b#c"],
    ["the aws-us-gov partition", "arn:aws-us-gov:braket:us-gov-west-1:123456789012:job/../x"],
];

/** Provider settings that fail after 3 attempts (the default is 26): for cases about what errors show, not how long they take. */
const FAIL_FAST = { maxRetries: 2 };

describe("bad-input sweep: refused before any request, or sent as exactly one path segment; no secret shown", function () {
    this.timeout(60_000);
    const env = new AwsTestEnvironment();
    let emu: BraketEmulator;

    before(async () => {
        emu = await startBraketEmulator({ jobs: [body(GOOD), ...SENT_ARNS.map(([, arn]) => body(arn))], logLimit: 10_000 });
        env.apply({
            AWS_ENDPOINT_URL_BRAKET: emu.endpoint,
            AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
            AWS_SESSION_TOKEN: CREDS.sessionToken,
        });
    });
    beforeEach(() => {
        destroyConnections();
        emu.resetStats();
    });
    after(async () => {
        destroyConnections();
        env.restore();
        await emu?.close();
    });

    for (const [what, value, fragment] of REFUSED_ARNS) {
        it(`refuses a jobArn that is ${what}, naming jobArn, before any request`, async () => {
            const { error, output } = await captureOutput(() => lookUp({ jobArn: value }));
            assert.ok(
                error instanceof HybridJobArgumentError,
                `expected HybridJobArgumentError, got ${everythingShown(error).slice(0, 600)}`,
            );
            assert.equal(error.argument, "jobArn");
            assert.match(error.message, /^jobArn /);
            assert.match(error.message, fragment);
            assert.ok(error.message.length < 600, `the message echoes too much (${error.message.length} characters)`);
            assert.equal(emu.stats.requests, 0, "no request may be sent");
            assert.equal(output, "");
            assertNoCredentials(everythingShown(error), "the error");
        });
    }

    it("refuses attribute names outside the API's enum, naming additionalAttributeNames, before any request", async () => {
        const bad: unknown[] = [
            ["queueinfo"],
            ["QUEUEINFO"],
            ["QueueInfo", "Bogus"],
            ["QueueInfo "],
            [""],
            [null],
            [1],
            [["QueueInfo"]],
            "QueueInfo",
            { 0: "QueueInfo" },
            1,
        ];
        for (const names of bad) {
            await assert.rejects(lookUp({ jobArn: GOOD, additionalAttributeNames: names }), (err: unknown) => {
                assert.ok(err instanceof HybridJobArgumentError, `${JSON.stringify(names)}: ${String(err)}`);
                assert.equal(err.argument, "additionalAttributeNames");
                assert.match(err.message, /^additionalAttributeNames /);
                assert.match(err.message, /QueueInfo/, "the message names what is supported");
                return true;
            });
        }
        assert.equal(emu.stats.requests, 0);
    });

    it("refuses bad region, profile and endpoint values, naming the argument, without echoing credentials", async () => {
        const cases: [Record<string, unknown>, string][] = [
            [{ region: "US-EAST-1" }, "region"],
            [{ region: "us-east-1/../x" }, "region"],
            [{ region: 5 }, "region"],
            [{ profile: "a b" }, "profile"],
            [{ profile: "x".repeat(300) }, "profile"],
            [{ profile: {} }, "profile"],
            [{ endpoint: "ftp://127.0.0.1/" }, "endpoint"],
            [{ endpoint: "not a url" }, "endpoint"],
            [{ endpoint: `http://${CREDS.accessKeyId}:${encodeURIComponent(CREDS.secretAccessKey)}@127.0.0.1:1/` }, "endpoint"],
        ];
        for (const [extra, argument] of cases) {
            await assert.rejects(lookUp({ jobArn: GOOD, ...extra }), (err: unknown) => {
                assert.ok(err instanceof HybridJobArgumentError, `${JSON.stringify(extra).slice(0, 80)}: ${String(err)}`);
                assert.equal(err.argument, argument);
                assertNoCredentials(everythingShown(err), "the error");
                assert.ok(!err.message.includes(encodeURIComponent(CREDS.secretAccessKey)));
                return true;
            });
        }
        assert.equal(emu.stats.requests, 0);
    });

    it("refuses the same bad values as the provider's settings (Configure), naming braket:<key>, without echoing credentials", () => {
        const cases: [Record<string, unknown>, string][] = [
            [{ region: "US-EAST-1" }, "region"],
            [{ region: 5 }, "region"],
            [{ profile: "a b" }, "profile"],
            [{ profile: {} }, "profile"],
            [{ endpoint: "ftp://127.0.0.1/" }, "endpoint"],
            [{ endpoint: `http://${CREDS.accessKeyId}:${encodeURIComponent(CREDS.secretAccessKey)}@127.0.0.1:1/` }, "endpoint"],
            [{ maxRetries: -1 }, "maxRetries"],
            [{ maxRetries: "5 tries" }, "maxRetries"],
        ];
        for (const [settings, argument] of cases) {
            assert.throws(
                () => parseProviderConfig(settings),
                (err: unknown) => {
                    assert.ok(err instanceof HybridJobArgumentError, `${JSON.stringify(settings).slice(0, 80)}: ${String(err)}`);
                    assert.equal(err.argument, argument);
                    assert.ok(err.message.startsWith(`braket:${argument}: `), err.message);
                    assertNoCredentials(everythingShown(err), "the error");
                    assert.ok(!err.message.includes(encodeURIComponent(CREDS.secretAccessKey)));
                    return true;
                },
            );
        }
    });

    for (const [what, arn] of SENT_ARNS) {
        it(`sends a jobArn with ${what} as one encoded path segment that decodes to it exactly`, async () => {
            const job = await lookUp({ jobArn: arn, additionalAttributeNames: ["QueueInfo"] });
            assert.equal(job.jobArn, arn);
            const log = emu.stats.log.filter((e: EmulatorRequestLogEntry) => e.operation === "GetJob");
            assert.equal(log.length, 1, "exactly one request");
            const entry = log[0];
            const segments = entry.path.split("/");
            assert.equal(segments.length, 3, `one segment after /job/: ${entry.path}`);
            assert.deepEqual(segments.slice(0, 2), ["", "job"]);
            assert.ok(!/[?#]/.test(entry.path), "no raw ? or # in the path");
            assert.equal(decodeURIComponent(segments[2]), arn, "the segment decodes to the input");
            assert.equal(entry.jobArn, arn, "the endpoint decoded the label to the input");
            assert.deepEqual(entry.query, { additionalAttributeNames: ["QueueInfo"] }, "nothing of the ARN leaked into the query");
            assert.equal(entry.status, 200);
        });
    }

    it("keeps a jobArn sent as a secret out of argument errors: [secret] instead", async () => {
        const secretArns = [
            "arn:aws:braket:us-east-1:123456789012:quantum-task/top-secret-task-77",
            `${PREFIX}top-secret-space 77`,
            `${PREFIX}top-secret-${"x".repeat(3000)}`,
            "top-secret-not-an-arn",
        ];
        for (const jobArn of secretArns) {
            await assert.rejects(lookUp({ jobArn }, {}, { secret: ["jobArn"] }), (err: unknown) => {
                assert.ok(err instanceof HybridJobArgumentError);
                assert.match(err.message, /\[secret\]/);
                assert.ok(!everythingShown(err).includes("top-secret"), err.message);
                return true;
            });
        }
        assert.equal(resolveLookup({ jobArn: GOOD }, { redact: true }).shownArn, "[secret]");
        assert.equal(emu.stats.requests, 0);
    });

    it("keeps a secret ARN out of the errors of failed requests (404 whose service message names the ARN)", async () => {
        const secret = `${PREFIX}top-secret-job-404`;
        const { error, output } = await captureOutput(() => lookUp({ jobArn: secret }, {}, { secret: ["jobArn"] }));
        assert.ok(error instanceof HybridJobNotFoundError, String(error));
        assert.equal(error.jobArn, "[secret]");
        assert.match(error.message, /\[secret\]/);
        assert.ok(!error.message.includes("top-secret-job-404"), `the message shows the secret ARN: ${error.message}`);
        assert.ok(
            !everythingShown(error).includes("top-secret-job-404"),
            "a logged error (util.inspect, with its cause) shows the secret ARN",
        );
        assert.ok(!output.includes("top-secret-job-404"));
    });

    it("keeps a secret ARN out of the errors of failed requests (403 whose service message names the resource)", async () => {
        const denying = await startBraketEmulator({ jobs: [body(GOOD)], credentials: [{ ...CREDS, allow: ["braket:SearchJobs"] }] });
        try {
            const { error } = await captureOutput(() => lookUp({ jobArn: GOOD, endpoint: denying.endpoint }, {}, { secret: ["jobArn"] }));
            assert.ok(error instanceof HybridJobAccessDeniedError, String(error));
            assert.ok(!error.message.includes(GOOD), `the message shows the secret ARN: ${error.message}`);
            assert.ok(!everythingShown(error).includes(GOOD), "a logged error (util.inspect, with its cause) shows the secret ARN");
            assertNoCredentials(everythingShown(error), "the error");
        } finally {
            destroyConnections();
            await denying.close();
        }
    });

    it("never shows the credentials in errors or output: unknown key, refused connection, 5xx, throttling, drops, bad profile", async () => {
        const strict = await startBraketEmulator({
            jobs: [body(GOOD)],
            credentials: [{ accessKeyId: "AKIAOTHERKEY00000001", secretAccessKey: "other" }],
        });
        const faulty = await startBraketEmulator({ jobs: [body(GOOD)] });
        const port = await closedPort();
        try {
            const attempts: [string, () => Promise<unknown>, new (...args: never[]) => Error][] = [
                ["an unknown access key", () => lookUp({ jobArn: GOOD, endpoint: strict.endpoint }), HybridJobAccessDeniedError],
                [
                    "a refused connection",
                    () => lookUp({ jobArn: GOOD, endpoint: `http://127.0.0.1:${port}` }, FAIL_FAST),
                    BraketUnavailableError,
                ],
                [
                    "5xx",
                    async () => {
                        faulty.setFaults({ serverError: 1 });
                        return lookUp({ jobArn: GOOD, endpoint: faulty.endpoint }, FAIL_FAST);
                    },
                    BraketUnavailableError,
                ],
                [
                    "throttling",
                    async () => {
                        faulty.setFaults({ throttle: 1 });
                        return lookUp({ jobArn: GOOD, endpoint: faulty.endpoint }, FAIL_FAST);
                    },
                    HybridJobThrottledError,
                ],
                [
                    "dropped connections",
                    async () => {
                        faulty.setFaults({ drop: 1 });
                        return lookUp({ jobArn: GOOD, endpoint: faulty.endpoint }, FAIL_FAST);
                    },
                    BraketUnavailableError,
                ],
                ["a profile that does not exist", () => lookUp({ jobArn: GOOD, profile: "no-such-profile-77" }), BraketCredentialsError],
            ];
            for (const [what, call, cls] of attempts) {
                const { error, output } = await captureOutput(call);
                assert.ok(error instanceof cls, `${what}: expected ${cls.name}, got ${String(error)}`);
                assert.ok((error as Error).message.includes(GOOD), `${what}: the message names the ARN`);
                assertNoCredentials(everythingShown(error), `${what}: the error`);
                assertNoCredentials(output, `${what}: the output`);
            }
        } finally {
            destroyConnections();
            await strict.close();
            await faulty.close();
        }
    });

    describe("the CLI (get and wait) with distinctive credentials", () => {
        let strict: BraketEmulator;
        let failing: BraketEmulator;
        let flaky: BraketEmulator;
        let cliEnv: NodeJS.ProcessEnv;
        let port: number;

        before(async () => {
            strict = await startBraketEmulator({
                jobs: [body(GOOD)],
                credentials: [{ accessKeyId: "AKIAOTHERKEY00000001", secretAccessKey: "other" }],
            });
            failing = await startBraketEmulator({ jobs: [body(GOOD)], faults: { serverError: 0.5, throttle: 0.5 } });
            flaky = await startBraketEmulator({ jobs: [body(GOOD)], faults: { serverError: 0.3, throttle: 0.3 }, seed: 5 });
            port = await closedPort();
            // The SDK's former default of 3 attempts (the provider's is 26): these cases are about what is shown, not how long retries last.
            cliEnv = { ...process.env, AWS_ENDPOINT_URL_BRAKET: undefined, NODE_NO_WARNINGS: undefined, AWS_MAX_ATTEMPTS: "3" };
        });
        after(async () => {
            await strict.close();
            await failing.close();
            await flaky.close();
        });

        const cases: [string, () => string[], number, RegExp][] = [
            [
                "get, an unknown access key",
                () => ["get", "--job-arn", GOOD, "--endpoint", strict.endpoint],
                5,
                /did not accept the request's credentials \(UnrecognizedClientException\)/,
            ],
            ["get, a refused connection", () => ["get", "--job-arn", GOOD, "--endpoint", `http://127.0.0.1:${port}`], 5, /no answer/],
            ["get, 5xx and throttling", () => ["get", "--job-arn", GOOD, "--endpoint", failing.endpoint], 5, /throttled|failed/],
            [
                "get, a missing profile",
                () => ["get", "--job-arn", GOOD, "--endpoint", failing.endpoint, "--profile", "no-such-profile-77"],
                5,
                /credentials/,
            ],
            [
                "get, credentials in the endpoint URL",
                () => ["get", "--job-arn", GOOD, "--endpoint", `http://${CREDS.accessKeyId}:x@127.0.0.1:1`],
                2,
                /must not carry user credentials/,
            ],
            ["get, a bad ARN", () => ["get", "--job-arn", `${PREFIX}a b`], 2, /jobArn .* white space/],
            [
                "wait, an unknown access key",
                () => ["wait", "--job-arn", GOOD, "--endpoint", strict.endpoint, "--timeout", "5", "--initial-interval", "0.2"],
                5,
                /did not accept the request's credentials \(UnrecognizedClientException\)/,
            ],
            [
                "wait, a refused connection until the timeout",
                () => [
                    "wait",
                    "--job-arn",
                    GOOD,
                    "--endpoint",
                    `http://127.0.0.1:${port}`,
                    "--timeout",
                    "2",
                    "--initial-interval",
                    "0.2",
                    "--max-interval",
                    "0.5",
                ],
                4,
                /timeout of 2 s/,
            ],
            [
                "wait, nothing but 5xx and throttling until the timeout",
                () => [
                    "wait",
                    "--job-arn",
                    GOOD,
                    "--endpoint",
                    failing.endpoint,
                    "--timeout",
                    "2",
                    "--initial-interval",
                    "0.2",
                    "--max-interval",
                    "0.5",
                ],
                4,
                /transient error: (ThrottlingException|InternalServiceException); retrying[\s\S]*timeout of 2 s/,
            ],
            [
                "wait, 60% 5xx and throttling until done",
                () => [
                    "wait",
                    "--job-arn",
                    GOOD,
                    "--endpoint",
                    flaky.endpoint,
                    "--timeout",
                    "20",
                    "--initial-interval",
                    "0.2",
                    "--max-interval",
                    "0.5",
                ],
                0,
                /is COMPLETED/,
            ],
        ];
        for (const [what, args, code, said] of cases) {
            it(`${what}: exit ${code}, a clear message, no credential in stdout or stderr`, async () => {
                const run = await runProcess(process.execPath, [CLI, ...args()], 40_000, cliEnv);
                assert.equal(run.killed, false);
                assert.equal(run.code, code, `exit ${run.code}\n${run.stderr}`);
                assert.match(run.stderr, said);
                if (code !== 0 && code !== 2) assert.ok(run.stderr.includes(GOOD), "the message names the ARN");
                assertNoCredentials(run.stdout, "stdout");
                assertNoCredentials(run.stderr, "stderr");
            });
        }
    });
});
