#!/usr/bin/env node
/**
 * `pulumi-braket`: the package's command line, for pipelines and local testing.
 *
 *   pulumi-braket get  (--job-arn <arn> | --job-name <name> [<filters>]) [--queue-info] [--region r] [--profile p]
 *                      [--endpoint url]
 *   pulumi-braket wait (--job-arn <arn> | --job-name <name> [<filters>]) [--timeout s] [--until COMPLETED|TERMINAL]
 *                      [--initial-interval s] [--max-interval s] [--region r] [--profile p] [--endpoint url]
 *                      [--ignore-parent-exit]
 *     <filters>: [--status S[,S...]]... [--created-after T] [--created-before T] [--device D] [--most-recent]
 *   pulumi-braket emulator [--port <n|0>] [--jobs <file.json>] [...]
 *   pulumi-braket --version | --help, pulumi-braket <command> --help
 *
 * Exit codes are documented in EXIT_CODES, the help and the README.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { HybridJobTerminalStatus } from "./types";
import { enumOf } from "./model";
import { destroyConnections } from "./clients";
import { progressLine, safeForTerminal } from "./progress";
import {
    BraketJobError,
    HybridJobArgumentError,
    HybridJobFailedError,
    HybridJobWaitCancelledError,
    HybridJobWaitTimeoutError,
} from "./errors";
import { readHybridJob, type HybridJobLookup } from "./hybridJob";
import { checkJobReference, lookupOfReference, type JobReference } from "./hybridJobSearch";
import { describeFilters } from "./jobFilters";
import { DEFAULT_POLLING, DEFAULT_WAIT_TIMEOUT_SECONDS, MAX_WAIT_SECONDS, waitForHybridJob, type WaitProgress } from "./wait";
import { TERMINAL_STATUSES } from "./mapping";

/** The CLI's exit codes. */
export const EXIT_CODES = {
    /** The job was read, or reached an accepted status. */
    ok: 0,
    /**
     * Bad usage or bad input: nothing was sent. Also: --job-name matched several jobs and
     * --most-recent was not given (SearchJobs was sent; no job was read).
     */
    usage: 2,
    /** `wait`: the job ended FAILED or CANCELLED (or, with --until COMPLETED, anything but COMPLETED). */
    jobFailed: 3,
    /** `wait`: the timeout passed first. */
    timedOut: 4,
    /**
     * Braket or AWS answered with an error (not found, access denied, throttled, unavailable, no
     * credentials). Also: no job matches --job-name and its filters (a name's "not found").
     */
    error: 5,
    /** The result could not be written to stdout (a closed pipe, a full disk, ...). */
    writeFailed: 6,
    /** Interrupted (SIGINT/SIGTERM), or the process it was started under exited. */
    interrupted: 130,
} as const;

const EXIT_2 = `  2    bad usage or input (nothing was sent); or --job-name matched several jobs and --most-recent
       was not given (SearchJobs was sent, no job was read)`;
const EXIT_5 = `  5    Braket or AWS answered with an error (not found, access denied, throttled, unavailable, no credentials);
       or no job matches --job-name and its filters`;

const EXIT_CODE_LINES = `Exit codes:
  0    the job was read; wait: it reached an accepted status (see --until)
${EXIT_2}
  3    wait: the job ended FAILED or CANCELLED (with --until COMPLETED: anything but COMPLETED)
  4    wait: the timeout passed first
${EXIT_5}
  6    the result could not be written to stdout (closed pipe, full disk)
  130  interrupted (SIGINT/SIGTERM), or the process it was started under exited`;

const ENVIRONMENT = `The AWS environment is honoured: the credential chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, SSO, ...),
AWS_ENDPOINT_URL_BRAKET, AWS_ENDPOINT_URL and the shared config files.`;

/** The statuses --status takes (the model's JobPrimaryStatus). */
const STATUSES = enumOf("JobPrimaryStatus");

const LOOKUP_OPTIONS = `  --job-arn <arn>         the hybrid job, arn:aws:braket:<region>:<account>:job/<id> (this or --job-name)
  --job-name <name>       find the job by the name it was created with (Braket SearchJobs, then GetJob), exact and
                          case-sensitive: exactly one job may match, or pass --most-recent (this or --job-arn)
  --region <r>            the region to ask (default: the region in the ARN; with --job-name: the AWS SDK's,
                          AWS_REGION or the profile's region, else exit 2)
  --profile <p>           the AWS profile to use (default: AWS_PROFILE, else the default credential chain)
  --endpoint <url>        the Braket endpoint, e.g. a local one (default: AWS_ENDPOINT_URL_BRAKET, else Braket's
                          endpoint of the region)`;

const FILTER_OPTIONS = `Filters of --job-name (only with it; the job must match every one given):
  --status <s>            its status: ${STATUSES.slice(0, -1).join(", ")} or ${STATUSES[STATUSES.length - 1]} (any case);
                          repeat it, or give a comma list, to accept any of several (default: any status)
  --created-after <t>     created strictly after t: ISO-8601 with a zone, 2026-11-29T12:00:00Z or ...+01:00, or a
                          date, 2026-11-29 (midnight UTC); sent to SearchJobs, so it shortens the search (default: any)
  --created-before <t>    created strictly before t, in the same forms (default: any)
  --device <d>            its primary device, exactly, e.g. arn:aws:braket:::device/quantum-simulator/amazon/sv1
                          (default: any)
  --most-recent           take the newest of several matching jobs (default: several are an error, exit 2,
                          that lists them)`;

const FILTERS_SYNOPSIS =
    "<filters>: [--status <s>[,<s>...]]... [--created-after <t>] [--created-before <t>] [--device <d>] [--most-recent]";
const GET_SYNOPSIS = `pulumi-braket get  (--job-arn <arn> | --job-name <name> [<filters>]) [--queue-info] [--region <r>]
                   [--profile <p>] [--endpoint <url>]`;
const WAIT_SYNOPSIS = `pulumi-braket wait (--job-arn <arn> | --job-name <name> [<filters>]) [--timeout <s>]
                   [--until COMPLETED|TERMINAL] [--initial-interval <s>] [--max-interval <s>] [--region <r>]
                   [--profile <p>] [--endpoint <url>] [--ignore-parent-exit]`;
/** A command's synopsis with the filters line, as its help and its usage errors show it. */
const withFilters = (synopsis: string) => `${synopsis}\n  ${FILTERS_SYNOPSIS}`;
const EMULATOR_SYNOPSIS = "pulumi-braket emulator [--port <n|0>] [--jobs <file.json>] [options]";

/** `pulumi-braket --help`. */
export const USAGE = `Usage:
  ${GET_SYNOPSIS}
  ${WAIT_SYNOPSIS}
  ${EMULATOR_SYNOPSIS}
  pulumi-braket --version
  ${FILTERS_SYNOPSIS}

Commands:
  get       read a hybrid job once (Braket GetJob) and print it as JSON on stdout
  wait      poll a hybrid job until it ends, with a status line on stderr, then print it as JSON
  (get and wait find the job by --job-arn, or by --job-name and the filters with Braket SearchJobs)
  emulator  serve a local Braket endpoint (GetJob, SearchJobs, CancelJob) for tests

'pulumi-braket <command> --help' lists every option of a command and its default.

${EXIT_CODE_LINES}

${ENVIRONMENT}`;

/** `pulumi-braket get --help`. */
export const GET_USAGE = `Usage: ${withFilters(GET_SYNOPSIS)}

Reads a hybrid job once (Braket GetJob) and prints it on stdout as JSON: the same data getHybridJob returns.
With --job-name it first finds the job's ARN with Braket SearchJobs (every page of the time window),
then reads it: the same JSON as --job-arn of that ARN.

Options:
${LOOKUP_OPTIONS}
  --queue-info            also read the job's queue position (queueInfo) (default: not read)
  -h, --help              show this help
  --version               print the version of pulumi-braket

${FILTER_OPTIONS}

Exit codes:
  0    the job was read
${EXIT_2}
${EXIT_5}
  6    the result could not be written to stdout (closed pipe, full disk)

${ENVIRONMENT}`;

/** `pulumi-braket wait --help`. */
export const WAIT_USAGE = `Usage: ${withFilters(WAIT_SYNOPSIS)}

Polls a hybrid job (Braket GetJob) until it ends, as the HybridJobCompletion gate does, writing a
status line to stderr (rewritten in place on a terminal, a line per change otherwise). When the job
reaches an accepted status it prints the job on stdout as JSON and exits 0.
With --job-name it finds the job once (Braket SearchJobs), says which on stderr, and then waits on
that job's ARN, as the gate does: the filters apply when it is found, not while it runs. The
timeout counts from then.

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

${FILTER_OPTIONS}

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
    "job-name": { type: "string" },
    status: { type: "string", multiple: true },
    "created-after": { type: "string" },
    "created-before": { type: "string" },
    device: { type: "string" },
    "most-recent": { type: "boolean" },
    region: { type: "string" },
    profile: { type: "string" },
    endpoint: { type: "string" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean" },
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(argv: string[], options: NonNullable<ParseArgsConfig["options"]>, synopsis: string, command: string): Values {
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Values;
    } catch (err) {
        throw new UsageError((err as Error).message, synopsis, command);
    }
}

/** The flags that only --job-name takes. */
const FILTER_FLAGS = ["status", "created-after", "created-before", "device", "most-recent"] as const;

/** The flag of each argument of a name lookup, for the provider's messages (they name the arguments). */
const FLAG_OF: Record<string, string> = {
    jobName: "--job-name",
    statuses: "--status",
    createdAfter: "--created-after",
    createdBefore: "--created-before",
    device: "--device",
};

/** --status, repeated and/or comma lists, as the statuses argument (upper case, like --until). */
function statusesFrom(raw: string[] | undefined, synopsis: string, command: string): string[] | undefined {
    if (raw === undefined) {
        return undefined;
    }
    const statuses = raw.flatMap((r) => r.split(",").map((s) => s.trim().toUpperCase()));
    if (statuses.some((s) => s === "")) {
        const bad = raw.find((r) => r.split(",").some((s) => s.trim() === ""));
        throw new UsageError(
            `--status takes a status or a comma list of them (${STATUSES.join(", ")}), got ${JSON.stringify(bad)}.`,
            synopsis,
            command,
        );
    }
    return statuses;
}

/**
 * Which job the command names, checked before any request: --job-arn, or --job-name with its
 * filters (exactly one of the two). The provider's checks (checkJobReference), with the flags
 * named in the messages.
 */
function referenceFrom(values: Values, queueInfo: boolean, synopsis: string, command: string): JobReference {
    const byArn = values["job-arn"] !== undefined;
    const byName = values["job-name"] !== undefined;
    if (byArn && byName) {
        throw new UsageError(
            "--job-arn and --job-name both name the job: pass one. --job-arn reads that job; --job-name finds it by name with SearchJobs.",
            synopsis,
            command,
        );
    }
    const filters = FILTER_FLAGS.filter((f) => values[f] !== undefined).map((f) => `--${f}`);
    if (!byName && filters.length > 0) {
        throw new UsageError(
            `${filters.join(", ")} ${filters.length === 1 ? "applies" : "apply"} only with --job-name (a search by name)` +
                (byArn ? `; with --job-arn, leave ${filters.length === 1 ? "it" : "them"} out.` : ": pass --job-name too."),
            synopsis,
            command,
        );
    }
    if (!byArn && !byName) {
        throw new UsageError(
            "--job-arn or --job-name is required: the ARN of the hybrid job, or the name it was created with.",
            synopsis,
            command,
        );
    }
    try {
        return checkJobReference(
            {
                jobArn: values["job-arn"],
                jobName: values["job-name"],
                statuses: statusesFrom(values.status as string[] | undefined, synopsis, command),
                createdAfter: values["created-after"],
                createdBefore: values["created-before"],
                device: values.device,
                mostRecent: values["most-recent"] === true ? true : undefined,
                region: values.region,
                profile: values.profile,
                endpoint: values.endpoint,
                additionalAttributeNames: queueInfo ? ["QueueInfo"] : undefined,
            },
            { secret: new Set(), caller: `pulumi-braket ${command}` },
        );
    } catch (err) {
        const flag = err instanceof HybridJobArgumentError ? FLAG_OF[err.argument] : undefined;
        if (flag !== undefined) {
            throw new UsageError(`${flag}: ${(err as Error).message}`, synopsis, command);
        }
        throw err;
    }
}

/** Several jobs match --job-name and --most-recent was not given (exit 2: the command must say which). */
class AmbiguousNameError extends Error {}

/**
 * The ARN lookup of a checked reference: the one given, or the job --job-name finds (SearchJobs).
 * The provider's messages, with what to pass to the CLI.
 */
async function lookupOf(ref: JobReference, synopsis: string, command: string, signal?: AbortSignal): Promise<HybridJobLookup> {
    try {
        return await lookupOfReference(ref, undefined, signal);
    } catch (err) {
        if (err instanceof HybridJobArgumentError && err.argument === "region") {
            throw new UsageError(
                `${err.message}\nWith pulumi-braket: pass --region <r>, or set AWS_REGION (or a region in the AWS profile).`,
                synopsis,
                command,
            );
        }
        if (err instanceof HybridJobArgumentError && err.argument === "mostRecent") {
            throw new AmbiguousNameError(
                `${err.message}\nWith pulumi-braket: narrow it with --status, --created-after, --created-before or --device, ` +
                    "or pass --most-recent to take the newest.",
            );
        }
        throw err;
    }
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
    const reference = referenceFrom(values, values["queue-info"] === true, GET_SYNOPSIS, "get");
    const job = await readHybridJob(await lookupOf(reference, GET_SYNOPSIS, "get"));
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
    const reference = referenceFrom(values, false, WAIT_SYNOPSIS, "wait");
    // Found once (by name: a search), then followed by its ARN, as the gate does.
    let lookup: HybridJobLookup | undefined = reference.by === "arn" ? reference.lookup : undefined;
    const searched = reference.by === "name" ? describeFilters(reference.search.filters) : "";
    const controller = new AbortController();
    const stop = (why: string) =>
        controller.abort(
            lookup !== undefined
                ? new HybridJobWaitCancelledError(`Waiting for hybrid job ${lookup.shownArn} was interrupted${why}.`, {
                      jobArn: lookup.shownArn,
                      region: lookup.target.region,
                  })
                : new HybridJobWaitCancelledError(`Finding the hybrid job ${searched} (SearchJobs) was interrupted${why}.`, {
                      region: reference.by === "name" ? reference.search.region : undefined,
                  }),
        );
    const onSigint = () => stop(" (SIGINT)");
    const onSigterm = () => stop(" (SIGTERM)");
    process.once("SIGINT", onSigint);
    process.once("SIGTERM", onSigterm);
    const unwatch = values["ignore-parent-exit"] === true ? () => undefined : watchAncestors((gone) => stop(`: ${gone}`));
    const status = statusLine(process.stderr);
    try {
        if (lookup === undefined && reference.by === "name") {
            lookup = await lookupOf(reference, WAIT_SYNOPSIS, "wait", controller.signal);
            const which = reference.mostRecent ? "the newest hybrid job" : "the hybrid job";
            writeStderr(
                safeForTerminal(`Found ${which} ${searched} in region ${lookup.target.region}: ${lookup.shownArn}.`).replace(/\n/g, " ") +
                    "\n",
            );
        }
        const job = await waitForHybridJob(lookup as HybridJobLookup, {
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
                    `${GET_SYNOPSIS}\n  ${WAIT_SYNOPSIS}\n  ${EMULATOR_SYNOPSIS}\n  ${FILTERS_SYNOPSIS}`,
                    "",
                );
        }
    } catch (err) {
        if (err instanceof UsageError) {
            const help = err.helpCommand ? `pulumi-braket ${err.helpCommand} --help` : "pulumi-braket --help";
            const synopsis = err.helpCommand === "get" || err.helpCommand === "wait" ? withFilters(err.synopsis) : err.synopsis;
            writeStderr(`pulumi-braket: ${safeForTerminal(err.message)}\n\nUsage:\n  ${synopsis}\nRun '${help}' for every option.\n`);
            return EXIT_CODES.usage;
        }
        if (err instanceof AmbiguousNameError) {
            // Not a usage mistake in the flags: the name is not enough. The provider's message lists the matches.
            writeStderr(`pulumi-braket: ${safeForTerminal(err.message)}\n`);
            return EXIT_CODES.usage;
        }
        if (err instanceof HybridJobArgumentError) {
            const synopsis = withFilters(command === "wait" ? WAIT_SYNOPSIS : GET_SYNOPSIS);
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
