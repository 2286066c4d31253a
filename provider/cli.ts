#!/usr/bin/env node
/**
 * `pulumi-braket`: the package's command line, for pipelines and local testing.
 *
 *   pulumi-braket get  --job-arn <arn> [--queue-info] [--region r] [--profile p] [--endpoint url]
 *   pulumi-braket wait --job-arn <arn> [--timeout s] [--until COMPLETED|TERMINAL] [--initial-interval s]
 *                      [--max-interval s] [--region r] [--profile p] [--endpoint url] [--ignore-parent-exit]
 *   pulumi-braket emulator [--port <n|0>] [--jobs <file.json>] [...]
 *   pulumi-braket --version | --help, pulumi-braket <command> --help
 *
 * Exit codes are documented in EXIT_CODES, the help and the README.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { HybridJobTerminalStatus } from "./types";
import { destroyConnections } from "./clients";
import { progressLine, safeForTerminal } from "./progress";
import {
    BraketJobError,
    HybridJobArgumentError,
    HybridJobFailedError,
    HybridJobWaitCancelledError,
    HybridJobWaitTimeoutError,
} from "./errors";
import { readHybridJob, resolveLookup } from "./hybridJob";
import { DEFAULT_POLLING, DEFAULT_WAIT_TIMEOUT_SECONDS, MAX_WAIT_SECONDS, waitForHybridJob, type WaitProgress } from "./wait";
import { TERMINAL_STATUSES } from "./mapping";

/** The CLI's exit codes. */
export const EXIT_CODES = {
    /** The job was read, or reached an accepted status. */
    ok: 0,
    /** Bad usage or bad input: nothing was sent. */
    usage: 2,
    /** `wait`: the job ended FAILED or CANCELLED (or, with --until COMPLETED, anything but COMPLETED). */
    jobFailed: 3,
    /** `wait`: the timeout passed first. */
    timedOut: 4,
    /** Braket or AWS answered with an error (not found, access denied, throttled, unavailable, no credentials). */
    error: 5,
    /** The result could not be written to stdout (a closed pipe, a full disk, ...). */
    writeFailed: 6,
    /** Interrupted (SIGINT/SIGTERM), or the process it was started under exited. */
    interrupted: 130,
} as const;

const EXIT_CODE_LINES = `Exit codes:
  0    the job was read; wait: it reached an accepted status (see --until)
  2    bad usage or input (nothing was sent)
  3    wait: the job ended FAILED or CANCELLED (with --until COMPLETED: anything but COMPLETED)
  4    wait: the timeout passed first
  5    Braket or AWS answered with an error (not found, access denied, throttled, unavailable, no credentials)
  6    the result could not be written to stdout (closed pipe, full disk)
  130  interrupted (SIGINT/SIGTERM), or the process it was started under exited`;

const ENVIRONMENT = `The AWS environment is honoured: the credential chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, SSO, ...),
AWS_ENDPOINT_URL_BRAKET, AWS_ENDPOINT_URL and the shared config files.`;

const LOOKUP_OPTIONS = `  --job-arn <arn>         the hybrid job, arn:aws:braket:<region>:<account>:job/<id> (required)
  --region <r>            the region to ask (default: the region in the ARN)
  --profile <p>           the AWS profile to use (default: AWS_PROFILE, else the default credential chain)
  --endpoint <url>        the Braket endpoint, e.g. a local one (default: AWS_ENDPOINT_URL_BRAKET, else Braket's
                          endpoint of the region)`;

const GET_SYNOPSIS = "pulumi-braket get  --job-arn <arn> [--queue-info] [--region <r>] [--profile <p>] [--endpoint <url>]";
const WAIT_SYNOPSIS = `pulumi-braket wait --job-arn <arn> [--timeout <s>] [--until COMPLETED|TERMINAL] [--initial-interval <s>]
                   [--max-interval <s>] [--region <r>] [--profile <p>] [--endpoint <url>] [--ignore-parent-exit]`;
const EMULATOR_SYNOPSIS = "pulumi-braket emulator [--port <n|0>] [--jobs <file.json>] [options]";

/** `pulumi-braket --help`. */
export const USAGE = `Usage:
  ${GET_SYNOPSIS}
  ${WAIT_SYNOPSIS}
  ${EMULATOR_SYNOPSIS}
  pulumi-braket --version

Commands:
  get       read a hybrid job once (Braket GetJob) and print it as JSON on stdout
  wait      poll a hybrid job until it ends, with a status line on stderr, then print it as JSON
  emulator  serve a local Braket endpoint (GetJob, SearchJobs, CancelJob) for tests

'pulumi-braket <command> --help' lists every option of a command and its default.

${EXIT_CODE_LINES}

${ENVIRONMENT}`;

/** `pulumi-braket get --help`. */
export const GET_USAGE = `Usage: ${GET_SYNOPSIS}

Reads a hybrid job once (Braket GetJob) and prints it on stdout as JSON: the same data getHybridJob returns.

Options:
${LOOKUP_OPTIONS}
  --queue-info            also read the job's queue position (queueInfo) (default: not read)
  -h, --help              show this help
  --version               print the version of pulumi-braket

Exit codes:
  0    the job was read
  2    bad usage or input (nothing was sent)
  5    Braket or AWS answered with an error (not found, access denied, throttled, unavailable, no credentials)
  6    the result could not be written to stdout (closed pipe, full disk)

${ENVIRONMENT}`;

/** `pulumi-braket wait --help`. */
export const WAIT_USAGE = `Usage: ${WAIT_SYNOPSIS}

Polls a hybrid job (Braket GetJob) until it ends, as the HybridJobCompletion gate does, writing a
status line to stderr (rewritten in place on a terminal, a line per change otherwise). When the job
reaches an accepted status it prints the job on stdout as JSON and exits 0.

Options:
${LOOKUP_OPTIONS}
  --timeout <s>           give up after this many seconds, at most ${MAX_WAIT_SECONDS} (default: ${DEFAULT_WAIT_TIMEOUT_SECONDS}, ${DEFAULT_WAIT_TIMEOUT_SECONDS / 3600} h)
  --until <status>        COMPLETED: exit 0 only when the job COMPLETED, 3 when it ended otherwise;
                          TERMINAL: exit 0 when it ended in any way (default: COMPLETED)
  --initial-interval <s>  the first interval between two reads, in seconds (default: ${DEFAULT_POLLING.initialIntervalSeconds})
  --max-interval <s>      the longest interval, in seconds: the intervals grow ${DEFAULT_POLLING.backoffRate}x up to it
                          (default: ${DEFAULT_POLLING.maxIntervalSeconds})
  --ignore-parent-exit    keep waiting when the process it was started under exits (default: stop, exit 130)
  -h, --help              show this help
  --version               print the version of pulumi-braket

It stops (exit 130) on SIGINT or SIGTERM, and when a process it was started under exits (npx or
npm exec killed, a CI step's shell gone), so it never polls on in the background; see the README
for npx and SIGINT.

${EXIT_CODE_LINES}

${ENVIRONMENT}`;

class UsageError extends Error {
    constructor(
        message: string,
        readonly synopsis: string,
        readonly helpCommand: string,
    ) {
        super(message);
    }
}

/** The result could not be written. */
class OutputError extends Error {}

/** The version of the package this CLI belongs to (its package.json, found above this file). */
export function packageVersion(): string {
    for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
        try {
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
            if (pkg.name === "pulumi-braket" && typeof pkg.version === "string") return pkg.version;
        } catch {
            // not here: look further up
        }
    }
    return "unknown";
}

function describeWriteError(err: NodeJS.ErrnoException): string {
    switch (err.code) {
        case "EPIPE":
            return "its reader closed the pipe (EPIPE)";
        case "ENOSPC":
            return "no space left on the device (ENOSPC)";
        case "EDQUOT":
            return "the disk quota is exceeded (EDQUOT)";
        case "EIO":
            return "an I/O error (EIO)";
        default:
            return err.code ? `${err.message} (${err.code})` : err.message;
    }
}

/**
 * Writes to stdout and resolves once written; rejects with an OutputError (exit 6) when it cannot
 * be written (a closed pipe, a full disk). Never a stack trace, never an unhandled 'error' event.
 */
function writeStdout(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
        if (process.stdout.destroyed || !process.stdout.writable) {
            reject(new OutputError("could not write the result to stdout: it is closed."));
            return;
        }
        process.stdout.write(text, (err) => {
            if (err) reject(new OutputError(`could not write the result to stdout: ${describeWriteError(err)}.`));
            else resolve();
        });
    });
}

/** Diagnostics on stderr; a stderr that cannot be written (closed, full) is ignored. */
function writeStderr(text: string): void {
    if (process.stderr.destroyed || !process.stderr.writable) return;
    try {
        process.stderr.write(text, () => undefined);
    } catch {
        // nowhere left to report it
    }
}

let streamsGuarded = false;
/** Errors of stdout and stderr are reported where they are written (writeStdout); never as a crash. */
function guardStreams(): void {
    if (streamsGuarded) return;
    streamsGuarded = true;
    process.stdout.on("error", () => undefined);
    process.stderr.on("error", () => undefined);
}

/**
 * The result as pretty JSON, every character a terminal could act on written as a \u escape: JSON
 * already escapes C0 controls; DEL, C1 controls (U+009B is a CSI), the bidirectional and line
 * separator characters, and the `#` of `##[`, are escaped here too. The same JSON value, safe to
 * print (a JSON line never starts with `::`).
 */
function resultJson(value: unknown): string {
    return (
        JSON.stringify(value, null, 2)
            .replace(
                /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
                (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
            )
            // `##[` (inside a string: nowhere else in JSON) is the runner's older command form.
            .replace(/##\[/g, "#\\u0023[")
    );
}

function numberFlag(name: string, raw: string | undefined, fallback: number): number {
    if (raw === undefined) {
        return fallback;
    }
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value <= 0) {
        throw new UsageError(`--${name} must be a positive number of seconds, got ${JSON.stringify(raw)}.`, WAIT_SYNOPSIS, "wait");
    }
    return value;
}

const COMMON = {
    "job-arn": { type: "string" },
    region: { type: "string" },
    profile: { type: "string" },
    endpoint: { type: "string" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean" },
} as const;

function parse(argv: string[], options: NonNullable<ParseArgsConfig["options"]>, synopsis: string, command: string) {
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<
            string,
            string | boolean | undefined
        >;
    } catch (err) {
        throw new UsageError((err as Error).message, synopsis, command);
    }
}

function lookupFrom(values: Record<string, string | boolean | undefined>, queueInfo: boolean, synopsis: string, command: string) {
    if (values["job-arn"] === undefined) {
        throw new UsageError("--job-arn is required: the ARN of the hybrid job.", synopsis, command);
    }
    return resolveLookup({
        jobArn: values["job-arn"],
        region: values.region,
        profile: values.profile,
        endpoint: values.endpoint,
        additionalAttributeNames: queueInfo ? ["QueueInfo"] : undefined,
    });
}

/** A status line on stderr: rewritten in place on a terminal, a line per change elsewhere. Service text is made safe. */
function statusLine(stream: NodeJS.WriteStream): { update(p: WaitProgress): void; end(): void } {
    let last = "";
    let lastPrinted = 0;
    let open = false;
    return {
        update(p) {
            const line = safeForTerminal(progressLine(p)).replace(/\n/g, " ");
            if (stream.isTTY) {
                writeStderr(`\r\x1b[2K${line}`);
                open = true;
                return;
            }
            // Without a terminal: a line when the status changes, else at most one a minute.
            const key = `${p.status}|${p.queuePosition ?? ""}`;
            if (key !== last || Date.now() - lastPrinted >= 60_000) {
                writeStderr(`${line}\n`);
                last = key;
                lastPrinted = Date.now();
            }
        },
        end() {
            if (open) {
                writeStderr("\n");
                open = false;
            }
        },
    };
}

interface Ancestor {
    pid: number;
    ppid: number;
    start: string;
    name: string;
}

/** pid, parent and start time of a process from /proc (Linux); undefined when it is gone or unreadable. */
function readProcStat(pid: number): { ppid: number; start: string; name: string; gone: boolean } | undefined {
    let text: string;
    try {
        text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return code === "ENOENT" || code === "ESRCH" ? { ppid: 0, start: "", name: "", gone: true } : undefined;
    }
    // "pid (comm) state ppid ... starttime(22) ...": comm may hold spaces and parentheses.
    const close = text.lastIndexOf(")");
    const fields = text.slice(close + 2).split(" ");
    const ppid = Number(fields[1]);
    if (close < 0 || !Number.isInteger(ppid)) return undefined;
    return { ppid, start: fields[19] ?? "", name: programName(pid) ?? text.slice(text.indexOf("(") + 1, close), gone: false };
}

/** The program a process runs, from its command line (comm can be a thread's name: Node 24's is "MainThread"). */
function programName(pid: number): string | undefined {
    try {
        const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
        return argv0 ? path.basename(argv0) : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Watches the processes this one was started under (its parent, and on Linux their parents up to
 * init, e.g. sh, npm exec, a CI step's shell). `onGone` is called once, within `intervalMs`, when
 * one of them exits: `npx` or `npm exec` run the CLI under `sh -c`, and a signal to npx alone (or
 * its death) would otherwise leave the wait polling in the background.
 */
export function watchAncestors(onGone: (description: string) => void, intervalMs = 500): () => void {
    const parent = process.ppid;
    const chain: Ancestor[] = [];
    for (let pid = parent; pid > 1 && chain.length < 16;) {
        const stat = readProcStat(pid);
        if (!stat || stat.gone) break;
        chain.push({ pid, ppid: stat.ppid, start: stat.start, name: stat.name });
        pid = stat.ppid;
    }
    const timer = setInterval(() => {
        let gone: string | undefined;
        if (process.ppid !== parent) {
            gone = `the process that started it (pid ${parent}${chain[0] ? `, ${chain[0].name}` : ""}) has exited`;
        } else {
            for (const [i, a] of chain.entries()) {
                const now = readProcStat(a.pid);
                if (now && (now.gone || now.start !== a.start || now.ppid !== a.ppid)) {
                    // Gone itself, or re-parented because its own parent is gone.
                    const which = now.gone || now.start !== a.start ? a : (chain[i + 1] ?? { pid: a.ppid, name: "?" });
                    gone = `a process it was started under (pid ${which.pid}, ${which.name}) has exited`;
                    break;
                }
            }
        }
        if (gone !== undefined) {
            clearInterval(timer);
            onGone(gone);
        }
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
}

async function getCommand(argv: string[]): Promise<number> {
    const values = parse(argv, { ...COMMON, "queue-info": { type: "boolean" } }, GET_SYNOPSIS, "get");
    if (values.help) {
        await writeStdout(`${GET_USAGE}\n`);
        return EXIT_CODES.ok;
    }
    if (values.version) {
        await writeStdout(`${packageVersion()}\n`);
        return EXIT_CODES.ok;
    }
    const job = await readHybridJob(lookupFrom(values, values["queue-info"] === true, GET_SYNOPSIS, "get"));
    await writeStdout(`${resultJson(job)}\n`);
    return EXIT_CODES.ok;
}

async function waitCommand(argv: string[]): Promise<number> {
    const values = parse(
        argv,
        {
            ...COMMON,
            timeout: { type: "string" },
            until: { type: "string" },
            "initial-interval": { type: "string" },
            "max-interval": { type: "string" },
            "ignore-parent-exit": { type: "boolean" },
        },
        WAIT_SYNOPSIS,
        "wait",
    );
    if (values.help) {
        await writeStdout(`${WAIT_USAGE}\n`);
        return EXIT_CODES.ok;
    }
    if (values.version) {
        await writeStdout(`${packageVersion()}\n`);
        return EXIT_CODES.ok;
    }
    const until = ((values.until as string | undefined) ?? "COMPLETED").toUpperCase();
    if (until !== "COMPLETED" && until !== "TERMINAL") {
        throw new UsageError(`--until must be COMPLETED or TERMINAL, got ${JSON.stringify(values.until)}.`, WAIT_SYNOPSIS, "wait");
    }
    const successStatuses: HybridJobTerminalStatus[] = until === "TERMINAL" ? [...TERMINAL_STATUSES] : ["COMPLETED"];
    const timeoutSeconds = numberFlag("timeout", values.timeout as string | undefined, DEFAULT_WAIT_TIMEOUT_SECONDS);
    const initialIntervalSeconds = numberFlag(
        "initial-interval",
        values["initial-interval"] as string | undefined,
        DEFAULT_POLLING.initialIntervalSeconds,
    );
    const maxIntervalSeconds = numberFlag("max-interval", values["max-interval"] as string | undefined, DEFAULT_POLLING.maxIntervalSeconds);
    const lookup = lookupFrom(values, false, WAIT_SYNOPSIS, "wait");
    const controller = new AbortController();
    const stop = (why: string) =>
        controller.abort(
            new HybridJobWaitCancelledError(`Waiting for hybrid job ${lookup.shownArn} was interrupted${why}.`, {
                jobArn: lookup.shownArn,
                region: lookup.target.region,
            }),
        );
    const onSigint = () => stop(" (SIGINT)");
    const onSigterm = () => stop(" (SIGTERM)");
    process.once("SIGINT", onSigint);
    process.once("SIGTERM", onSigterm);
    const unwatch = values["ignore-parent-exit"] === true ? () => undefined : watchAncestors((gone) => stop(`: ${gone}`));
    const status = statusLine(process.stderr);
    try {
        const job = await waitForHybridJob(lookup, {
            timeoutSeconds,
            initialIntervalSeconds,
            maxIntervalSeconds,
            successStatuses,
            signal: controller.signal,
            onProgress: (p) => status.update(p),
        });
        status.end();
        writeStderr(safeForTerminal(`Hybrid job ${job.jobName} is ${job.status}.`).replace(/\n/g, " ") + "\n");
        await writeStdout(`${resultJson(job)}\n`);
        return EXIT_CODES.ok;
    } finally {
        status.end();
        unwatch();
        process.removeListener("SIGINT", onSigint);
        process.removeListener("SIGTERM", onSigterm);
    }
}

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
    // The AWS SDK's multi-line notice that its 2027 releases need Node 22 would follow every call of a
    // pipeline step; the README's supported-versions table says it once.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    guardStreams();
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "get":
                return await getCommand(rest);
            case "wait":
                return await waitCommand(rest);
            case "emulator": {
                if (rest.includes("--version")) {
                    await writeStdout(`${packageVersion()}\n`);
                    return EXIT_CODES.ok;
                }
                const { runEmulatorCommand } = await import("./emulator/cli");
                await runEmulatorCommand(rest);
                // The emulator command sets its own exit code (2 for bad arguments, 1 if it cannot serve).
                return typeof process.exitCode === "number" ? process.exitCode : EXIT_CODES.ok;
            }
            case "help":
            case "--help":
            case "-h": {
                const topic = { get: GET_USAGE, wait: WAIT_USAGE }[rest[0] ?? ""];
                if (command === "help" && rest[0] === "emulator") {
                    const { EMULATOR_USAGE } = await import("./emulator/cli");
                    await writeStdout(EMULATOR_USAGE);
                } else {
                    await writeStdout(`${topic ?? USAGE}\n`);
                }
                return EXIT_CODES.ok;
            }
            case "--version":
            case "version":
                await writeStdout(`${packageVersion()}\n`);
                return EXIT_CODES.ok;
            default:
                throw new UsageError(
                    command === undefined ? "No command given." : `Unknown command ${JSON.stringify(command)}.`,
                    `${GET_SYNOPSIS}\n  ${WAIT_SYNOPSIS}\n  ${EMULATOR_SYNOPSIS}`,
                    "",
                );
        }
    } catch (err) {
        if (err instanceof UsageError) {
            const help = err.helpCommand ? `pulumi-braket ${err.helpCommand} --help` : "pulumi-braket --help";
            writeStderr(`pulumi-braket: ${safeForTerminal(err.message)}\n\nUsage:\n  ${err.synopsis}\nRun '${help}' for every option.\n`);
            return EXIT_CODES.usage;
        }
        if (err instanceof HybridJobArgumentError) {
            const synopsis = command === "wait" ? WAIT_SYNOPSIS : GET_SYNOPSIS;
            writeStderr(
                `pulumi-braket: ${safeForTerminal(err.message)}\n\nUsage:\n  ${synopsis}\nRun 'pulumi-braket ${command} --help' for every option.\n`,
            );
            return EXIT_CODES.usage;
        }
        if (err instanceof OutputError) {
            writeStderr(`pulumi-braket: ${err.message}\n`);
            return EXIT_CODES.writeFailed;
        }
        writeStderr(`pulumi-braket: ${safeForTerminal(err instanceof Error ? err.message : String(err))}\n`);
        if (err instanceof HybridJobFailedError) {
            return EXIT_CODES.jobFailed;
        }
        if (err instanceof HybridJobWaitTimeoutError) {
            return EXIT_CODES.timedOut;
        }
        if (err instanceof HybridJobWaitCancelledError) {
            return EXIT_CODES.interrupted;
        }
        if (err instanceof BraketJobError) {
            return EXIT_CODES.error;
        }
        return EXIT_CODES.error;
    } finally {
        destroyConnections();
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err) => {
            writeStderr(`pulumi-braket: ${safeForTerminal(String(err))}\n`);
            process.exitCode = EXIT_CODES.error;
        },
    );
}
