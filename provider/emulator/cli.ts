/**
 * `pulumi-braket emulator`: serves the Braket emulator until SIGINT/SIGTERM.
 * The endpoint URL is the FIRST line of stdout; everything else goes to stderr.
 * Bad arguments (or an invalid jobs file) set exit code 2.
 */
import { readFileSync } from "node:fs";
import { safeForTerminal } from "../progress";
import { loadJobsFile, SeedError, startBraketEmulator, type EmulatorOptions } from "./index";
import { memberAccessor } from "./validate";

type Credential = NonNullable<EmulatorOptions["credentials"]>[number];

export const EMULATOR_USAGE = `Usage: pulumi-braket emulator [--port <n|0>] [--jobs <file.json>] [options]

Serves a local Amazon Braket endpoint (GetJob, SearchJobs, CancelJob) for tests.
Prints the endpoint URL as the first line of stdout; stops on Ctrl+C (SIGINT) or SIGTERM.

Options:
  --port <n|0>                 port to listen on; 0 picks a free port (default 0)
  --jobs <file.json>           seed jobs: a JSON array of GetJob response bodies (default: no jobs)
  --host <h>                   interface to listen on (default 127.0.0.1)
  --credentials <file.json>    verify SigV4 signatures against these keys: a JSON array of
                               {"accessKeyId", "secretAccessKey", "allow"?: ["braket:GetJob", ...]};
                               unknown keys get 403 (default: signatures are not verified, any key works)
  --access-key-id <id>         with --secret-access-key: one more key to verify signatures against
  --secret-access-key <key>    its secret (visible to other local users in the process list: prefer
                               --credentials <file>)
  --latency-ms <n>             simulated round trip added to every response (default 0)
  --throttle <p>               probability 0..1 of 429 ThrottlingException (default 0)
  --server-error <p>           probability 0..1 of 500 InternalServiceException (default 0)
  --drop <p>                   probability 0..1 of dropping the connection without a response (default 0)
  --slow <p>                   probability 0..1 of answering --slow-ms late (default 0)
  --slow-ms <n>                delay of a slow response in ms (default 1500)
  --seed <n>                   seed of the fault generator (default 1)
  --cancel-delay-seconds <n>   CANCELLING -> CANCELLED delay (default 1)
  -h, --help                   show this help
  --version                    print the version of pulumi-braket

Exit codes: 0 stopped by SIGINT/SIGTERM or --help, 2 bad arguments (or an invalid jobs or
credentials file), 1 cannot serve (e.g. the port is taken).
`;

/**
 * Reads a credentials file for signature checks: a JSON array of {accessKeyId, secretAccessKey,
 * allow?}. Errors name the entry and the member, never a key or a secret.
 */
export function loadCredentialsFile(path: string): Credential[] {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (e) {
        throw new UsageError(`--credentials ${path}: cannot read the file: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new UsageError(`--credentials ${path}: not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) {
        throw new UsageError(`--credentials ${path}: expected a JSON array of {"accessKeyId", "secretAccessKey", "allow"?}`);
    }
    return parsed.map((c: unknown, i: number) => checkCredential(c, `--credentials ${path}: [${i}]`));
}

function checkCredential(c: unknown, where: string): Credential {
    if (typeof c !== "object" || c === null || Array.isArray(c)) {
        throw new UsageError(`${where}: must be an object {"accessKeyId", "secretAccessKey", "allow"?}`);
    }
    const entry = c as Record<string, unknown>;
    for (const k of Object.keys(entry)) {
        if (k !== "accessKeyId" && k !== "secretAccessKey" && k !== "allow") {
            throw new UsageError(`${where}${memberAccessor(k)}: unknown member (allowed: accessKeyId, secretAccessKey, allow)`);
        }
    }
    const { accessKeyId, secretAccessKey, allow } = entry;
    // An access key id is one element of the slash-separated credential scope.
    if (typeof accessKeyId !== "string" || !/^[\x21-\x2e\x30-\x7e]{1,128}$/.test(accessKeyId)) {
        throw new UsageError(`${where}.accessKeyId: must be 1 to 128 printable characters without '/' or spaces`);
    }
    if (typeof secretAccessKey !== "string" || secretAccessKey.length === 0 || secretAccessKey.length > 1024) {
        throw new UsageError(`${where}.secretAccessKey: must be a non-empty string`);
    }
    if (allow !== undefined && (!Array.isArray(allow) || allow.some((a) => typeof a !== "string" || !/^[A-Za-z0-9:*?-]{1,128}$/.test(a)))) {
        throw new UsageError(`${where}.allow: must be an array of actions such as "braket:GetJob", "braket:Search*" or "braket:*"`);
    }
    return allow === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, allow: allow as string[] };
}

class UsageError extends Error {}

interface Parsed {
    help: boolean;
    jobsFile?: string;
    credentialsFile?: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    options: EmulatorOptions;
}

function numberFlag(flag: string, raw: string, kind: "port" | "nonneg" | "prob" | "int"): number {
    const n = Number(raw);
    const ok =
        raw.trim() !== "" &&
        Number.isFinite(n) &&
        (kind === "port"
            ? Number.isInteger(n) && n >= 0 && n <= 65535
            : kind === "prob"
              ? n >= 0 && n <= 1
              : kind === "int"
                ? Number.isInteger(n)
                : n >= 0);
    if (!ok) {
        const want = {
            port: "an integer port 0..65535 (0 picks a free port)",
            nonneg: "a number >= 0",
            prob: "a probability between 0 and 1, e.g. 0.05",
            int: "an integer",
        }[kind];
        throw new UsageError(`${flag} must be ${want}, got '${raw}'.`);
    }
    return n;
}

export function parseEmulatorArgs(argv: string[]): Parsed {
    const out: Parsed = { help: false, options: {} };
    const faults: NonNullable<EmulatorOptions["faults"]> = {};
    const args = [...argv];
    while (args.length > 0) {
        let arg = args.shift()!;
        let value: string | undefined;
        const eq = arg.indexOf("=");
        if (arg.startsWith("--") && eq > 0) {
            value = arg.slice(eq + 1);
            arg = arg.slice(0, eq);
        }
        if (arg === "-h" || arg === "--help") {
            out.help = true;
            continue;
        }
        const known = [
            "--port",
            "--jobs",
            "--host",
            "--latency-ms",
            "--throttle",
            "--server-error",
            "--drop",
            "--slow",
            "--slow-ms",
            "--seed",
            "--cancel-delay-seconds",
            "--credentials",
            "--access-key-id",
            "--secret-access-key",
        ];
        if (!known.includes(arg)) {
            throw new UsageError(
                arg.startsWith("-")
                    ? `unknown flag ${arg}; run 'pulumi-braket emulator --help' for the flags.`
                    : `unexpected argument '${arg}'; flags take the form --name value.`,
            );
        }
        if (value === undefined) {
            if (args.length === 0 || (args[0].startsWith("--") && args[0].length > 2))
                throw new UsageError(`${arg} needs a value; see 'pulumi-braket emulator --help'.`);
            value = args.shift()!;
        }
        switch (arg) {
            case "--port":
                out.options.port = numberFlag(arg, value, "port");
                break;
            case "--jobs":
                if (!value) throw new UsageError("--jobs needs the path of a JSON file of GetJob response bodies.");
                out.jobsFile = value;
                break;
            case "--host":
                if (!value) throw new UsageError("--host needs an interface address, e.g. 127.0.0.1.");
                out.options.host = value;
                break;
            case "--latency-ms":
                out.options.latencyMs = numberFlag(arg, value, "nonneg");
                break;
            case "--throttle":
                faults.throttle = numberFlag(arg, value, "prob");
                break;
            case "--server-error":
                faults.serverError = numberFlag(arg, value, "prob");
                break;
            case "--drop":
                faults.drop = numberFlag(arg, value, "prob");
                break;
            case "--slow":
                faults.slow = numberFlag(arg, value, "prob");
                break;
            case "--slow-ms":
                faults.slowMs = numberFlag(arg, value, "nonneg");
                break;
            case "--seed":
                out.options.seed = numberFlag(arg, value, "int");
                break;
            case "--cancel-delay-seconds":
                out.options.cancelDelaySeconds = numberFlag(arg, value, "nonneg");
                break;
            case "--credentials":
                if (!value) throw new UsageError("--credentials needs the path of a JSON file of access keys.");
                out.credentialsFile = value;
                break;
            case "--access-key-id":
                out.accessKeyId = value;
                break;
            case "--secret-access-key":
                out.secretAccessKey = value;
                break;
        }
    }
    if ((out.accessKeyId === undefined) !== (out.secretAccessKey === undefined)) {
        throw new UsageError("--access-key-id and --secret-access-key go together: give both, or use --credentials <file>.");
    }
    if (out.accessKeyId !== undefined) {
        // Checked here so that a bad key is a usage error naming the flag (never echoing the values).
        const c = checkCredential(
            { accessKeyId: out.accessKeyId, secretAccessKey: out.secretAccessKey },
            "--access-key-id/--secret-access-key",
        );
        out.options.credentials = [c];
    }
    const sum = (faults.throttle ?? 0) + (faults.serverError ?? 0) + (faults.drop ?? 0) + (faults.slow ?? 0);
    if (sum > 1 + 1e-9)
        throw new UsageError(`--throttle, --server-error, --drop and --slow add up to ${sum}; their sum must be at most 1.`);
    if (Object.keys(faults).length > 0) out.options.faults = faults;
    return out;
}

export async function runEmulatorCommand(argv: string[]): Promise<void> {
    const args = argv[0] === "emulator" ? argv.slice(1) : argv;
    let parsed: Parsed;
    try {
        parsed = parseEmulatorArgs(args);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`pulumi-braket emulator: ${safeForTerminal(e.message)}\n`);
        process.exitCode = 2;
        return;
    }
    if (parsed.help) {
        process.stdout.write(EMULATOR_USAGE);
        return;
    }
    const options: EmulatorOptions = { ...parsed.options };
    if (parsed.credentialsFile !== undefined) {
        try {
            const fromFile = loadCredentialsFile(parsed.credentialsFile);
            options.credentials = [...fromFile, ...(options.credentials ?? [])];
        } catch (e) {
            process.stderr.write(`pulumi-braket emulator: ${safeForTerminal((e as Error).message)}\n`);
            process.exitCode = 2;
            return;
        }
    }
    if (options.credentials) {
        const ids = options.credentials.map((c) => c.accessKeyId);
        if (new Set(ids).size !== ids.length) {
            process.stderr.write("pulumi-braket emulator: an access key id is given twice (--credentials, --access-key-id).\n");
            process.exitCode = 2;
            return;
        }
    }
    if (parsed.jobsFile !== undefined) {
        try {
            options.jobs = loadJobsFile(parsed.jobsFile);
        } catch (e) {
            process.stderr.write(`pulumi-braket emulator: --jobs ${safeForTerminal((e as Error).message)}\n`);
            process.exitCode = 2;
            return;
        }
    }
    let emu;
    try {
        emu = await startBraketEmulator(options);
    } catch (e) {
        process.stderr.write(`pulumi-braket emulator: cannot start: ${safeForTerminal((e as Error).message)}\n`);
        process.exitCode = e instanceof SeedError ? 2 : 1;
        return;
    }
    // Listening for the signals before the endpoint is announced: a caller may stop it at once.
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
        const onInt = (): void => done("SIGINT");
        const onTerm = (): void => done("SIGTERM");
        const done = (s: NodeJS.Signals): void => {
            process.off("SIGINT", onInt);
            process.off("SIGTERM", onTerm);
            resolve(s);
        };
        process.on("SIGINT", onInt);
        process.on("SIGTERM", onTerm);
    });
    process.stdout.write(`${emu.endpoint}\n`);

    const jobs = options.jobs ?? [];
    const byRegion = new Map<string, number>();
    for (const j of jobs) {
        const region = String((j as { jobArn?: unknown }).jobArn ?? "").split(":")[3] ?? "?";
        byRegion.set(region, (byRegion.get(region) ?? 0) + 1);
    }
    const f = options.faults;
    const lines = [
        `Braket emulator listening on ${emu.endpoint}`,
        `  jobs: ${jobs.length}${parsed.jobsFile ? ` from ${parsed.jobsFile}` : " (none: pass --jobs <file.json>)"}${
            byRegion.size ? ` (${[...byRegion].map(([r, n]) => `${r}: ${n}`).join(", ")})` : ""
        }`,
        `  latency: ${options.latencyMs ?? 0} ms; faults: ${
            f
                ? `throttle ${f.throttle ?? 0}, server-error ${f.serverError ?? 0}, drop ${f.drop ?? 0}, slow ${f.slow ?? 0} (${f.slowMs ?? 1500} ms)`
                : "none"
        }; seed ${options.seed ?? 1}`,
        options.credentials
            ? `  signatures: verified against ${options.credentials.length} access key${options.credentials.length === 1 ? "" : "s"} (unknown keys get 403)`
            : "  signatures: not verified (any access key works; --credentials <file> checks them)",
        `  try: aws braket search-jobs --filters '[]' --endpoint-url ${emu.endpoint} --region ${[...byRegion.keys()][0] ?? "us-east-1"}`,
        "  Press Ctrl+C to stop.",
    ];
    process.stderr.write(lines.join("\n") + "\n");

    const signal = await stopped;
    await emu.close();
    process.stderr.write(`Braket emulator stopped (${signal}).\n`);
    process.exitCode = 0;
}
