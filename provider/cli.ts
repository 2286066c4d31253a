#!/usr/bin/env node
/**
 * `pulumi-braket`: the package's command line, for pipelines and local testing.
 *
 *   pulumi-braket get  --job-arn <arn> [--queue-info] [--region r] [--profile p] [--endpoint url]
 *   pulumi-braket wait --job-arn <arn> [--timeout s] [--until COMPLETED|TERMINAL] [--initial-interval s]
 *                      [--max-interval s] [--region r] [--profile p] [--endpoint url]
 *   pulumi-braket emulator --port <n|0> --jobs <file.json> [...]
 *
 * Exit codes are documented in EXIT_CODES and the README.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { HybridJobTerminalStatus } from "./types";
import { destroyConnections } from "./clients";
import { progressLine } from "./progress";
import {
    BraketJobError,
    HybridJobArgumentError,
    HybridJobFailedError,
    HybridJobWaitCancelledError,
    HybridJobWaitTimeoutError,
} from "./errors";
import { readHybridJob, resolveLookup } from "./hybridJob";
import { DEFAULT_POLLING, DEFAULT_WAIT_TIMEOUT_SECONDS, waitForHybridJob, type WaitProgress } from "./wait";
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
    /** Interrupted (SIGINT/SIGTERM). */
    interrupted: 130,
} as const;

const USAGE = `Usage:
  pulumi-braket get  --job-arn <arn> [--queue-info] [--region <r>] [--profile <p>] [--endpoint <url>]
  pulumi-braket wait --job-arn <arn> [--timeout <seconds>] [--until COMPLETED|TERMINAL]
                     [--initial-interval <s>] [--max-interval <s>] [--region <r>] [--profile <p>] [--endpoint <url>]
  pulumi-braket emulator --port <n|0> --jobs <file.json> [--latency-ms <n>] [--throttle <p>] [--server-error <p>] [--drop <p>] [--slow <p>] [--seed <n>]

get prints the job as JSON (the same data getHybridJob returns) on stdout.
wait polls until the job is terminal, with a status line on stderr, then prints the job as JSON.
Exit codes: 0 ok, 2 bad usage or input, 3 job FAILED/CANCELLED, 4 timed out, 5 AWS/Braket error, 130 interrupted.
The AWS environment (AWS_PROFILE, AWS_ENDPOINT_URL_BRAKET, credentials) is honoured.`;

class UsageError extends Error {}

function numberFlag(name: string, raw: string | undefined, fallback: number): number {
    if (raw === undefined) {
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
        throw new UsageError(`--${name} must be a positive number of seconds, got ${JSON.stringify(raw)}.`);
    }
    return value;
}

const COMMON = {
    "job-arn": { type: "string" },
    region: { type: "string" },
    profile: { type: "string" },
    endpoint: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

function parse(argv: string[], options: NonNullable<ParseArgsConfig["options"]>) {
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<
            string,
            string | boolean | undefined
        >;
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
}

function lookupFrom(values: Record<string, string | boolean | undefined>, queueInfo: boolean) {
    if (values["job-arn"] === undefined) {
        throw new UsageError("--job-arn is required: the ARN of the hybrid job.");
    }
    return resolveLookup({
        jobArn: values["job-arn"],
        region: values.region,
        profile: values.profile,
        endpoint: values.endpoint,
        additionalAttributeNames: queueInfo ? ["QueueInfo"] : undefined,
    });
}

/** A status line on stderr: rewritten in place on a terminal, a line per change elsewhere. */
function statusLine(stream: NodeJS.WriteStream): { update(p: WaitProgress): void; end(): void } {
    let last = "";
    let lastPrinted = 0;
    return {
        update(p) {
            const line = progressLine(p);
            if (stream.isTTY) {
                stream.write(`\r\x1b[2K${line}`);
                last = line;
                return;
            }
            // Without a terminal: a line when the status changes, else at most one a minute.
            const key = `${p.status}|${p.queuePosition ?? ""}`;
            if (key !== last || Date.now() - lastPrinted >= 60_000) {
                stream.write(`${line}\n`);
                last = key;
                lastPrinted = Date.now();
            }
        },
        end() {
            if (stream.isTTY && last) {
                stream.write("\n");
            }
        },
    };
}

async function getCommand(argv: string[]): Promise<number> {
    const values = parse(argv, { ...COMMON, "queue-info": { type: "boolean" } });
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT_CODES.ok;
    }
    const job = await readHybridJob(lookupFrom(values, values["queue-info"] === true));
    process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
    return EXIT_CODES.ok;
}

async function waitCommand(argv: string[]): Promise<number> {
    const values = parse(argv, {
        ...COMMON,
        timeout: { type: "string" },
        until: { type: "string" },
        "initial-interval": { type: "string" },
        "max-interval": { type: "string" },
    });
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT_CODES.ok;
    }
    const until = ((values.until as string | undefined) ?? "COMPLETED").toUpperCase();
    if (until !== "COMPLETED" && until !== "TERMINAL") {
        throw new UsageError(`--until must be COMPLETED or TERMINAL, got ${JSON.stringify(values.until)}.`);
    }
    const successStatuses: HybridJobTerminalStatus[] = until === "TERMINAL" ? [...TERMINAL_STATUSES] : ["COMPLETED"];
    const lookup = lookupFrom(values, false);
    const controller = new AbortController();
    const interrupt = () =>
        controller.abort(
            new HybridJobWaitCancelledError(`Waiting for hybrid job ${lookup.shownArn} was interrupted.`, {
                jobArn: lookup.shownArn,
                region: lookup.target.region,
            }),
        );
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    const status = statusLine(process.stderr);
    try {
        const job = await waitForHybridJob(lookup, {
            timeoutSeconds: numberFlag("timeout", values.timeout as string | undefined, DEFAULT_WAIT_TIMEOUT_SECONDS),
            initialIntervalSeconds: numberFlag(
                "initial-interval",
                values["initial-interval"] as string | undefined,
                DEFAULT_POLLING.initialIntervalSeconds,
            ),
            maxIntervalSeconds: numberFlag(
                "max-interval",
                values["max-interval"] as string | undefined,
                DEFAULT_POLLING.maxIntervalSeconds,
            ),
            successStatuses,
            signal: controller.signal,
            onProgress: (p) => status.update(p),
        });
        status.end();
        process.stderr.write(`Hybrid job ${job.jobName} is ${job.status}.\n`);
        process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
        return EXIT_CODES.ok;
    } finally {
        status.end();
        process.removeListener("SIGINT", interrupt);
        process.removeListener("SIGTERM", interrupt);
    }
}

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
    // The AWS SDK's multi-line notice that its 2027 releases need Node 22 would follow every call of a
    // pipeline step; the README's supported-versions table says it once.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "get":
                return await getCommand(rest);
            case "wait":
                return await waitCommand(rest);
            case "emulator": {
                const { runEmulatorCommand } = await import("./emulator/cli");
                await runEmulatorCommand(rest);
                // The emulator command sets its own exit code (2 for bad arguments, 1 if it cannot serve).
                return typeof process.exitCode === "number" ? process.exitCode : EXIT_CODES.ok;
            }
            case "help":
            case "--help":
            case "-h":
                process.stdout.write(`${USAGE}\n`);
                return EXIT_CODES.ok;
            default:
                throw new UsageError(command === undefined ? "No command given." : `Unknown command ${JSON.stringify(command)}.`);
        }
    } catch (err) {
        if (err instanceof UsageError || err instanceof HybridJobArgumentError) {
            process.stderr.write(`pulumi-braket: ${err.message}\n\n${USAGE}\n`);
            return EXIT_CODES.usage;
        }
        process.stderr.write(`pulumi-braket: ${err instanceof Error ? err.message : String(err)}\n`);
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
            process.stderr.write(`pulumi-braket: ${String(err)}\n`);
            process.exitCode = EXIT_CODES.error;
        },
    );
}
